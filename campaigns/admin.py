from django.contrib import admin

from .models import Assignment, Campaign, Program, ProgramContent, ProgramParty


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
