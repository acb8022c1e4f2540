from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "registrations"
    verbose_name = _("Registrations")

    def ready(self):
        from auditlog.registry import auditlog

        from core import summaries

        from . import tallies
        from .models import Registration, RegistrationItem, RegistrationPeriod

        # Who changed what, when: the workflow history says why, the audit log says exactly.
        auditlog.register(RegistrationPeriod)
        auditlog.register(Registration, exclude_fields=["updated_at", "version"])
        auditlog.register(RegistrationItem)
        summaries.register("registration tallies", tallies)
