from django.db import migrations
from django.db.models import Count, Exists, OuterRef, Q, Sum

OUT_OF_POVERTY = ["escaped", "escaped_near", "average"]


def recount_escaped(apps, schema_editor):
    """The aid summaries' "escaped" of the sponsorships, from the next year's review instead of
    the outcome typed by hand (households/rules.py ``outcome``; written out here on the
    historical models)."""
    Sponsorship = apps.get_model("households", "Sponsorship")
    HouseholdStatus = apps.get_model("households", "HouseholdStatus")
    AidSummary = apps.get_model("households", "AidSummary")
    AidCommuneSummary = apps.get_model("households", "AidCommuneSummary")
    escaped = Exists(
        HouseholdStatus.objects.filter(
            household=OuterRef("household"), year=OuterRef("year") + 1, status__in=OUT_OF_POVERTY
        )
    )
    AidSummary.objects.filter(figure="sponsorships").update(escaped=0)
    AidCommuneSummary.objects.filter(figure="sponsorships").update(escaped=0)
    rows = (
        Sponsorship.objects.annotate(out_of_poverty=escaped)
        .values("household__area", "year", "organization__kind")
        .annotate(n=Count("pk", filter=Q(out_of_poverty=True)))
        .order_by()
    )
    for row in rows:
        AidSummary.objects.filter(
            area_id=row["household__area"], year=row["year"], figure="sponsorships", key=row["organization__kind"]
        ).update(escaped=row["n"])
    for row in (
        AidSummary.objects.filter(figure="sponsorships")
        .values("area__parent", "year", "key")
        .annotate(n=Sum("escaped"))
        .order_by()
    ):
        AidCommuneSummary.objects.filter(
            commune_id=row["area__parent"], year=row["year"], figure="sponsorships", key=row["key"]
        ).update(escaped=row["n"])


def recount_paid_from_fund(apps, schema_editor):
    """The summaries' funding "from the fund": what the ledgers spent on supports and still
    stands (households/aid.py ``paid_from_fund``), instead of what the supports said."""
    FundEntry = apps.get_model("households", "FundEntry")
    AidSummary = apps.get_model("households", "AidSummary")
    AidCommuneSummary = apps.get_model("households", "AidCommuneSummary")
    AidSummary.objects.filter(figure="funding", key="fund").delete()
    AidCommuneSummary.objects.filter(figure="funding", key="fund").delete()
    paid = (
        FundEntry.objects.filter(
            support__isnull=False, confirmed=True, reverses__isnull=True, reversed_by__isnull=True
        )
        .values("support__household__area", "support__date__year")
        .annotate(n=Count("pk"), value=Sum("amount"))
        .order_by()
    )
    AidSummary.objects.bulk_create(
        AidSummary(
            area_id=row["support__household__area"], year=row["support__date__year"], figure="funding",
            key="fund", count=row["n"], value=row["value"],
        )
        for row in paid
    )
    AidCommuneSummary.objects.bulk_create(
        AidCommuneSummary(
            commune_id=row["area__parent"], year=row["year"], figure="funding", key="fund", count=row["n"],
            value=row["value"],
        )
        for row in AidSummary.objects.filter(figure="funding", key="fund")
        .values("area__parent", "year")
        .annotate(n=Sum("count"), value=Sum("value"))
        .order_by()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0004_poverty_standard_rules"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="sponsorship",
            name="sponsorship_outcome_valid",
        ),
        migrations.RemoveField(
            model_name="sponsorship",
            name="outcome",
        ),
        migrations.RunPython(recount_escaped, migrations.RunPython.noop),
        migrations.RunPython(recount_paid_from_fund, migrations.RunPython.noop),
    ]
