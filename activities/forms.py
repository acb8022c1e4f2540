"""Forms of initiatives, supervision and criticism, exemplary examples and outstanding areas.
Choices are limited to what the user may see or write; the services check again."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from activities.models import (
    ExampleKind,
    ExemplaryExample,
    FollowUpStatus,
    Initiative,
    InitiativeStatus,
    OutstandingArea,
    OutstandingResult,
    Supervision,
    SupervisionArea,
    SupervisionKind,
)
from core.forms import (
    MAX_COUNT,
    MAX_VND,
    ModelMultipleChoiceField,
    NameChoiceField,
    VietnameseDatesMixin,
    YearInput,
    draw_communes_by_district,
    list_only,
)
from organizations import access
from organizations import access as organization_access
from organizations import selectors as organization_selectors
from organizations.forms import AreaChoice, CommuneChoiceForm, OrganizationChoice, visible_areas
from organizations.models import Organization, OrgKind, UnitLevel
from programs import selectors as program_selectors
from programs.forms import ContentChoice, ProgramChoice


class InitiativeForm(forms.ModelForm):
    organization = OrganizationChoice(label=_("Organization"), queryset=Organization.objects.none())
    field = ContentChoice(label=_("Field"), queryset=None)
    area = AreaChoice(label=_("Residential area"), queryset=None, required=False)

    class Meta:
        model = Initiative
        fields = ["name", "organization", "field", "area", "start_year", "description"]
        widgets = {"start_year": YearInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, by, commune_form: CommuneChoiceForm | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organization_access.writable_organizations(by).members()
        self.fields["field"].queryset = program_selectors.model_fields(by)
        self.fields["area"].queryset = visible_areas(by)
        if commune_form is not None:
            commune_form.list_options(self, organization="unit", area="parent")

    def _post_clean(self):
        # The service validates and saves; the model's own full_clean is not wanted here.
        pass


class InitiativeCreateForm(InitiativeForm):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(v, lbl) for v, lbl in InitiativeStatus.choices if v != InitiativeStatus.STOPPED],
        initial=InitiativeStatus.PLANNED,
    )


class InitiativeStatusForm(VietnameseDatesMixin, forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=InitiativeStatus.choices)
    changed_on = forms.DateField(label=_("Date of the change"))
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class InitiativeYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), widget=YearInput(), min_value=1990, max_value=2100)
    participants = forms.IntegerField(label=_("Participants"), min_value=0, max_value=MAX_COUNT, initial=0)
    households = forms.IntegerField(
        label=_("Households reached"), min_value=0, max_value=MAX_COUNT, initial=0
    )
    value_vnd = forms.IntegerField(label=_("Value (VND)"), min_value=0, max_value=MAX_VND, initial=0)


class InitiativeFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False)
    field = ContentChoice(label=_("Field"), queryset=None, required=False, empty_label=_("All"))
    organization_kind = forms.ChoiceField(label=_("Organization"), required=False)
    commune = NameChoiceField(label=_("Commune"), queryset=None, required=False, empty_label=_("All"))
    status = forms.ChoiceField(label=_("Status"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)

    def __init__(self, *args, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].queryset = program_selectors.model_fields(by)
        self.fields["commune"].queryset = organization_selectors.visible_communes(by)
        draw_communes_by_district(self.fields["commune"])
        self.fields["organization_kind"].choices = [("", _("All"))] + [
            (k, lbl) for k, lbl in OrgKind.choices if k != OrgKind.FRONT
        ]
        self.fields["status"].choices = [("", _("All"))] + list(InitiativeStatus.choices)


class SupervisionForm(VietnameseDatesMixin, forms.ModelForm):
    lead_organization = OrganizationChoice(label=_("Lead organization"), queryset=Organization.objects.none())
    participants = ModelMultipleChoiceField(
        label=_("Participating organizations"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Supervision
        fields = [
            "kind",
            "topic",
            "program_area",
            "subject",
            "held_on",
            "lead_organization",
            "participants",
            "findings",
            "recommendations",
            "response",
            "follow_up_status",
            "follow_up_due",
        ]
        widgets = {
            "findings": forms.Textarea(attrs={"rows": 3}),
            "recommendations": forms.Textarea(attrs={"rows": 3}),
            "response": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, by, **kwargs):
        super().__init__(*args, **kwargs)
        levels = (UnitLevel.DISTRICT, UnitLevel.COMMUNE, UnitLevel.PROVINCE)
        self.fields["lead_organization"].queryset = organization_access.writable_organizations(
            by, levels=levels
        )
        # Any organization at a unit the user sees may take part, whatever its kind.
        units = access.visible_units(by).exclude(level=UnitLevel.AREA).values("pk")
        self.fields["participants"].queryset = Organization.objects.filter(unit__in=units).in_program_order()
        # Listed: the organizations of the user's own levels and the level below, and those
        # already chosen (a province's communes would make 1,400 checkboxes and options).
        nearby = Q(unit__in=organization_selectors.scope_and_next_level(by).values("pk"))
        list_only(self, "lead_organization", nearby)
        list_only(self, "participants", nearby)

    def _post_clean(self):
        pass


class SupervisionFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), required=False)
    program_area = forms.ChoiceField(label=_("Program area"), required=False)
    follow_up = forms.ChoiceField(label=_("Follow-up"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All"))] + list(SupervisionKind.choices)
        self.fields["program_area"].choices = [("", _("All"))] + list(SupervisionArea.choices)
        self.fields["follow_up"].choices = (
            [("", _("All"))] + list(FollowUpStatus.choices) + [("overdue", _("Overdue"))]
        )


class ExampleForm(VietnameseDatesMixin, forms.ModelForm):
    organization = OrganizationChoice(label=_("Organization"), queryset=Organization.objects.none())
    field = ContentChoice(label=_("Field"), queryset=None)

    class Meta:
        model = ExemplaryExample
        fields = [
            "kind",
            "name",
            "organization",
            "field",
            "year",
            "achievement",
            "certificate",
            "recognition_level",
            "decision_number",
            "publicised_in",
            "publicised_on",
        ]
        widgets = {
            "year": YearInput(),
            "achievement": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, by, **kwargs):
        super().__init__(*args, **kwargs)
        levels = (UnitLevel.DISTRICT, UnitLevel.COMMUNE, UnitLevel.PROVINCE)
        self.fields["organization"].queryset = organization_access.writable_organizations(by, levels=levels)
        # Listed as in the supervision form: the user's own levels and the level below.
        nearby = Q(unit__in=organization_selectors.scope_and_next_level(by).values("pk"))
        list_only(self, "organization", nearby)
        self.fields["field"].queryset = program_selectors.campaign_contents(by)

    def _post_clean(self):
        pass


class ExampleFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    organization_kind = forms.ChoiceField(label=_("Organization"), required=False)
    field = ContentChoice(label=_("Field"), queryset=None, required=False, empty_label=_("All"))
    commune = NameChoiceField(label=_("Commune"), queryset=None, required=False, empty_label=_("All"))
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)

    def __init__(self, *args, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All"))] + list(ExampleKind.choices)
        self.fields["organization_kind"].choices = [("", _("All"))] + list(OrgKind.choices)
        self.fields["field"].queryset = program_selectors.campaign_contents(by)
        self.fields["commune"].queryset = organization_selectors.visible_communes(by)
        draw_communes_by_district(self.fields["commune"])


class OutstandingForm(forms.ModelForm):
    program = ProgramChoice(label=_("Program"), queryset=None)
    area = AreaChoice(label=_("Residential area"), queryset=None)
    organization = OrganizationChoice(label=_("Registered by"), queryset=Organization.objects.none())

    class Meta:
        model = OutstandingArea
        fields = ["program", "year", "area", "organization", "result", "decision_number", "note"]
        widgets = {"year": YearInput(), "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, by, commune_form: CommuneChoiceForm | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = program_selectors.visible_programs(by)
        self.fields["area"].queryset = visible_areas(by)
        # The commune's Front or organization registers; the service also accepts a branch.
        self.fields["organization"].queryset = organization_access.writable_organizations(by)
        if commune_form is not None:
            commune_form.list_options(self, area="parent", organization="unit")

    def _post_clean(self):
        pass


class OutstandingFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)
    commune = NameChoiceField(label=_("Commune"), queryset=None, required=False, empty_label=_("All"))
    result = forms.ChoiceField(label=_("Result"), required=False)

    def __init__(self, *args, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = organization_selectors.visible_communes(by)
        draw_communes_by_district(self.fields["commune"])
        self.fields["result"].choices = [("", _("All"))] + list(OutstandingResult.choices)
