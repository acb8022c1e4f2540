from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "households"
    verbose_name = _("Households and poverty support")

    def ready(self):
        # Who changed a personal record, when, old → new (the ID number is masked in the log).
        # Bulk imports write through bulk operations, which the log does not see; the
        # ReviewImport record keeps who applied which file.
        from auditlog.registry import auditlog

        from core import summaries

        from . import aid, fund, gaps
        from .models import FundEntry, Household, HouseholdStatus, Sponsorship, Support

        # duplicate_allowed: the uniqueness guard's bookkeeping, not something the user entered.
        auditlog.register(
            Household,
            mask_fields=["national_id"],
            exclude_fields=["updated_at", "version", "duplicate_allowed"],
        )
        auditlog.register(HouseholdStatus)
        auditlog.register(Sponsorship)
        auditlog.register(Support)
        auditlog.register(FundEntry, exclude_fields=["version", "updated_at"])

        # The gap and aid summaries' rows per commune included.
        summaries.register("gap summary", gaps)
        summaries.register("aid summary", aid)
        summaries.register("fund years", fund)
