"""The words pages show for a registration's state (registrations/status.py): one source,
no two that contradict, the waiting message worded for its reader, and the confirm step
before the locking actions (accept, close the period)."""

import datetime
import itertools

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone

from devdata.registrations import open_year
from registrations.models import (
    Registration,
    RegistrationPeriod,
    RegistrationStatus,
    ResultsStatus,
)
from registrations.status import status_words

TODAY = datetime.date(2026, 3, 20)
NOW = timezone.make_aware(datetime.datetime(2026, 3, 1, 9))
SUBMITTER_WAIT = "Đã nộp, đang chờ Mặt trận xem xét: chỉ sửa được khi bị trả lại."
REVIEWER_WAIT = "Đã nộp, chờ đồng chí xem xét: tiếp nhận hoặc trả lại kèm lý do."


def _registration(status, results_status=ResultsStatus.DRAFT, *, days_left=30, late=False, closed=False):
    """A registration in memory (status_words reads no database)."""
    deadline = TODAY + datetime.timedelta(days=days_left)
    period = RegistrationPeriod(
        year=2026,
        opens_on=datetime.date(2026, 1, 1),
        registration_deadline=deadline,
        results_deadline=deadline,
        closed_at=NOW if closed else None,
    )
    sent = status != RegistrationStatus.DRAFT
    results_sent = results_status != ResultsStatus.DRAFT
    return Registration(
        period=period,
        status=status,
        submitted_at=NOW if sent else None,
        is_late=late and sent,
        results_status=results_status,
        results_submitted_at=NOW if results_sent else None,
        results_is_late=late and results_sent,
    )


def _labels(words):
    found = [words.status, words.timeliness, words.results, words.results_timeliness]
    return [w.label for w in found if w is not None]


STATES = [(s, ResultsStatus.DRAFT) for s in RegistrationStatus] + [
    (RegistrationStatus.ACCEPTED, r) for r in ResultsStatus if r != ResultsStatus.DRAFT
]
COMBINATIONS = list(itertools.product(STATES, (-5, 3, 30), (False, True), (False, True), (False, True)))


@pytest.mark.parametrize("state, days_left, late, closed, reviewer", COMBINATIONS)
def test_status_words_never_contradict(state, days_left, late, closed, reviewer):
    status, results_status = state
    reg = _registration(status, results_status, days_left=days_left, late=late, closed=closed)
    words = status_words(reg, today=TODAY, reviewer=reviewer)
    labels = _labels(words)
    # Never "due soon" beside "overdue", never a deadline word once submitted.
    assert not {"Sắp đến hạn", "Quá hạn"} <= set(labels)
    if reg.submitted_at is not None:
        assert words.timeliness.label in ("Đúng hạn", "Trễ hạn")
    elif closed:
        assert words.timeliness.label == "Chưa nộp"
    # The results' words say they are about the results, and "not submitted" only once
    # the results round is open (the registration accepted).
    assert words.results.label.startswith("Kết quả năm: ")
    if status != RegistrationStatus.ACCEPTED:
        assert words.results.label == "Kết quả năm: nộp sau khi được tiếp nhận"
        assert words.results_timeliness is None
    # Nothing waits in a closed period; a reviewer never reads the submitter's message.
    if closed:
        assert words.waiting is None and not words.needs_review
    if reviewer and words.waiting:
        assert "chờ đồng chí xem xét" in words.waiting and "chờ Mặt trận" not in words.waiting
    assert words.needs_review == (reviewer and words.waiting is not None)


def test_status_words_deadline_before_and_after_submission():
    due_soon = status_words(_registration(RegistrationStatus.DRAFT, days_left=3), today=TODAY, reviewer=False)
    assert due_soon.timeliness.label == "Sắp đến hạn" and due_soon.due.label == "Sắp đến hạn"
    overdue = status_words(_registration(RegistrationStatus.DRAFT, days_left=-5), today=TODAY, reviewer=False)
    assert overdue.timeliness.label == "Quá hạn" and overdue.due.label == "Quá hạn"
    far = status_words(_registration(RegistrationStatus.DRAFT, days_left=30), today=TODAY, reviewer=False)
    assert far.timeliness.label == "Hạn nộp 19/04/2026" and far.due is None
    # Submitted after the deadline: "late", not "overdue"; submitted on time near it: "on time".
    late = _registration(RegistrationStatus.SUBMITTED, days_left=-5, late=True)
    assert status_words(late, today=TODAY, reviewer=False).timeliness.label == "Trễ hạn"
    on_time = status_words(
        _registration(RegistrationStatus.SUBMITTED, days_left=3), today=TODAY, reviewer=False
    )
    assert on_time.timeliness.label == "Đúng hạn" and on_time.due is None


def test_status_words_results_round():
    reg = _registration(RegistrationStatus.ACCEPTED, days_left=3)
    words = status_words(reg, today=TODAY, reviewer=False)
    assert words.results.label == "Kết quả năm: chưa nộp"
    assert words.results_timeliness.label == "Sắp đến hạn" and words.due.label == "Sắp đến hạn"
    reg = _registration(RegistrationStatus.ACCEPTED, ResultsStatus.SUBMITTED, days_left=3)
    submitter = status_words(reg, today=TODAY, reviewer=False)
    reviewer = status_words(reg, today=TODAY, reviewer=True)
    assert submitter.results.label == "Kết quả năm: đã nộp"
    assert submitter.waiting == "Kết quả đã nộp, đang chờ Mặt trận xem xét."
    assert reviewer.waiting == "Kết quả đã nộp, chờ đồng chí xem xét: xác nhận hoặc trả lại kèm lý do."


def _badges(element) -> list[tuple[str, str]]:
    return [
        (b.get("data-status"), b.text_content().strip())
        for b in element.xpath(".//span[contains(concat(' ', @class, ' '), ' status-badge ')]")
    ]


def _detail(client, registration):
    page = client.get(reverse("registrations:registration_detail", args=[registration.pk]))
    return lxml.html.fromstring(page.content)


def test_status_words_same_on_the_page_the_list_and_the_tracking_view(client_for, world, submitted):
    client = client_for(world.mttq_huyen)
    html = _detail(client, submitted)
    on_page = _badges(html.get_element_by_id("registration-status")) + _badges(
        html.get_element_by_id("results-status")
    )
    listing = lxml.html.fromstring(client.get(reverse("registrations:registration_list")).content)
    row = next(
        tr
        for tr in listing.xpath("//table[@id='registration-table']/tbody/tr")
        if tr.xpath(".//a[@href=$h]", h=reverse("registrations:registration_detail", args=[submitted.pk]))
    )
    tracking = lxml.html.fromstring(
        client.get(reverse("registrations:period_detail", args=[submitted.period_id])).content
    )
    tracked = tracking.xpath(f"//table[@id='tracking-table']//tr[@data-registration='{submitted.pk}']")[0]
    expected = [
        ("submitted", "Đã nộp"),
        ("needs_review", "Cần xem xét"),
        ("on_time", "Đúng hạn"),
        ("not_open", "Kết quả năm: nộp sau khi được tiếp nhận"),
    ]
    assert on_page == expected
    assert _badges(row) == expected
    assert _badges(tracked) == expected


def test_status_words_waiting_message_for_the_submitter_and_the_reviewer(client_for, world, submitted):
    submitter = _detail(client_for(world.phunu_iadom), submitted)
    assert submitter.get_element_by_id("waiting").text_content() == SUBMITTER_WAIT
    assert "Cần xem xét" not in submitter.get_element_by_id("registration-status").text_content()
    reviewer = _detail(client_for(world.mttq_huyen), submitted)
    assert reviewer.get_element_by_id("waiting").text_content() == REVIEWER_WAIT
    assert "chờ Mặt trận" not in reviewer.text_content()


def test_status_words_home_panel_says_overdue_without_due_soon(client_for, world, program):
    today = timezone.localdate()
    open_year(world, program, 2018, deadline=today - datetime.timedelta(days=2))
    page = lxml.html.fromstring(client_for(world.phunu_iadom).get(reverse("home")).content)
    panel = page.get_element_by_id("reminder-panel").text_content()
    assert "Quá hạn" in panel and "Sắp đến hạn" not in panel


def test_accept_needs_the_confirm_step(client_for, world, submitted):
    client = client_for(world.mttq_huyen)
    url = reverse("registrations:registration_transition", args=[submitted.pk, "accept"])
    response = client.post(url)
    assert response.status_code == 200
    step = lxml.html.fromstring(response.content).get_element_by_id("confirm-step")
    assert step.xpath(".//button")[0].text_content() == "Xác nhận tiếp nhận"
    assert step.xpath(".//input[@name='confirm']")[0].get("value") == "1"
    assert step.xpath(".//form")[0].get("action") == url
    submitted.refresh_from_db()
    assert submitted.status == RegistrationStatus.SUBMITTED
    response = client.post(url, {"confirm": "1"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == RegistrationStatus.ACCEPTED


def test_accept_confirm_step_refused_to_who_may_not_accept(client_for, world, submitted):
    url = reverse("registrations:registration_transition", args=[submitted.pk, "accept"])
    assert client_for(world.phunu_iadom).post(url).status_code == 403
    assert client_for(world.lanhdao).post(url).status_code == 403


def test_close_period_needs_the_confirm_step(client_for, world, submitted):
    period = submitted.period
    client = client_for(world.mttq_huyen)
    detail = lxml.html.fromstring(
        client.get(reverse("registrations:period_detail", args=[period.pk])).content
    )
    close = detail.get_element_by_id("period-close")
    button = close.xpath(".//button")[0]
    assert button.text_content() == "Khóa sổ đợt đăng ký" and "btn-outline-danger" in button.get("class")
    # Set apart from the year links: not inside the heading's year navigation.
    assert detail.xpath("//nav[@aria-label='Năm']//a") and not detail.xpath("//nav[@aria-label='Năm']//form")
    url = reverse("registrations:period_close", args=[period.pk])
    response = client.post(url)
    assert response.status_code == 200
    step = lxml.html.fromstring(response.content).get_element_by_id("confirm-step")
    assert step.xpath(".//button")[0].text_content() == "Xác nhận khóa sổ đợt đăng ký"
    period.refresh_from_db()
    assert not period.is_closed
    assert client.post(url, {"confirm": "1"}).status_code == 302
    period.refresh_from_db()
    assert period.is_closed
