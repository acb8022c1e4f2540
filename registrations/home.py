"""Panels of the home page: what is due soon, and what waits for the Front's review."""

from django.utils import timezone

from organizations import access

from . import selectors

REMINDER_DAYS = 14


def panels(request, scope) -> list[dict]:
    user = request.user
    found = []
    today = timezone.localdate()
    due = list(selectors.pending_for_user(user, today, REMINDER_DAYS)[:20])
    for reg in due:
        deadline = (
            reg.period.results_deadline if reg.status == "accepted" else reg.period.registration_deadline
        )
        reg.is_overdue = deadline < today
    if due:
        found.append({"template": "registrations/_home_due.html", "registrations": due})
    if access.is_reviewer(user):
        waiting = selectors.waiting_for_review(user).count()
        if waiting:
            found.append({"template": "registrations/_home_review.html", "waiting": waiting})
    return found
