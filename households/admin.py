from django.contrib import admin

from .models import Ethnicity, FundEntry, PersonalDataAccess, PovertyStandard


@admin.register(PovertyStandard)
class PovertyStandardAdmin(admin.ModelAdmin):
    """Standards and their thresholds are data: edited here, never in code."""

    list_display = ["code", "first_year", "last_year"]


@admin.register(Ethnicity)
class EthnicityAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FundEntry)
class FundEntryAdmin(ReadOnlyAdmin):
    """Confirmed entries are never edited or deleted, not even here."""

    list_display = ["pk", "unit", "kind", "date", "amount", "reverses"]
    list_filter = ["kind"]


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "action", "unit", "household", "row_count"]
    list_filter = ["action"]
