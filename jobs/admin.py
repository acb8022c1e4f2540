from django.contrib import admin

from .models import Job, ScheduledRun


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ScheduledRun)
class ScheduledRunAdmin(ReadOnlyAdmin):
    """The schedule's runs (settings.SCHEDULE): when each was due, ran, and what came of it."""

    list_display = ["name", "due_at", "started_at", "finished_at", "ok"]
    list_filter = ["name", "ok"]


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ["title", "user", "status", "rows_done", "rows_total", "created_at", "finished_at"]
    list_filter = ["status"]
    exclude = ["file"]
