"""The reports panel of the home page: links to the dashboard, the compliance panel and
the reports, with the number of failing checks of the year."""

from . import selectors


def panels(request, scope) -> list[dict]:
    user = request.user
    program = selectors.default_program(user)
    if program is None:
        return []
    year = selectors.default_year(program, user)
    return [{"template": "reports/_home_panel.html", "year": year, "program": program}]
