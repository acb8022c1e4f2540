from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Membership, Organization, Unit, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    list_display = ["username", "full_name", "email", "is_active", "is_superuser"]
    search_fields = ["username", "full_name", "email"]
    ordering = ["username"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("full_name", "email")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "must_change_password", "is_staff", "is_superuser")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "official_code", "parent", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["name", "name_normalized"]
    raw_id_fields = ["parent"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "unit"]
    list_filter = ["kind", "unit__level"]
    search_fields = ["name"]
    raw_id_fields = ["unit"]

    def get_readonly_fields(self, request, obj=None):
        # An organization is the Front or one organization of one unit: its registrations,
        # sponsorships, members and the summary figures counted from them hang on both.
        # Another unit or kind is another organization.
        return ["unit", "kind"] if obj is not None else []
