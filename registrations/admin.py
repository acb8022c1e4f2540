from django.contrib import admin

from programs.models import Assignment, Campaign, Program, ProgramContent, ProgramParty
from registrations import tallies
from registrations.models import Registration, RegistrationEvent, RegistrationItem, RegistrationPeriod


class ContentInline(admin.TabularInline):
    model = ProgramContent
    extra = 0


class PartyInline(admin.TabularInline):
    model = ProgramParty
    extra = 0
    raw_id_fields = ["organization"]


class AssignmentInline(admin.StackedInline):
    model = Assignment
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "launched_by"]


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "owner_unit", "start_year", "end_year"]
    raw_id_fields = ["owner_unit", "parent"]
    inlines = [ContentInline, AssignmentInline, PartyInline]


class ReadOnlyInline(admin.TabularInline):
    """Shown, never written: a registration's items and history change only through the
    services (registrations/services.py), which keep its workflow, history and tallies."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RegistrationItemInline(ReadOnlyInline):
    model = RegistrationItem
    fields = [
        "order",
        "kind",
        "description",
        "target_quantity",
        "target_unit",
        "content",
        "initiative_field",
        "initiative_name",
        "novelty",
        "area",
        "households_pledged",
        "amount",
        "result",
        "achieved_quantity",
        "achieved_amount",
        "result_note",
        "evidence",
        "carried_from",
        "initiative",
        "created_initiative",
        "outstanding_area",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related(
                "content",
                "initiative_field",
                "area",
                "carried_from",
                "initiative",
                "created_initiative",
                "outstanding_area__area",
            )
        )


class RegistrationEventInline(ReadOnlyInline):
    model = RegistrationEvent
    fields = ["at", "by", "action", "from_status", "to_status", "reason", "summary"]
    readonly_fields = fields
    ordering = ["-at", "-id"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


@admin.register(RegistrationPeriod)
class RegistrationPeriodAdmin(admin.ModelAdmin):
    list_display = ["year", "program", "registration_deadline", "results_deadline", "closed_at"]
    list_filter = ["year"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The tallies repeat the period's year (campaigns/tallies.py).
        tallies.refresh(registrations=obj.registrations.values_list("pk", flat=True))


# The workflow's fields: only the workflow (services.transition) moves them, recording its
# history; the admin shows them.
WORKFLOW_FIELDS = [
    "status",
    "first_submitted_at",
    "submitted_at",
    "is_late",
    "return_reason",
    "accepted_at",
    "results_status",
    "results_submitted_at",
    "results_is_late",
    "results_return_reason",
    "version",
    "updated_at",
    "updated_by",
]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["organization", "period", "status", "is_late", "results_status"]
    list_filter = ["period__year", "status", "results_status", "is_late"]
    raw_id_fields = ["organization"]
    fields = ["period", "organization", *WORKFLOW_FIELDS]
    readonly_fields = WORKFLOW_FIELDS
    inlines = [RegistrationItemInline, RegistrationEventInline]

    def save_related(self, request, form, formsets, change):
        # A change of the registration's period or organization, which its tallies repeat,
        # bypasses the services: recount them in the admin's own transaction, as they do.
        super().save_related(request, form, formsets, change)
        tallies.refresh(registrations=[form.instance.pk])
