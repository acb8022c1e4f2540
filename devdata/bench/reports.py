"""The reports' pages for bench/run.py. Reports add no data of their own: they read what
the other apps' generators made."""

from organizations.models import Unit, UnitLevel


def load(context: dict) -> None:
    """Nothing to generate: the dashboards and reports read the other apps' data."""


def pages(users: dict) -> list[dict]:
    commune = Unit.objects.filter(level=UnitLevel.COMMUNE).order_by("official_code").first()
    leader, front, farmers, officer = (
        users["bench.leader"],
        users["bench.front"],
        users["bench.farmers"],
        users["bench.commune"],
    )
    return [
        {"label": "dashboard: leader", "url": "/dashboard/", "user": leader, "target": 15},
        {"label": "dashboard: district organization", "url": "/dashboard/", "user": farmers, "target": 15},
        {"label": "dashboard: commune officer", "url": "/dashboard/", "user": officer, "target": 15},
        {"label": "compliance panel: program level", "url": "/compliance/", "user": front, "target": 25},
        {
            "label": "compliance panel: one commune",
            "url": f"/compliance/?commune={commune.pk}" if commune else "/compliance/",
            "user": front,
            "target": 25,
        },
        {"label": "change log: Front", "url": "/audit/", "user": front, "target": 25},
        {"label": "reports (a)-(g), program years", "url": "/reports/", "user": leader, "target": 25},
        {"label": "reports export .xlsx", "url": "/reports/export.xlsx", "user": leader, "target": 40},
        {"label": "3-year review", "url": "/reports/review/3/", "user": leader, "target": 25},
        {"label": "5-year review", "url": "/reports/review/5/", "user": leader, "target": 25},
        {
            "label": "5-year review .xlsx",
            "url": "/reports/review/5/export.xlsx",
            "user": leader,
            "target": 40,
        },
    ]
