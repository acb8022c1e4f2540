"""Panels of the home page: what is due soon or overdue, and what waits for the Front's review."""

from django.utils import timezone

from organizations import access

from . import selectors, status

REMINDER_DAYS = status.DUE_SOON_DAYS


def panels(request, scope) -> list[dict]:
    user = request.user
    found = []
    today = timezone.localdate()
    due = list(selectors.pending_for_user(user, today, REMINDER_DAYS)[:20])
    # The words of each row come from status.status_words, as on the registration's page;
    # the panel shows no waiting message, so who reviews does not matter (and costs no query).
    for reg in due:
        reg.words = status.status_words(reg, today=today, reviewer=False)
    if due:
        found.append({"template": "registrations/_home_due.html", "registrations": due})
    if access.is_reviewer(user):
        waiting = selectors.waiting_for_review(user).count()
        if waiting:
            found.append({"template": "registrations/_home_review.html", "waiting": waiting})
    return found
