"""Forms of issue 5. Choices are limited to what the user may see or write; the services
check again."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organizations import access
from organizations import selectors as organization_selectors
from organizations.models import Organization, OrgKind, UnitLevel
from portal.forms import (
    MAX_COUNT,
    MAX_VND,
    CommuneChoiceForm,
    ModelChoiceField,
    ModelMultipleChoiceField,
    NameChoiceField,
    VietnameseDatesMixin,
    draw_communes_by_district,
    list_only,
)

from . import selectors_activities as selectors
from .models import (
    DocumentDirection,
    ExampleKind,
    ExemplaryExample,
    FollowUpStatus,
    Initiative,
    InitiativeStatus,
    OutstandingArea,
    OutstandingResult,
    Program,
    ProgramDocument,
    Supervision,
    SupervisionArea,
    SupervisionKind,
)


class YearInput(forms.NumberInput):
    def __init__(self, attrs=None):
        super().__init__(attrs={"min": 1990, "max": 2100, **(attrs or {})})


class OrganizationChoice(ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class AreaChoice(ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.parent.name})"


class ContentChoice(ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.order}. {obj.title}"


def _areas(user):
    return (
        access.visible_units(user)
        .filter(level=UnitLevel.AREA, is_active=True)
        .select_related("parent")
        .order_by("parent__name", "name")
    )


# ---------------------------------------------------------------- initiatives


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
        self.fields["organization"].queryset = selectors.writable_organizations(by).members()
        self.fields["field"].queryset = selectors.model_fields(by)
        self.fields["area"].queryset = _areas(by)
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
        self.fields["field"].queryset = selectors.model_fields(by)
        self.fields["commune"].queryset = organization_selectors.visible_communes(by)
        draw_communes_by_district(self.fields["commune"])
        self.fields["organization_kind"].choices = [("", _("All"))] + [
            (k, lbl) for k, lbl in OrgKind.choices if k != OrgKind.FRONT
        ]
        self.fields["status"].choices = [("", _("All"))] + list(InitiativeStatus.choices)


# ---------------------------------------------------------------- supervision


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
        self.fields["lead_organization"].queryset = selectors.writable_organizations(by, levels=levels)
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


# ---------------------------------------------------------------- examples


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
        self.fields["organization"].queryset = selectors.writable_organizations(by, levels=levels)
        # Listed as in the supervision form: the user's own levels and the level below.
        nearby = Q(unit__in=organization_selectors.scope_and_next_level(by).values("pk"))
        list_only(self, "organization", nearby)
        self.fields["field"].queryset = selectors.campaign_contents(by)

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
        self.fields["field"].queryset = selectors.campaign_contents(by)
        self.fields["commune"].queryset = organization_selectors.visible_communes(by)
        draw_communes_by_district(self.fields["commune"])


# ---------------------------------------------------------------- outstanding areas


class ProgramChoice(ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number or obj.title} ({obj.owner_unit.name})"


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
        self.fields["program"].queryset = selectors.visible_programs(by)
        self.fields["area"].queryset = _areas(by)
        # The commune's Front or organization registers; the service also accepts a branch.
        self.fields["organization"].queryset = selectors.writable_organizations(by)
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


# ---------------------------------------------------------------- commune programs


class CommuneProgramForm(VietnameseDatesMixin, forms.ModelForm):
    parent = ProgramChoice(label=_("Program above"), queryset=None)

    class Meta:
        model = Program
        fields = [
            "parent",
            "number",
            "signed_on",
            "title",
            "start_year",
            "end_year",
            "purpose",
            "requirements",
            "implementation",
        ]
        widgets = {
            "start_year": YearInput(),
            "end_year": YearInput(),
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "requirements": forms.Textarea(attrs={"rows": 3}),
            "implementation": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, by, commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = (
            selectors.visible_programs(by)
            .filter(owner_unit_id__in=commune.ancestor_ids())
            .exclude(owner_unit=commune)
        )

    def _post_clean(self):
        pass


# ---------------------------------------------------------------- documents


class DocumentForm(VietnameseDatesMixin, forms.ModelForm):
    program = ProgramChoice(label=_("Program"), queryset=None)
    upload = forms.FileField(
        label=_("Attachment (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        help_text=_("PDF only, at most 5 MB."),
    )

    class Meta:
        model = ProgramDocument
        fields = [
            "program",
            "direction",
            "number",
            "issued_on",
            "issuing_body",
            "subject",
            "received_on",
            "forwarded_to",
            "file_number",
        ]

    def __init__(self, *args, by, **kwargs):
        super().__init__(*args, **kwargs)
        units = selectors.front_managed_units(by, level=None)
        self.fields["program"].queryset = selectors.visible_programs(by).filter(owner_unit__in=units)

    def _post_clean(self):
        pass


class DocumentFilterForm(forms.Form):
    direction = forms.ChoiceField(label=_("Direction"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["direction"].choices = [("", _("All"))] + list(DocumentDirection.choices)
