"""Home-page panel: overdue follow-ups of supervision and criticism."""

from django.utils import timezone

from . import selectors


def panels(request, scope) -> list[dict]:
    """Shown to everyone who can see an overdue follow-up (the Front above all)."""
    today = timezone.localdate()
    overdue = list(selectors.overdue_supervisions(request.user, today)[:10])
    if not overdue:
        return []
    return [{"template": "activities/supervision_home_panel.html", "overdue": overdue, "today": today}]
