from django.contrib import admin

from programs.models import Assignment, Campaign, Program, ProgramContent, ProgramParty
from registrations import tallies
from registrations.models import Registration, RegistrationItem, RegistrationPeriod


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


class RegistrationItemInline(admin.TabularInline):
    model = RegistrationItem
    extra = 0
    raw_id_fields = ["content", "initiative_field", "area", "carried_from"]


@admin.register(RegistrationPeriod)
class RegistrationPeriodAdmin(admin.ModelAdmin):
    list_display = ["year", "program", "registration_deadline", "results_deadline", "closed_at"]
    list_filter = ["year"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The tallies repeat the period's year (campaigns/tallies.py).
        tallies.refresh(registrations=obj.registrations.values_list("pk", flat=True))


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["organization", "period", "status", "is_late", "results_status"]
    list_filter = ["period__year", "status", "results_status", "is_late"]
    raw_id_fields = ["organization", "updated_by"]
    inlines = [RegistrationItemInline]

    def save_related(self, request, form, formsets, change):
        # Items edited here bypass the services, and so do changes of the registration's
        # period, organization or submission, which its tallies repeat: recount them in the
        # admin's own transaction, as the services do.
        super().save_related(request, form, formsets, change)
        tallies.refresh(registrations=[form.instance.pk])
