"""The reports' panels of the home page: the gap of the latest reviewed year (the
catalogue's "gap"), and links to the dashboard, the compliance panel and the reports (no
query: the pages choose the program and the year themselves)."""

from . import indicators


def panels(request, scope) -> list[dict]:
    year, gap = indicators.latest_gap(indicators.Where(request.user))
    return [
        {"template": "reports/_home_gap.html", "year": year, "gap_count": gap},
        {"template": "reports/_home_panel.html"},
    ]
