from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "activities"
    verbose_name = _("Initiatives and other activities")

    def ready(self):
        from auditlog.registry import auditlog

        from .models import (
            ExemplaryExample,
            Initiative,
            InitiativeStatusChange,
            InitiativeYear,
            OutstandingArea,
            Supervision,
        )

        for model in (Initiative, InitiativeStatusChange, InitiativeYear, ExemplaryExample, OutstandingArea):
            auditlog.register(model)
        auditlog.register(Supervision, m2m_fields={"participants"})
