"""Tokens of the read-only API (``/api/v1/``) and the log of every call made with one.

A token acts as a service account: a User of its own with a viewer's membership of the
organization it was issued for (the Front of a unit: every organization kind of the
unit's subtree; another organization: its own kind there). Every read of the API goes
through ``organizations.access.visible(qs, token.user)``, exactly as the pages do, so the
access rules live in one place."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization


class ApiToken(models.Model):
    """A token issued to a named system. Only a hash of its secret is kept: the secret is
    shown once, when the token is issued; ``prefix`` (also part of the secret) finds it."""

    name = models.CharField(_("system"), max_length=120)
    prefix = models.CharField(_("token prefix"), max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    # The service account the token acts as; its one membership is the token's scope.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("service account"),
        on_delete=models.PROTECT,
        related_name="api_token",
        editable=False,
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("scope"), on_delete=models.PROTECT, related_name="+"
    )
    personal_data = models.BooleanField(_("may read personal data"), default=False)
    expires_at = models.DateTimeField(_("expires at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    access_unit_field = "organization__unit"
    access_kind_field = "organization__kind"

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoked_by__isnull=True)
                | Q(revoked_at__isnull=False, revoked_by__isnull=False),
                name="api_token_revoked_by_whom",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="api_token_has_name"),
        ]

    def __str__(self):
        return self.name

    def is_expired(self, now=None) -> bool:
        return self.expires_at <= (now or timezone.now())

    @property
    def valid_until(self) -> datetime.date:
        """The last day the token works (it expires at the end of that day)."""
        return timezone.localdate(self.expires_at - datetime.timedelta(microseconds=1))

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class ApiCall(models.Model):
    """One call of the API with a token: what was asked, the answer's status, how many
    records it returned and how long it took."""

    token = models.ForeignKey(
        ApiToken, verbose_name=_("API token"), on_delete=models.PROTECT, related_name="calls"
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    method = models.CharField(_("method"), max_length=8)
    path = models.CharField(_("address"), max_length=500)
    status = models.PositiveSmallIntegerField(_("status"))
    rows = models.PositiveIntegerField(_("records returned"), default=0)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    access_unit_field = "token__organization__unit"
    access_kind_field = "token__organization__kind"

    class Meta:
        verbose_name = _("API call")
        verbose_name_plural = _("API calls")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["token", "at"], name="api_call_by_token")]

    def __str__(self):
        return f"{self.token_id} {self.method} {self.path} {self.status}"
