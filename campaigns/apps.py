from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "campaigns"
    verbose_name = _("Campaign and registrations")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        # Who changed what, when: the workflow history says why, the audit log says exactly.
        auditlog.register(models.RegistrationPeriod)
        auditlog.register(models.Registration, exclude_fields=["updated_at", "version"])
        auditlog.register(models.RegistrationItem)

        # Issue 5: initiatives, supervision, examples, outstanding areas, documents, programs.
        for model in (
            models.Program,
            models.Initiative,
            models.InitiativeStatusChange,
            models.InitiativeYear,
            models.Supervision,
            models.ExemplaryExample,
            models.OutstandingArea,
            models.ProgramDocument,
        ):
            if not auditlog.contains(model):
                auditlog.register(model, m2m_fields={"participants"} if model is models.Supervision else None)
