"""Forms of commune programs and program documents. Choices are limited to what the user may
see or write; the services check again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import (
    ModelChoiceField,
    VietnameseDatesMixin,
    YearInput,
)
from organizations import access as organization_access
from programs.models import DocumentDirection, Program, ProgramDocument

from . import selectors


class ProgramChoice(ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number or obj.title} ({obj.owner_unit.name})"


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
        units = organization_access.front_managed_units(by, level=None)
        self.fields["program"].queryset = selectors.visible_programs(by).filter(owner_unit__in=units)

    def _post_clean(self):
        pass


class DocumentFilterForm(forms.Form):
    direction = forms.ChoiceField(label=_("Direction"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["direction"].choices = [("", _("All"))] + list(DocumentDirection.choices)


class ContentChoice(ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.order}. {obj.title}"
