from django import forms
from django.utils.translation import gettext_lazy as _

from organizations import access
from organizations.models import Organization, OrgKind, Unit, UnitLevel

from .models import (
    ContentKind,
    Initiative,
    ItemResult,
    Program,
    ProgramContent,
    RegistrationItem,
    RegistrationStatus,
    ResultsStatus,
)

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


class PeriodForm(forms.Form):
    program = forms.ModelChoiceField(label=_("Coordination program"), queryset=Program.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    opens_on = forms.DateField(label=_("Opens on"), widget=DATE_WIDGET)
    registration_deadline = forms.DateField(label=_("Deadline for registrations"), widget=DATE_WIDGET)
    results_deadline = forms.DateField(label=_("Deadline for results"), widget=DATE_WIDGET)

    def __init__(self, *args, programs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if programs is not None:
            self.fields["program"].queryset = programs


MAX_EXPECTED_OPTIONS = 500


class ExpectedForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization not yet expected"), queryset=Organization.objects.none()
    )

    def __init__(self, *args, period=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        owner = period.program.owner_unit
        field = self.fields["organization"]
        field.queryset = (
            access.visible_organizations(user)
            .filter(unit__path__startswith=owner.path)
            .exclude(registrations__period=period)
            .select_related("unit")
            .order_by("unit__path", "kind")
        )
        # A province has 11,000 area branches: a select of them all took seconds to render.
        # Above the limit the list offers the organizations of the units above the areas.
        options = list(field.queryset[: MAX_EXPECTED_OPTIONS + 1])
        if len(options) > MAX_EXPECTED_OPTIONS:
            options = list(field.queryset.exclude(unit__level=UnitLevel.AREA)[:MAX_EXPECTED_OPTIONS])
        field.choices = [("", field.empty_label)] + [(o.pk, field.label_from_instance(o)) for o in options]


class ItemForm(forms.ModelForm):
    class Meta:
        model = RegistrationItem
        fields = [
            "kind",
            "description",
            "content",
            "initiative_name",
            "initiative_status",
            "initiative",
            "model_field",
            "area",
            "households_pledged",
            "target_quantity",
            "target_unit",
            "amount",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, registration=None, initiatives=None, initiative_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        program = registration.period.program
        # A continuing initiative names one of the organization's initiatives the user sees.
        field = self.fields["initiative"]
        field.queryset = initiatives if initiatives is not None else Initiative.objects.none()
        field.label = _("Initiative it continues")
        field.help_text = _("For a continuing initiative: choose it among your organization's initiatives.")
        if initiative_choices is not None:
            field.choices = initiative_choices  # built once for every row of the formset
        contents = ProgramContent.objects.filter(program=program)
        self.fields["content"].queryset = contents.filter(kind=ContentKind.CONTENT)
        self.fields["model_field"].queryset = contents.filter(kind=ContentKind.MODEL_FIELD)
        self.fields["area"].queryset = (
            Unit.objects.areas().active().subtree_of(registration.organization.unit)
        )
        self.fields["households_pledged"].widget.attrs.update(
            {
                "data-min": program.min_households_per_branch,
                "data-max": program.max_households_per_branch,
                "class": "js-pledge",
            }
        )
        self.fields["kind"].widget.attrs["class"] = "js-kind"


class BaseItemFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), **self._item_kwargs()}

    def __init__(self, *args, registration=None, user=None, **kwargs):
        self.registration = registration
        self.initiatives = (
            access.visible(Initiative.objects.filter(organization=registration.organization), user).order_by(
                "name", "pk"
            )
            if user is not None
            else Initiative.objects.none()
        )
        self._initiative_choices = None
        super().__init__(*args, **kwargs)

    def _item_kwargs(self) -> dict:
        if self._initiative_choices is None:
            self._initiative_choices = [("", "---------")] + [
                (i.pk, f"{i.name} ({i.start_year})") for i in self.initiatives
            ]
        return {
            "registration": self.registration,
            "initiatives": self.initiatives,
            "initiative_choices": self._initiative_choices,
        }

    @property
    def empty_form(self):
        return self.form(auto_id=self.auto_id, prefix=self.add_prefix("__prefix__"), **self._item_kwargs())

    def item_rows(self) -> list[dict]:
        rows = []
        for index, form in enumerate(self.forms):
            if index >= self.initial_form_count() and not form.has_changed():
                continue  # an empty extra row
            if self.can_delete and self._should_delete_form(form):
                continue
            rows.append({k: v for k, v in form.cleaned_data.items() if k != "DELETE"})
        return rows


ItemFormSet = forms.formset_factory(ItemForm, formset=BaseItemFormSet, extra=2, can_delete=True)


class ResultForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=[("", "—"), *ItemResult.choices], required=False)
    achieved_quantity = forms.IntegerField(label=_("Achieved"), min_value=0, required=False)
    achieved_amount = forms.IntegerField(label=_("Amount achieved (VND)"), min_value=0, required=False)
    result_note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(
        label=_("Evidence (PDF or image, up to 5 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Filled-in Excel form (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class TrackingFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *RegistrationStatus.choices]
    )
    results_status = forms.ChoiceField(
        label=_("Results"), required=False, choices=[("", _("All")), *ResultsStatus.choices]
    )
    commune = forms.ModelChoiceField(
        label=_("Unit"), required=False, queryset=Unit.objects.none(), empty_label=_("All")
    )
    kind = forms.ChoiceField(
        label=_("Organization"), required=False, choices=[("", _("All")), *OrgKind.choices]
    )
    timeliness = forms.ChoiceField(
        label=_("Timeliness"),
        required=False,
        choices=[
            ("", _("All")),
            ("on_time", _("On time")),
            ("late", _("Late")),
            ("missing", _("Not submitted")),
        ],
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            field = self.fields["commune"]
            field.queryset = units
            # One query for the options (the queryset choices ran it once per rendering).
            field.choices = [("", field.empty_label)] + [(u.pk, str(u)) for u in units]
