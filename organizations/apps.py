from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "organizations"
    verbose_name = _("Units and organizations")

    def ready(self):
        from auditlog.registry import auditlog

        from . import signals  # noqa: F401  (login logging)
        from .models import Membership, Organization, Unit, User

        auditlog.register(User, exclude_fields=["password", "last_login"])
        auditlog.register(Membership)
        auditlog.register(Unit)
        auditlog.register(Organization)
