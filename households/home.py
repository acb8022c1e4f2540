"""The households panel of the home page: the gap list's count."""

from . import selectors


def panels(request, scope) -> list[dict]:
    year, gap_count = selectors.latest_gap(request.user)
    return [{"template": "households/_home_panel.html", "year": year, "gap_count": gap_count}]
