"""Writes of the API app: issuing and revoking tokens, and the log of the calls. Every
function is keyword-only and atomic; those a person does take ``by``."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from households import services as household_services
from households.models import AccessAction
from organizations import access
from organizations.models import SERVICE_ACCOUNT_PREFIX, Membership, Organization, Role, Unit, User

from .models import ApiCall, ApiToken

# What a token looks like: "mttq_<prefix>_<secret>". The prefix finds the token (it is
# stored as it is); the whole text is checked against the stored hash.
TOKEN_START = "mttq_"  # noqa: S105 - the tokens' visible start, not a secret
PREFIX_BYTES = 6  # 12 hex digits
SECRET_BYTES = 32

# Who issues and revokes tokens: the Front's reviewers, for the organizations of their subtree.
MANAGE = access.Permission.REVIEW


def hash_secret(secret: str) -> str:
    """SHA-256 of the token's whole text: the secret is 32 random bytes, so a plain hash
    (no slow password hash) cannot be guessed back, and a lookup costs no CPU to speak of."""
    return hashlib.sha256(secret.encode()).hexdigest()


def split_token(text: str) -> str | None:
    """The prefix of a token's text, or None when the text is not shaped like a token."""
    if not text.startswith(TOKEN_START):
        return None
    prefix, _sep, secret = text[len(TOKEN_START) :].partition("_")
    if len(prefix) != PREFIX_BYTES * 2 or not secret or len(text) > 200:
        return None
    return prefix


def matches(token: ApiToken, text: str) -> bool:
    return hmac.compare_digest(token.secret_hash, hash_secret(text))


def can_manage_tokens(user) -> bool:
    """Whether the user may open the tokens' page: a superuser, or a reviewer of a Front."""
    if not (user.is_authenticated and user.is_active):
        return False
    return access.is_front_reviewer(user)


def latest_expiry(now: datetime.datetime | None = None) -> datetime.date:
    return timezone.localdate(now) + datetime.timedelta(days=settings.API_TOKEN_MAX_DAYS)


@transaction.atomic
def issue_token(
    *,
    name: str,
    organization: Organization,
    expires_on: datetime.date,
    personal_data: bool,
    by: User,
) -> tuple[ApiToken, str]:
    """A new token for the system ``name``, with the scope of a viewer of ``organization``
    until the end of ``expires_on``; returns the token and its text, which is shown once
    and never kept."""
    access.require(by, MANAGE, organization)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Name the system that will use the token.")})
    today = timezone.localdate()
    if expires_on <= today:
        raise ValidationError({"expires_on": _("The expiry date must be after today.")})
    if expires_on > latest_expiry():
        raise ValidationError(
            {
                "expires_on": _("A token may be issued for at most %(days)s days.")
                % {"days": settings.API_TOKEN_MAX_DAYS}
            }
        )
    prefix = secrets.token_hex(PREFIX_BYTES)
    text = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(SECRET_BYTES)}"
    # The service account: it never logs in (no usable password); its one membership, a
    # viewer's, is what the token may see.
    user = User(
        username=f"{SERVICE_ACCOUNT_PREFIX}{prefix}", full_name=(_("API: %(name)s") % {"name": name})[:150]
    )
    user.set_unusable_password()
    user.save()
    Membership.objects.create(user=user, organization=organization, role=Role.VIEWER)
    end_of_day = datetime.datetime.combine(expires_on + datetime.timedelta(days=1), datetime.time())
    token = ApiToken.objects.create(
        name=name,
        prefix=prefix,
        secret_hash=hash_secret(text),
        user=user,
        organization=organization,
        personal_data=personal_data,
        expires_at=timezone.make_aware(end_of_day),
        issued_by=by,
    )
    return token, text


@transaction.atomic
def revoke_token(*, token: ApiToken, by: User) -> ApiToken:
    """Revoke the token at once; its service account is deactivated too, so that no way
    round the token reaches the data."""
    access.require(by, MANAGE, token)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationError(_("This token was already revoked."))
    token.revoked_at = timezone.now()
    token.revoked_by = by
    token.save(update_fields=["revoked_at", "revoked_by"])
    User.objects.filter(pk=token.user_id).update(is_active=False)
    return token


def record_call(
    *, token: ApiToken, method: str, path: str, status: int, rows: int, duration_ms: int
) -> ApiCall:
    """Log one call (one INSERT, in the request's own autocommit)."""
    return ApiCall.objects.create(
        token=token,
        method=method[:8],
        path=path[:500],
        status=status,
        rows=max(rows, 0),
        duration_ms=max(duration_ms, 0),
    )


def log_personal_read(request, *, rows: int, unit: int | None = None, household=None) -> None:
    """A read of personal data by a token allowed it, in the households' personal-data log
    (who viewed or took out which households), as a page view or an export is: the
    service account is the "who", the token's system is named in "what"."""
    if rows <= 0:
        return
    token = request.api_token
    what = (_("API: %(name)s") % {"name": token.name})[:120]
    if household is not None:
        household_services.log_access(
            user=token.user,
            action=AccessAction.VIEW,
            unit=household.area,
            household=household,
            what=what,
            row_count=1,
        )
        return
    place = Unit.objects.get(pk=unit) if unit is not None else token.organization.unit
    household_services.log_access(
        user=token.user,
        action=AccessAction.EXPORT,
        unit=place,
        what=what,
        filters=request.GET.urlencode(),
        row_count=rows,
    )
