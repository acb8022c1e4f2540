from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "campaigns"
    verbose_name = _("Campaign and registrations")

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Registration, RegistrationItem, RegistrationPeriod

        # Who changed what, when: the workflow history says why, the audit log says exactly.
        auditlog.register(RegistrationPeriod)
        auditlog.register(Registration, exclude_fields=["updated_at", "version"])
        auditlog.register(RegistrationItem)
