"""The households panel of the home page: the gap list's count."""

import datetime

from . import gaps


def panels(request, scope) -> list[dict]:
    # As selectors.latest_year and gap_count give them, in one query.
    year, gap_count = gaps.latest_gap(request.user, default_year=datetime.date.today().year)
    return [{"template": "households/_home_panel.html", "year": year, "gap_count": gap_count}]
