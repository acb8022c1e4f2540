from django import forms
from django.contrib.auth.password_validation import validate_password
from django.db.models import Q
from django.forms import Form
from django.utils.translation import gettext_lazy as _

from core.forms import ModelChoiceField, NameChoiceField, draw_communes_by_district, list_only
from organizations.selectors import visible_communes

from . import access, selectors
from .models import Organization, Role, Unit, UnitLevel


class AreaForm(forms.Form):
    name = forms.CharField(label=_("Name of the residential area"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[
            ("", _("— not set —")),
            ("thôn", _("Village (thôn)")),
            ("làng", _("Village (làng)")),
            ("tổ dân phố", _("Street group (tổ dân phố)")),
        ],
    )


class AccountUnitForm(forms.Form):
    """The unit whose organizations the account form lists (a GET form above it)."""

    unit = NameChoiceField(
        label=_("Unit of the account"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("Your units and the level below"),
        help_text=_("A commune lists its own organizations and its residential areas' branches."),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.visible_units(by).exclude(level=UnitLevel.AREA).order_by("path")


class AccountForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("Email"), required=False, max_length=254)
    # Read as names: a province's 12,000 organizations as objects took 0.3 s of the form.
    organization = NameChoiceField(label=_("Organization"), queryset=Organization.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    title = forms.CharField(label=_("Position"), max_length=120, required=False)

    def __init__(self, *args, by, unit: Unit | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Accepted: any organization the manager may give accounts to (the service checks
        # again). Listed: those of the unit chosen above the form and of its residential
        # areas, else of the manager's own units and the level below.
        self.fields["organization"].queryset = access.permitted(
            Organization.objects.all(), by, access.Permission.MANAGE_USERS
        ).in_program_order()
        if unit is not None:
            units = Unit.objects.filter(Q(pk=unit.pk) | Q(parent=unit, level=UnitLevel.AREA))
        else:
            units = selectors.scope_and_next_level(by)
        list_only(self, "organization", Q(unit__in=units.values("pk")))


class NewAccountForm(AccountForm):
    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[a-z0-9._-]+$",
        error_messages={"invalid": _("Use only lower-case letters without accents, digits, dots, dashes.")},
    )
    password = forms.CharField(
        label=_("Temporary password"),
        widget=forms.PasswordInput,
        help_text=_("The user must choose a new password at first login."),
    )

    field_order = ["username", "full_name", "email", "organization", "role", "title", "password"]

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password)
        return password


class OrganizationChoice(ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class AreaChoice(ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.parent.name})"


def visible_areas(user):
    return (
        access.visible_units(user)
        .filter(level=UnitLevel.AREA, is_active=True)
        .select_related("parent")
        .order_by("parent__name", "name")
    )


# A district's communes (10 in Đức Cơ) and their residential areas fit in one select; a
# province's (218 communes, 2,180 areas) do not, and are listed one commune at a time.
LIST_ALL_COMMUNES = 30


class CommuneChoiceForm(forms.Form):
    """The commune whose organizations and residential areas the record's form below lists,
    chosen in a GET form above it (``?commune=``) when the user sees too many communes to
    list them all."""

    commune = NameChoiceField(
        label=_("Commune of the record"),
        queryset=None,
        required=False,
        empty_label="—",
        help_text=_("Choose the commune first: the form lists its organizations and residential areas."),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes
        draw_communes_by_district(self.fields["commune"])
        self.chosen = None

    @classmethod
    def for_request(cls, request, *, default=None) -> "CommuneChoiceForm | None":
        """The form for ``request`` with the commune it chose, else ``default`` (the record's
        own commune); None when the user sees few enough communes to list all. A commune
        the user does not see is refused with the form's message, and none is listed."""
        communes = visible_communes(request.user)
        if communes.count() <= LIST_ALL_COMMUNES:
            return None
        form = cls(request.GET if "commune" in request.GET else None, communes=communes)
        if form.is_bound:
            form.chosen = form.cleaned_data["commune"] if form.is_valid() else None
        else:
            form.chosen = default
            form.initial["commune"] = default.pk if default else None
        return form

    def list_options(self, form: Form, **lookups: str) -> None:
        """Draw only the chosen commune's options of ``form``'s fields, each named with
        the lookup from an option to its commune (``area="parent"``), and those already
        chosen; what the fields accept is unchanged."""
        for name, lookup in lookups.items():
            list_only(form, name, Q(**{lookup: self.chosen}) if self.chosen else Q(pk__in=[]))
