"""The reports panel of the home page: links to the dashboard, the compliance panel and
the reports (no query: the pages choose the program and the year themselves)."""


def panels(request, scope) -> list[dict]:
    return [{"template": "reports/_home_panel.html"}]
