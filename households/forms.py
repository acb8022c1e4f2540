import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.forms import (
    MAX_COUNT,
    MAX_VND,
    ModelChoiceField,
    VietnameseDatesMixin,
    commune_choices,
    draw_communes_by_district,
)
from core.ids import read_id, read_ids
from core.widgets import SearchableSelect
from organizations import access
from organizations.forms import CommuneChoiceForm
from organizations.models import MEMBER_KINDS, Unit, UnitLevel

from . import imports, standards
from .models import (
    DonorType,
    EntryKind,
    Ethnicity,
    FundingSource,
    Gender,
    Household,
    PolicyKind,
    PovertyStandard,
    Status,
    SupportKind,
)


def this_year() -> int:
    return datetime.date.today().year


YEAR_FIELD = {"min_value": 1990, "max_value": 2100}


MAX_AREA_CHOICES = 200


class HouseholdFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
    commune = forms.TypedChoiceField(label=_("Commune"), required=False, coerce=int, empty_value=None)
    area = forms.TypedChoiceField(label=_("Residential area"), required=False, coerce=int, empty_value=None)
    year = forms.IntegerField(label=_("Year"), required=False, **YEAR_FIELD)
    status = forms.ChoiceField(
        label=pgettext_lazy("household", "Status"),
        required=False,
        choices=[("", _("All")), *Status.choices, ("policy", _("Policy household"))],
    )
    sponsor = forms.ChoiceField(
        label=_("Sponsor"),
        required=False,
        choices=[
            ("", _("All")),
            ("none", _("No sponsor")),
            ("any", _("Has a sponsor")),
            *[(k.value, k.label) for k in MEMBER_KINDS],
        ],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = access.visible_units(user)
        # Choices read as plain values: the 218 communes and 201 areas of a province as
        # model objects took 4 ms of every household and gap list.
        self.fields["commune"].choices = [
            ("", _("All")),
            *commune_choices(units.filter(level=UnitLevel.COMMUNE)),
        ]
        # Every area of a province is 2,000+ options (2 s to render): above a limit, the
        # areas are those of the chosen commune.
        areas = units.filter(level=UnitLevel.AREA).order_by("parent__name", "name")
        commune, area = read_id(self.data.get("commune"), Unit), read_id(self.data.get("area"), Unit)
        if commune:
            areas = areas.filter(parent_id=commune)
        areas = areas.values_list("pk", "name", "parent__name")
        area_list = list(areas[: MAX_AREA_CHOICES + 1])
        if len(area_list) > MAX_AREA_CHOICES:
            area_list = list(areas.filter(pk=area)) if area else []
            self.fields["area"].help_text = _("Choose a commune first to list its residential areas.")
        self.fields["area"].choices = [("", _("All"))] + [
            (pk, f"{name} – {commune_name}") for pk, name, commune_name in area_list
        ]
        for field in self.fields.values():
            select = isinstance(field, forms.ChoiceField)
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if select else "form-control form-control-sm"
            )


GAP_SHOWS = [
    ("", _("Without a sponsor (the gap)")),
    ("sponsored", _("Of them with a sponsor")),
    ("all", _("Poor and policy households in difficulty")),
    ("near_poor", _("Near-poor households without a sponsor")),
]


class GapFilterForm(HouseholdFilterForm):
    """The gap list's filters: the household list's year, name, commune and residential area
    (each area named with its commune), and which of the gap's lists to show. A user of one
    commune is not asked for the commune."""

    show = forms.ChoiceField(label=_("Households"), required=False, choices=GAP_SHOWS)

    field_order = ["year", "q", "commune", "area", "show"]

    def __init__(self, data, *, user, default_year, **kwargs):
        """``default_year()``: the year listed when none is asked for, shown in the filter."""
        if not data.get("year"):
            data = data.copy()
            data["year"] = default_year()
        super().__init__(data, user=user, **kwargs)
        del self.fields["status"], self.fields["sponsor"]
        self.fields["show"].widget.attrs["class"] = "form-select form-select-sm"
        options = self.fields["commune"].choices[1:]  # after "All"; grouped by district or not
        if len(options) <= 1 and not any(isinstance(group, list) for _value, group in options):
            del self.fields["commune"]
        self.order_fields(self.field_order)


class HouseholdForm(forms.Form):
    area = ModelChoiceField(label=_("Residential area"), queryset=None)
    head_name = forms.CharField(label=_("Head of household"), max_length=150)
    gender = forms.ChoiceField(label=_("Gender"), choices=[("", "—"), *Gender.choices], required=False)
    birth_year = forms.IntegerField(label=_("Year of birth"), required=False, min_value=1900, max_value=2100)
    ethnicity = ModelChoiceField(label=_("Ethnicity"), queryset=Ethnicity.objects.all(), required=False)
    members = forms.IntegerField(label=_("Number of members"), min_value=1, max_value=99, initial=1)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    national_id = forms.CharField(
        label=_("National ID number"),
        max_length=12,
        required=False,
        help_text=_("Optional. Shown masked in lists and exports."),
    )
    member_kinds = forms.MultipleChoiceField(
        label=_("Organizations the household has members in"),
        choices=[(k.value, k.label) for k in MEMBER_KINDS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_policy = forms.BooleanField(label=_("Policy household"), required=False)
    policy_kind = forms.ChoiceField(
        label=_("Policy kind"), choices=[("", "—"), *PolicyKind.choices], required=False
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)
    allow_duplicate = forms.BooleanField(
        label=_("This is another household with the same name, year of birth and area"), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0, max_value=MAX_COUNT)

    def __init__(self, *args, user, commune_form: CommuneChoiceForm | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = (
            access.visible_units(user).filter(level=UnitLevel.AREA, is_active=True).select_related("parent")
        )
        self.fields["area"].label_from_instance = lambda u: f"{u.name} – {u.parent.name}"
        if commune_form is not None:
            commune_form.list_options(self, area="parent")


class StatusForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    status = forms.ChoiceField(label=pgettext_lazy("household", "Status"), choices=Status.choices)
    deprivations = forms.MultipleChoiceField(
        label=_("Deprivation indicators (optional)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only the indicators of the poverty standard in force that year are accepted."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.standards = list(PovertyStandard.objects.order_by("first_year"))
        # From the first standard's first year (before it there is nothing to classify by)
        # to this year (a year's review is not recorded before the year), newest first.
        this = timezone.localdate().year
        first = self.standards[0].first_year if self.standards else this
        self.fields["year"].choices = [(y, y) for y in range(this, first - 1, -1)]
        seen = []
        for standard in reversed(self.standards):
            seen += [i for i in standard.indicators if i not in seen]
        self.fields["deprivations"].choices = [(i, i) for i in seen]

    def chosen_year(self) -> int | None:
        """The year the form shows: the one sent, else the initial one."""
        try:
            return int(self["year"].value())
        except (TypeError, ValueError):
            return None

    def standards_shown(self) -> list[dict]:
        """Each standard with its years and deprivation rule; ``in_force`` marks the one in
        force in the chosen year (the most recent covering it, as PovertyStandard.for_year)."""
        year = self.chosen_year()
        covering = [s for s in self.standards if year and s.first_year <= year <= s.last_year]
        in_force = max(covering, key=lambda s: s.first_year, default=None)
        return [
            {"standard": s, "rule": standards.rule_text(s), "in_force": s is in_force} for s in self.standards
        ]

    def in_force(self) -> dict | None:
        return next((row for row in self.standards_shown() if row["in_force"]), None)


class SponsorForm(forms.Form):
    organization = ModelChoiceField(label=_("Organization"), queryset=None)
    year = forms.IntegerField(label=_("Year"), **YEAR_FIELD)
    note = forms.CharField(
        label=_("Note"),
        max_length=500,
        required=False,
        help_text=_("Required when another organization already sponsors the household this year."),
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


class OtherSponsorForm(forms.Form):
    sponsor_name = forms.CharField(
        label=_("Other sponsor"),
        max_length=255,
        help_text=_("An enterprise, a person or an agency the Front mobilized to help the household."),
    )
    sponsor_type = forms.ChoiceField(label=_("Kind of sponsor"), choices=DonorType.choices)
    year = forms.IntegerField(label=_("Year"), **YEAR_FIELD)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class SupportForm(VietnameseDatesMixin, forms.Form):
    date = forms.DateField(label=_("Date"), help_text=_("dd/mm/yyyy"))
    kind = forms.ChoiceField(label=_("Kind of support"), choices=SupportKind.choices)
    value = forms.IntegerField(label=_("Value (VND)"), min_value=0, max_value=MAX_VND)
    sponsorship = ModelChoiceField(label=_("Sponsorship"), queryset=None, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, sponsorships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sponsorship"].queryset = sponsorships.select_related("organization")
        self.fields["sponsorship"].label_from_instance = lambda s: f"{s.year} – {s.sponsor}"
        for value, label in FundingSource.choices:
            self.fields[f"source_{value}"] = forms.IntegerField(
                label=_("From: %(source)s (VND)") % {"source": label},
                min_value=0,
                max_value=MAX_VND,
                required=False,
            )
        self.fields[f"source_{FundingSource.FUND}"].help_text = _(
            "Paid from the commune Front's fund: recorded in its ledger as a spending on the support's date."
        )

    def fundings(self) -> dict[str, int]:
        return {
            value: self.cleaned_data.get(f"source_{value}")
            for value, _label in FundingSource.choices
            if self.cleaned_data.get(f"source_{value}")
        }


# A ledger lists its households in the spending's select up to this many (a commune's). A
# district's or the province's (500,000 at province scale: a 30 s page) are not listed: the
# household is chosen on its own page ("Spend from the fund"), which opens the ledger with it.
MAX_FUND_HOUSEHOLD_OPTIONS = 3000


class FundEntryForm(VietnameseDatesMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=EntryKind.choices)
    date = forms.DateField(label=_("Date"), help_text=_("dd/mm/yyyy"))
    amount = forms.IntegerField(label=_("Amount (VND)"), min_value=1, max_value=MAX_VND)
    number = forms.CharField(label=_("Receipt or decision number"), max_length=60, required=False)
    donor = forms.CharField(label=_("Donor (receipts)"), max_length=255, required=False)
    donor_type = forms.ChoiceField(
        label=_("Donor type"), choices=[("", "—"), *DonorType.choices], required=False
    )
    campaign_period = forms.CharField(label=_("Campaign period"), max_length=120, required=False)
    household = ModelChoiceField(
        label=_("Household (spending)"), queryset=None, required=False, widget=SearchableSelect()
    )
    project = forms.CharField(label=_("Project (spending)"), max_length=255, required=False)
    purpose = forms.CharField(label=pgettext_lazy("fund ledger", "Purpose"), max_length=500, required=False)

    def __init__(self, *args, households, **kwargs):
        """``households``: those a spending may name (any of them is accepted on save)."""
        super().__init__(*args, **kwargs)
        field = self.fields["household"]
        field.queryset = households
        options = households.values_list("pk", "head_name", "birth_year", "area__name")
        # Asked without the order: whether a row lies past the limit, not the whole list sorted.
        if households.order_by()[MAX_FUND_HOUSEHOLD_OPTIONS:].exists():
            field.help_text = _(
                "Too many households to list here: open the household's page and choose "
                "“Spend from the fund”."
            )
            # Read after the help text is set: the bound field keeps what it finds.
            options = options.filter(pk__in=read_ids([self["household"].value()], Household))
        field.choices = [
            ("", field.empty_label),
            *((pk, f"{name} ({born or '—'}) – {area}") for pk, name, born, area in options),
        ]


class ReversalForm(VietnameseDatesMixin, forms.Form):
    date = forms.DateField(label=_("Date of the reversal"), help_text=_("dd/mm/yyyy"))
    reason = forms.CharField(label=_("Reason"), max_length=500)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1)


class ImportForm(forms.Form):
    """The commune, the year and the file of a review list. The file is read here, once
    (``upload``: households.imports.ReadUpload); after a try with an error it comes back in
    the form's ``kept`` token (imports.keep_token), so the next try needs no file. The year
    left empty is the one the list's title names."""

    commune = ModelChoiceField(label=_("Commune"), queryset=None)
    year = forms.IntegerField(
        label=_("Year of the review"),
        required=False,
        help_text=_("Leave it empty to take the year the list's title names (“… NĂM 2024”)."),
        **YEAR_FIELD,
    )
    file = forms.FileField(label=_("Review list (.xlsx)"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.upload = None
        self.year_from_title = False
        communes = access.visible_units(user).filter(level=UnitLevel.COMMUNE).order_by("name")
        self.fields["commune"].queryset = communes
        draw_communes_by_district(self.fields["commune"])
        if communes.count() == 1:
            self.fields["commune"].initial = communes.first()

    def clean(self):
        data = super().clean()
        chosen = data.get("file")
        if chosen:
            if chosen.size > imports.MAX_FILE_BYTES:
                self.add_error("file", imports.size_error())
            else:
                try:
                    self.upload = imports.read_upload(file_name=chosen.name, content=chosen.read())
                except ValidationError as error:
                    self.add_error("file", error)
        elif self.data.get("kept"):
            self.upload = imports.kept_upload(self.data["kept"], user=self.user)
            if self.upload is None:
                self.add_error("file", _("The file chosen earlier is no longer kept: choose it again."))
        elif "file" not in self.errors:
            self.add_error("file", _("Choose the file of the review list."))
        if self.upload is not None and "year" not in self.errors and not data.get("year"):
            if self.upload.rows.title_year:
                data["year"] = self.upload.rows.title_year
                self.year_from_title = True
            else:
                self.add_error("year", imports.no_year_error())
        return data

    def kept_token(self) -> str:
        """The token that brings the file read at this try back with the next one."""
        return imports.keep_token(self.upload, user=self.user) if self.upload is not None else ""
