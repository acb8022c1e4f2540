"""The households panel of the home page: the gap list's count."""

from . import selectors


def panels(request, scope) -> list[dict]:
    user = request.user
    year = selectors.latest_year(user)
    return [
        {
            "template": "households/_home_panel.html",
            "year": year,
            "gap_count": selectors.gap_count(user, year=year),
        }
    ]
