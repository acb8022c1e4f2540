"""The dashboard's figures and charts: the read side's selectors arranged for the page,
with their names and the data of each chart (Chart.js) and of the table it can be read as."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from . import selectors
from .indicators import INDICATORS
from .selectors import Filters

# The dashboard's chart by commune draws at most this many communes: a province's 218 bars
# cannot be read. Above it, the chart shows the communes with the most households without
# a sponsor, where the program's promise is furthest from kept.
CHART_COMMUNES = 30


def _labelled(figures):
    """(code, value, url) figures as the dashboard lists them, each with the indicator's name
    and a link to its definition."""
    definitions = reverse("reports:indicators")
    return [
        {
            "key": code,
            "label": INDICATORS[code].name,
            "value": value,
            "url": url,
            "definition": f"{definitions}#{code}",
        }
        for code, value, url in figures
    ]


def commune_chart_heading(shown: int, total: int) -> dict:
    """The title of the chart by commune, and its note when it shows only some communes."""
    if shown == total:
        return {"title": _("By commune"), "note": ""}
    return {
        "title": _("The %(n)s communes with the most households without a sponsor") % {"n": shown},
        "note": _("%(shown)s of %(total)s communes. Choose a commune above to see its own figures.")
        % {"shown": shown, "total": total},
    }


def dashboard_figures(user, f: Filters) -> dict:
    """What the dashboard draws under its filters: the headline indicators, the figures by
    subject, the breakdowns of initiatives and the charts, each with the table it can be
    read as."""
    figures = selectors.dashboard_figures(user, f)
    # Rule 2's check lists the communes in scope by name: the chart by commune reuses them.
    outstanding = selectors.outstanding_rule(user, f) if f.program else None
    initiatives = selectors.initiative_breakdowns(user, f)
    # The households by commune first: the trends and the year's totals add up those rows.
    communes = selectors.by_commune(
        user,
        f,
        figures,
        communes=[row["commune"] for row in outstanding] if outstanding is not None else None,
        initiatives=initiatives["by_commune"],
    )
    trends = selectors.trends(user, f, figures)
    commune_count = len(communes)
    if commune_count > CHART_COMMUNES:
        # sorted() keeps the name order among communes of equal figures
        communes = sorted(communes, key=lambda row: (-row["gap"], -row["poor"]))[:CHART_COMMUNES]
    values = selectors.dashboard_values(user, f, figures)
    before = selectors.dashboard_values(user, f, figures, year=f.year - 1)
    registered = selectors.commitments(user, f)
    registrations = selectors.registration_figures(user, f, values)
    fund = selectors.fund_figures(user, f, values)
    headline = selectors.headline(
        user,
        f,
        values | registered[f.year],
        before | registered[f.year - 1],
        registrations=registrations,
        outstanding=outstanding,
        models=selectors.initiative_rule(user, f) if f.program else None,
        fund=fund,
    )
    if registrations is not None:
        registrations["figures"] = _labelled(registrations["figures"])
    context = {
        "headline": headline,
        "last_year": f.year - 1,
        "registrations": registrations,
        "households": _labelled(selectors.household_figures(user, f, values)),
        "initiatives": initiatives,
        "fund": fund,
        "supervisions": _labelled(selectors.supervision_figures(user, f, values)),
        "communes": communes,
        "trends": trends,
        "chart_data": {
            # One measure, one scale a chart: registrations (tens to a thousand) and
            # households (thousands to 150,000) are charted apart.
            "households": {
                "labels": trends["labels"],
                "axis": pgettext("chart axis", "Households"),
                "series": [
                    {"label": _("Poor households"), "data": trends["poor"]},
                    {"label": _("Near-poor households"), "data": trends["near_poor"]},
                    {"label": _("Escaped poverty"), "data": trends["escaped"]},
                ],
            },
            "registrations": {
                "labels": trends["labels"],
                "axis": _("Registrations"),
                "series": [{"label": _("Registrations received"), "data": trends["received"]}],
            },
            "communes": {
                "labels": [row["commune"].name for row in communes],
                "series": [
                    {"label": _("Poor households"), "data": [row["poor"] for row in communes]},
                    {"label": _("Without a sponsor"), "data": [row["gap"] for row in communes]},
                    {"label": _("Initiatives"), "data": [row["initiatives"] for row in communes]},
                ],
            },
            "kinds": {
                "labels": [row[0] for row in initiatives["kind"]],
                "series": [{"label": _("Initiatives"), "data": [row[1] for row in initiatives["kind"]]}],
            },
        },
    }
    data = context["chart_data"]
    context["initiative_groups"] = [
        (_("By status"), initiatives["status"]),
        (_("By organization"), initiatives["kind"]),
        (_("By field"), initiatives["field"]),
    ]
    context["charts"] = [
        *(
            {
                "key": key,
                "type": chart_type,
                "title": title,
                "first": _("Year"),
                "data": data[key],
                "rows": [
                    [label, *[s["data"][i] for s in data[key]["series"]]]
                    for i, label in enumerate(data[key]["labels"])
                ],
            }
            for key, chart_type, title in (
                ("households", "line", _("Households over the program's years")),
                ("registrations", "bar", _("Registrations received over the program's years")),
            )
        ),
        {
            "key": "communes",
            "type": "bar",
            **commune_chart_heading(len(communes), commune_count),
            "first": _("Commune"),
            "data": data["communes"],
            "rows": [
                [
                    row["commune"].name,
                    {"n": row["poor"], "url": row["poor_url"]},
                    {"n": row["gap"], "url": row["gap_url"]},
                    {"n": row["initiatives"], "url": row["initiatives_url"]},
                ]
                for row in communes
            ],
        },
        {
            "key": "kinds",
            "type": "bar",
            "title": _("Initiatives by organization"),
            "first": _("Organization"),
            "data": data["kinds"],
            "rows": [[label, {"n": n, "url": url}] for label, n, url in initiatives["kind"]],
        },
    ]
    return context
