"""The form that issues an API token: the system, the scope (an organization), the expiry
and the personal-data permission."""

import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import NameChoiceField, VietnameseDatesMixin, list_only
from organizations import access
from organizations.models import Organization, Unit, UnitLevel
from organizations.selectors import scope_and_next_level

from .services import MANAGE

DEFAULT_DAYS = 90
# Tokens are issued for whole administrative units: a residential area's branch has no
# system of its own.
LEVELS = [UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE]


class TokenUnitForm(forms.Form):
    """The unit whose organizations the token form lists (a GET form above it)."""

    unit = NameChoiceField(
        label=_("Unit of the token's scope"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("Your units and the level below"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.visible_units(by).filter(level__in=LEVELS).order_by("path")


class TokenForm(VietnameseDatesMixin, forms.Form):
    name = forms.CharField(
        label=_("System"),
        max_length=120,
        help_text=_("Who will use the token, e.g. “Poverty-reduction database of the province”."),
    )
    organization = NameChoiceField(
        label=_("Scope"),
        queryset=Organization.objects.none(),
        help_text=_(
            "The token sees what a viewer of this organization sees: the Front of a unit sees every "
            "organization of the unit and the units below it; another organization only its own kind."
        ),
    )
    expires_on = forms.DateField(label=_("Valid until"), help_text=_("dd/mm/yyyy"))
    personal_data = forms.BooleanField(
        label=_("May read personal data"),
        required=False,
        help_text=_(
            "Names, years of birth, addresses and phone numbers of households. Without it they are "
            "masked (the head's initials only)."
        ),
    )

    def __init__(self, *args, by, unit: Unit | None = None, **kwargs):
        kwargs.setdefault("initial", {}).setdefault(
            "expires_on", timezone.localdate() + datetime.timedelta(days=DEFAULT_DAYS)
        )
        super().__init__(*args, **kwargs)
        # Accepted: any organization of the reviewer's subtree (the service checks again).
        # Listed: those of the unit chosen above the form, else of the reviewer's own units
        # and the level below.
        self.fields["organization"].queryset = access.permitted(
            Organization.objects.filter(unit__level__in=LEVELS), by, MANAGE
        ).in_program_order()
        units = Unit.objects.filter(pk=unit.pk) if unit is not None else scope_and_next_level(by)
        list_only(self, "organization", Q(unit__in=units.values("pk")))
