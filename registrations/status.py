"""The words a page shows for a registration's state, derived in one place.

The registration page, the list, the tracking view and the home panel all ask
``status_words`` so that no page shows two words that contradict: a deadline is "due soon"
or "overdue" only while nothing has been submitted (once submitted, the page says on time
or late), the results' words say they are about the year's results, and the waiting
message is worded for the one who reads it (the submitter waits for the Front; the Front's
reviewer is asked to review).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from organizations import access
from organizations.access import Permission
from registrations.models import Registration, RegistrationStatus, ResultsStatus

# How many days before a deadline it is "due soon" (also the home panel's reminder window).
DUE_SOON_DAYS = 14

# Word codes that are deadline pressure (the home panel lists them).
DUE_CODES = ("due_soon", "overdue")


@dataclass(frozen=True)
class Word:
    code: str  # the badge's style key (registration_tags.STATUS_STYLE) and data-status
    label: str


@dataclass(frozen=True)
class StatusWords:
    status: Word
    timeliness: Word  # on time / late once submitted; due soon / overdue / due on … before
    results: Word  # always worded as the year's results
    results_timeliness: Word | None  # only once the results round is open (accepted)
    waiting: str | None  # who the registration or its results wait for, said to the reader
    needs_review: bool  # the reader is the Front's reviewer and something waits for them

    @property
    def due(self) -> Word | None:
        """The deadline pressure of the step the organization has to take now, if any."""
        word = self.results_timeliness if self.status.code == RegistrationStatus.ACCEPTED else self.timeliness
        return word if word is not None and word.code in DUE_CODES else None


def reviews(user, registration: Registration) -> bool:
    """Whether ``user`` is the Front's reviewer of this registration (no query: the
    registration's organization and unit are judged in memory)."""
    return access.can(user, Permission.REVIEW, registration)


def _timeliness(submitted_at, is_late: bool, deadline: datetime.date, closed: bool, today) -> Word:
    if submitted_at is not None:
        return Word("late", _("Late")) if is_late else Word("on_time", _("On time"))
    if closed:
        return Word("not_submitted", _("Not submitted"))
    if deadline < today:
        return Word("overdue", _("Overdue"))
    if deadline <= today + datetime.timedelta(days=DUE_SOON_DAYS):
        return Word("due_soon", _("Due soon"))
    return Word("pending", _("Due on %(date)s") % {"date": date_format(deadline, "SHORT_DATE_FORMAT")})


def _results(registration: Registration) -> Word:
    if registration.status != RegistrationStatus.ACCEPTED:
        # Not a "not submitted" beside a submitted registration: the round has not opened.
        return Word("not_open", _("Results of the year: entered after acceptance"))
    labels = {
        ResultsStatus.DRAFT: _("Results of the year: not submitted"),
        ResultsStatus.SUBMITTED: _("Results of the year: submitted"),
        ResultsStatus.RETURNED: _("Results of the year: returned"),
        ResultsStatus.CONFIRMED: _("Results of the year: confirmed"),
    }
    return Word(registration.results_status, labels[registration.results_status])


def _waiting(registration: Registration, reviewer: bool, closed: bool) -> str | None:
    if closed:  # nothing waits in a closed period: all entry and review is locked
        return None
    if registration.status == RegistrationStatus.SUBMITTED:
        if reviewer:
            return _("Submitted: waiting for your review. Accept it or return it with a reason.")
        return _("Submitted and waiting for the Front's review: it can be changed again if it is returned.")
    if (
        registration.status == RegistrationStatus.ACCEPTED
        and registration.results_status == ResultsStatus.SUBMITTED
    ):
        if reviewer:
            return _(
                "The results are submitted: waiting for your review. Confirm them or return them with a reason."
            )
        return _("The results are submitted and waiting for the Front's review.")
    return None


def status_words(registration: Registration, *, today: datetime.date, reviewer: bool) -> StatusWords:
    """The words for ``registration`` (its ``period`` already read) as ``reviewer`` or not
    reads them on ``today``."""
    period = registration.period
    closed = period.closed_at is not None
    accepted = registration.status == RegistrationStatus.ACCEPTED
    waiting = _waiting(registration, reviewer, closed)
    return StatusWords(
        status=Word(registration.status, registration.get_status_display()),
        timeliness=_timeliness(
            registration.submitted_at, registration.is_late, period.registration_deadline, closed, today
        ),
        results=_results(registration),
        results_timeliness=_timeliness(
            registration.results_submitted_at,
            registration.results_is_late,
            period.results_deadline,
            closed,
            today,
        )
        if accepted
        else None,
        waiting=waiting,
        needs_review=reviewer and waiting is not None,
    )


def attach(registrations, user, today: datetime.date) -> None:
    """``r.words`` on each of the registrations (their period and organization's unit
    already read): what a list or table shows."""
    for r in registrations:
        r.words = status_words(r, today=today, reviewer=reviews(user, r))
