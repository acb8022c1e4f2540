from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from activities.models import Initiative
from core.forms import MAX_COUNT, MAX_VND, ModelChoiceField, ModelMultipleChoiceField, VietnameseDatesMixin
from core.ids import largest_id
from core.widgets import SearchableSelectMultiple
from households.models import NEEDY_STATUSES, Household, HouseholdStatus
from organizations import access
from organizations.models import Organization, OrgKind, Unit, UnitLevel
from programs.models import ContentKind, Program, ProgramContent
from registrations import rules
from registrations.models import ItemKind, ItemResult, RegistrationItem, RegistrationStatus, ResultsStatus


class PeriodForm(VietnameseDatesMixin, forms.Form):
    program = ModelChoiceField(label=_("Coordination program"), queryset=Program.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    opens_on = forms.DateField(label=_("Opens on"))
    registration_deadline = forms.DateField(label=_("Deadline for registrations"))
    results_deadline = forms.DateField(label=_("Deadline for results"))

    def __init__(self, *args, programs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if programs is not None:
            self.fields["program"].queryset = programs


MAX_EXPECTED_OPTIONS = 500
# "Làng Krêl — Xã Ia Krêl": an area beside its commune, where a list spans several.
AREA_SEPARATOR = " — "


class ExpectedForm(forms.Form):
    organization = ModelChoiceField(
        label=_("Organization not yet expected"), queryset=Organization.objects.none()
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, period=None, user=None, shown=None, shallow=False, **kwargs):
        """The select offers the organizations of the part of the tracking view shown: the
        subtree of ``shown``, or with ``shallow`` (a province, whose rows are its districts)
        only ``shown`` and the units right below it; a district is a click away. Any
        organization of the program the user sees is accepted when posted."""
        super().__init__(*args, **kwargs)
        owner = period.program.owner_unit
        field = self.fields["organization"]
        field.queryset = (
            access.visible_organizations(user)
            .filter(unit__path__startswith=owner.path)
            .exclude(registrations__period=period)
            .order_by("unit__path", "kind")
        )
        offered = field.queryset
        if shown is not None:
            offered = offered.filter(
                Q(unit=shown) | Q(unit__parent=shown) if shallow else Q(unit__path__startswith=shown.path)
            )
        # A province has 11,000 area branches: a select of them all took seconds to render.
        # Above the limit the list offers the organizations of the units above the areas.
        # The options are read as values: each organization's name, and for a branch at a
        # residential area its commune, said beside it when the branches listed lie in
        # several communes (each of three communes has its "Chi hội Phụ nữ Làng Krêl").
        offered = offered.values_list("pk", "name", "unit__level", "unit__parent_id", "unit__parent__name")
        options = list(offered[: MAX_EXPECTED_OPTIONS + 1])
        if len(options) > MAX_EXPECTED_OPTIONS:
            options = list(offered.exclude(unit__level=UnitLevel.AREA)[:MAX_EXPECTED_OPTIONS])
        branches = [o for o in options if o[2] == UnitLevel.AREA]
        several = len({o[3] for o in branches}) > 1
        field.choices = [("", field.empty_label)] + [
            (pk, f"{name}{AREA_SEPARATOR}{commune}" if several and level == UnitLevel.AREA else name)
            for pk, name, level, _commune_id, commune in options
        ]


def area_labels(areas) -> dict[int, str]:
    """The residential areas' labels by id, in their order: the name, with the commune
    beside it when the areas lie in more than one commune (a district has several "Làng
    Krêl"). ``areas``: units with their parent read (``select_related("parent")``)."""
    areas = list(areas)
    several = len({a.parent_id for a in areas}) > 1
    return {a.pk: f"{a.name}{AREA_SEPARATOR}{a.parent.name}" if several else a.name for a in areas}


def area_choices(areas) -> list[tuple]:
    """The options of an area select: the empty one, then each area with its label."""
    return [("", "---------"), *area_labels(areas.select_related("parent")).items()]


MAX_HOUSEHOLD_OPTIONS = 1000


class HouseholdSelect(SearchableSelectMultiple):
    """A searchable list of checkboxes; each option says its residential area, so the page can
    offer those of the chosen area."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        area = self.areas.get(str(getattr(value, "value", value)))
        if area:
            option["attrs"]["data-area"] = area
        return option


class HouseholdsField(ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.head_name} – {obj.area.name}"


# The fields an item of each kind must fill, besides its kind and description (the rules of
# registrations/rules.py item_findings, which the save checks): marked "*" on the page, and
# the page's script moves the marks when the kind changes.
REQUIRED_BY_KIND = {
    ItemKind.CONTENT: ("content",),
    ItemKind.INITIATIVE: ("initiative_name", "initiative_field"),
    ItemKind.OUTSTANDING_AREA: ("area",),
    ItemKind.SPONSORSHIP_PLEDGE: ("area", "households_pledged"),
    ItemKind.FUND_TARGET: ("amount",),
}

# The fields an item of each kind uses, besides those every item has (``ITEM_COMMON_FIELDS``):
# the others are hidden on the page for a row of that kind (a row without a kind shows all).
ITEM_COMMON_FIELDS = ("kind", "description", "DELETE")
FIELDS_BY_KIND = {
    ItemKind.CONTENT: ("content", "target_quantity", "target_unit"),
    ItemKind.INITIATIVE: (
        "initiative_name",
        "novelty",
        "initiative",
        "initiative_field",
        "area",
        "target_quantity",
        "target_unit",
    ),
    ItemKind.OUTSTANDING_AREA: ("area",),
    ItemKind.SPONSORSHIP_PLEDGE: ("area", "households_pledged", "households"),
    ItemKind.FUND_TARGET: ("amount",),
    ItemKind.COMMUNICATION: ("target_quantity", "target_unit"),
    ItemKind.SUPERVISION: ("target_quantity", "target_unit"),
    ItemKind.OTHER: ("target_quantity", "target_unit", "amount"),
}

# The field each finding of registrations/rules.py is about: its message goes next to it.
FINDING_FIELDS = {
    "description_missing": "description",
    "content_missing": "content",
    "initiative_name_missing": "initiative_name",
    "model_field_missing": "initiative_field",
    "area_missing": "area",
    "area_outside": "area",
    "pledge_out_of_range": "households_pledged",
    "pledge_duplicate_area": "area",
    "named_exceeds_pledge": "households",
    "household_outside_area": "households",
    "amount_missing": "amount",
}


class ItemForm(forms.ModelForm):
    households = HouseholdsField(
        label=_("Households taken on (optional)"),
        queryset=Household.objects.none(),
        required=False,
        widget=HouseholdSelect(attrs={"class": "js-households"}),
        help_text=_("Name the households of the residential area once they are in the registry."),
        error_messages={
            "invalid_choice": _("This household is not among the households you can see."),
            "invalid_pk_value": _("This household is not among the households you can see."),
        },
    )

    class Meta:
        model = RegistrationItem
        fields = [
            "kind",
            "description",
            "content",
            "initiative_name",
            "novelty",
            "initiative",
            "initiative_field",
            "area",
            "households_pledged",
            "households",
            "target_quantity",
            "target_unit",
            "amount",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        field_classes = dict.fromkeys(["content", "initiative", "initiative_field", "area"], ModelChoiceField)

    # The item of last year it carries over, kept through the edits: without it, the draft
    # forgot what it carried and the same items could be carried over again.
    carried_from_id = forms.IntegerField(
        required=False, min_value=1, max_value=largest_id(RegistrationItem), widget=forms.HiddenInput
    )

    def __init__(
        self,
        *args,
        registration=None,
        carried=frozenset(),
        households=None,
        household_choices=None,
        initiatives=None,
        initiative_choices=None,
        shared_choices=None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self._carried = carried
        program = registration.period.program
        field = self.fields["households"]
        if households is not None:
            field.queryset = households
        # The row offers the households of its own area (and keeps those chosen); the page
        # carries the whole list once (``household_options``) for the script to offer another
        # area's when the area changes. Every row with every household was 13,000 options.
        area, chosen = self._chosen("area"), set(self._chosen_list("households"))
        rows = [r for r in household_choices or [] if str(r[2]) == area or str(r[0]) in chosen]
        field.choices = [(pk, label) for pk, label, _area in rows]
        field.widget.areas = {str(pk): area for pk, _label, area in rows}
        # A continuing initiative names one of the organization's initiatives the user sees.
        field = self.fields["initiative"]
        field.queryset = initiatives if initiatives is not None else Initiative.objects.none()
        field.label = _("Initiative it continues")
        field.help_text = _("For a continuing initiative: choose it among your organization's initiatives.")
        if initiative_choices is not None:
            field.choices = initiative_choices  # built once for every row of the formset
        contents = ProgramContent.objects.filter(program=program)
        self.fields["content"].queryset = contents.filter(kind=ContentKind.CONTENT)
        self.fields["initiative_field"].queryset = contents.filter(kind=ContentKind.MODEL_FIELD)
        areas = Unit.objects.areas().active().subtree_of(registration.organization.unit)
        self.fields["area"].queryset = areas
        if "area" not in (shared_choices or {}):
            self.fields["area"].choices = area_choices(areas)
        for name, choices in (shared_choices or {}).items():
            self.fields[name].choices = choices  # built once for every row of the formset
        self.fields["households_pledged"].widget.attrs.update(
            {
                "data-min": program.min_households_per_branch,
                "data-max": program.max_households_per_branch,
                "class": "js-pledge",
            }
        )
        self.fields["kind"].widget.attrs["class"] = "js-kind"
        self.fields["area"].widget.attrs["class"] = "js-area"
        self.fields["households"].widget.group_label = self.fields["households"].label
        self._mark_required()

    def _mark_required(self) -> None:
        """Mark the fields the row's kind needs as required ("*", aria-required); a continuing
        initiative gives its name and field."""
        kind = self._chosen("kind")
        used = FIELDS_BY_KIND.get(kind)
        # Drawn hidden already, so that the page does not jump when its script hides them.
        self.hidden_by_kind = (
            {name for name in self.fields if name not in used and name not in ITEM_COMMON_FIELDS}
            if used
            else set()
        )
        needed = set(REQUIRED_BY_KIND.get(kind, ()))
        if kind == ItemKind.INITIATIVE and self._chosen("initiative"):
            needed -= {"initiative_name", "initiative_field"}
        # Checked by the program's rules (the formset's ``clean``), with their messages.
        self._ruled = needed | {"description"}
        for name, field in self.fields.items():
            if name in needed:
                field.required = True
            if field.required and not isinstance(field.widget, forms.HiddenInput):
                field.widget.attrs["aria-required"] = "true"

    def full_clean(self):
        """The fields the rules check are not required while cleaning: the rules then say
        what is missing in their own words (those of the page's live check)."""
        for name in self._ruled:
            self.fields[name].required = False
        try:
            super().full_clean()
        finally:
            for name in self._ruled:
                self.fields[name].required = True

    def clean_carried_from_id(self):
        """Only an origin the registration's own items have: another posted id is dropped."""
        value = self.cleaned_data.get("carried_from_id")
        return value if value in self._carried else None

    def _chosen_list(self, name) -> list[str]:
        """The values of a field as posted, or as given initially, as strings."""
        if self.is_bound:
            return self.data.getlist(self.add_prefix(name)) if hasattr(self.data, "getlist") else []
        value = self.initial.get(name)
        values = value if isinstance(value, list | tuple) else [value]
        return [str(getattr(v, "pk", v)) for v in values if v not in (None, "")]

    def _chosen(self, name) -> str:
        found = self._chosen_list(name)
        return found[0] if found else ""

    def clean(self):
        data = super().clean()
        named = list(data.get("households") or [])
        if data.get("kind") != ItemKind.SPONSORSHIP_PLEDGE:
            data["households"] = []
            return data
        area = data.get("area")
        outside = [h for h in named if area is None or h.area_id != area.pk]
        if outside:
            self.add_error(
                "households",
                _("These households do not live in the chosen residential area: %(names)s.")
                % {"names": ", ".join(f"{h.head_name} ({h.area.name})" for h in outside)},
            )
        pledged = data.get("households_pledged")
        if pledged is not None and len(named) > pledged:
            self.add_error(
                "households",
                _("%(named)s households are named but only %(pledged)s are taken on.")
                % {"named": len(named), "pledged": pledged},
            )
        return data


def household_choices(registration, user):
    """The households the user can see in the organization's areas, as (id, label, area id),
    and the queryset a posted choice is checked against (any visible household, so that one
    of another area gets a clear message rather than "not a valid choice")."""
    visible = access.visible(Household.objects.select_related("area"), user)
    areas = Unit.objects.areas().active().subtree_of(registration.organization.unit)
    # Values, not Household and Unit objects: a large commune's 2,000 of them took a third of
    # the form's time, on every display and every save.
    options = (
        visible.filter(area__in=areas)
        .order_by("area__path", "name_normalized", "pk")
        .values_list("pk", "head_name", "area__name", "area_id")
    )
    found = list(options[: MAX_HOUSEHOLD_OPTIONS + 1])
    if len(found) > MAX_HOUSEHOLD_OPTIONS:
        # A large scope: offer the households the pledge is about, those poor or near-poor
        # in the year (or policy households); any visible one is still accepted on save.
        # A probe per household of the areas (an index on household and year), where an IN
        # over the year's needy statuses hashed the province's 500,000 households first.
        needy = Exists(
            HouseholdStatus.objects.filter(
                household=OuterRef("pk"), year=registration.period.year, status__in=NEEDY_STATUSES
            )
        )
        found = list(options.filter(needy | Q(is_policy=True))[:MAX_HOUSEHOLD_OPTIONS])
    rows = [(pk, f"{name} – {area_name}", area) for pk, name, area_name, area in found]
    return visible, rows


class BaseItemFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), **self._item_kwargs()}

    def __init__(self, *args, registration=None, user=None, **kwargs):
        self.registration = registration
        self.user = user
        self._households = None
        self.initiatives = (
            access.visible(Initiative.objects.filter(organization=registration.organization), user).order_by(
                "name", "pk"
            )
            if user is not None
            else Initiative.objects.none()
        )
        self._initiative_choices = None
        self._shared_choices = None
        super().__init__(*args, **kwargs)

    def _household_data(self) -> tuple:
        """(the households a posted choice is checked against, the rows offered), once."""
        if self._households is None:
            self._households = household_choices(self.registration, self.user)
        return self._households

    def _item_kwargs(self) -> dict:
        """What every row needs, computed once for the formset (not once per row)."""
        households, household_rows = self._household_data()
        if self._initiative_choices is None:
            self._initiative_choices = [("", "---------")] + [
                (i.pk, f"{i.name} ({i.start_year})") for i in self.initiatives
            ]
        if self._shared_choices is None:
            # One query each for the formset, not one per row.
            program = self.registration.period.program
            contents = list(ProgramContent.objects.filter(program=program))
            areas = Unit.objects.areas().active().subtree_of(self.registration.organization.unit)
            self._shared_choices = {
                "content": [("", "---------")]
                + [(c.pk, str(c)) for c in contents if c.kind == ContentKind.CONTENT],
                "initiative_field": [("", "---------")]
                + [(c.pk, str(c)) for c in contents if c.kind == ContentKind.MODEL_FIELD],
                "area": area_choices(areas),
            }
        return {
            "registration": self.registration,
            "households": households,
            "household_choices": household_rows,
            "initiatives": self.initiatives,
            "initiative_choices": self._initiative_choices,
            "shared_choices": self._shared_choices,
            # The origins of the saved items (the initial rows, read with them: no query).
            "carried": frozenset(
                row["carried_from_id"] for row in self.initial or [] if row.get("carried_from_id")
            ),
        }

    @property
    def household_options(self) -> list[tuple]:
        """Every household a row may offer, (id, label, area id): once for the page's script."""
        return self._household_data()[1]

    @property
    def empty_form(self):
        return self.form(auto_id=self.auto_id, prefix=self.add_prefix("__prefix__"), **self._item_kwargs())

    def numbered_forms(self) -> list[tuple]:
        """Each row with its number as the saved items and the server's messages count them
        (the rows ``item_rows`` keeps), or None for an empty new row or one ticked "Delete":
        a card's heading then says the number its messages use."""
        numbered, number = [], 0
        for index, form in enumerate(self.forms):
            in_use = index < self.initial_form_count() or (form.is_bound and form.has_changed())
            deleted = self.can_delete and form.is_bound and self._should_delete_form(form)
            if in_use and not deleted:
                number += 1
                numbered.append((form, number))
            else:
                numbered.append((form, None))
        return numbered

    def kinds_in_use(self) -> list[str]:
        """The kind of each row in use, as posted or saved: the form-wide warnings count them."""
        return [form._chosen("kind") for form, number in self.numbered_forms() if number is not None]

    def clean(self):
        """The program's rules for each row in use, each message next to the field it is
        about (the save checks them again). A field already in error keeps its own message."""
        super().clean()
        prefix = _("Item")
        pledged_areas: dict[int, int] = {}
        for form, number in self.numbered_forms():
            if number is None or not hasattr(form, "cleaned_data"):
                continue
            item = self._unsaved_item(form.cleaned_data)
            found = rules.item_findings(self.registration, item, number)
            if item.kind == ItemKind.SPONSORSHIP_PLEDGE and item.area_id:
                first = pledged_areas.setdefault(item.area_id, number)
                if first != number:
                    found.append(
                        rules.Finding(
                            rules.ERROR,
                            "pledge_duplicate_area",
                            _("Item %(n)s: this residential area already has a pledge in item %(first)s.")
                            % {"n": number, "first": first},
                            number,
                        )
                    )
            lead = f"{prefix} {number}: "
            for finding in found:
                name = FINDING_FIELDS.get(finding.code)
                if name is None or name in form.errors:
                    continue
                message = finding.message
                if message.startswith(lead):  # the card already says the item's number
                    message = message[len(lead) :]
                    message = message[:1].upper() + message[1:]
                form.add_error(name, message)

    def _unsaved_item(self, data: dict) -> RegistrationItem:
        """The row as the save builds it (services._build_items), for the rules to read."""
        item = RegistrationItem(registration=self.registration)
        for name in ItemForm.Meta.fields:
            if name != "households" and data.get(name) is not None:
                setattr(item, name, data[name])
        if item.kind == ItemKind.INITIATIVE and item.initiative_id:
            item.initiative_name = item.initiative_name or item.initiative.name
            if item.initiative_field_id is None:
                item.initiative_field_id = item.initiative.field_id
        item.named_households = list(data.get("households") or [])
        return item

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
    achieved_quantity = forms.IntegerField(
        label=_("Achieved"), min_value=0, max_value=MAX_COUNT, required=False
    )
    achieved_amount = forms.IntegerField(
        label=_("Amount achieved (VND)"), min_value=0, max_value=MAX_VND, required=False
    )
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
    commune = ModelChoiceField(
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

    def __init__(self, *args, units=None, offered=None, **kwargs):
        """``units``: the units a posted choice may be; ``offered``: those the select lists
        (the part of the tree shown), when fewer."""
        super().__init__(*args, **kwargs)
        if units is not None:
            field = self.fields["commune"]
            field.queryset = units
            # One query for the options (the queryset choices ran it once per rendering).
            listed = offered if offered is not None else units
            field.choices = [("", field.empty_label)] + [(u.pk, str(u)) for u in listed]
