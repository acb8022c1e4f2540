import datetime

from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from devdata.registrations import open_year
from registrations import services


def _emails(world):
    world.phunu_iadom.email = "phunu@example.org"
    world.phunu_iadom.save()
    world.mttq_iakla.email = "iakla@example.org"
    world.mttq_iakla.save()


def test_send_reminders_emails_editors_before_deadline(world, program):
    _emails(world)
    open_year(world, program, 2018, deadline=timezone.localdate() + datetime.timedelta(days=3))
    call_command("send_reminders", "--days", "7", stdout=open("/dev/null", "w"))
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["iakla@example.org", "phunu@example.org"]
    body = next(m.body for m in mail.outbox if m.to == ["phunu@example.org"])
    assert "Ia Dom" in body and "2018" in body


def test_send_reminders_skips_far_deadlines_submitted_and_closed(world, program, submitted):
    _emails(world)
    call_command("send_reminders", "--days", "7", stdout=open("/dev/null", "w"))
    assert mail.outbox == []  # the deadline is 30 days away
    call_command("send_reminders", "--days", "40", stdout=open("/dev/null", "w"))
    assert [m.to for m in mail.outbox] == [["iakla@example.org"]]  # phunu.iadom has submitted
    mail.outbox.clear()
    services.close_period(period=submitted.period, by=world.mttq_huyen)
    call_command("send_reminders", "--days", "40", stdout=open("/dev/null", "w"))
    assert mail.outbox == []


def test_send_reminders_results_due(world, program, accepted):
    _emails(world)
    period = accepted.period
    period.registration_deadline = period.opens_on
    period.results_deadline = timezone.localdate() + datetime.timedelta(days=2)
    period.save()
    call_command("send_reminders", "--days", "7", stdout=open("/dev/null", "w"))
    body = next(m.body for m in mail.outbox if m.to == ["phunu@example.org"])
    assert "result" in body.lower() or "kết quả" in body.lower()


def test_home_reminder_panel_for_editor_and_review_panel(client_for, world, program, submitted):
    open_year(world, program, 2018, deadline=timezone.localdate() + datetime.timedelta(days=3))
    page = client_for(world.phunu_iadom).get(reverse("home")).content.decode()
    assert 'id="reminder-panel"' in page and "2018" in page
    page = client_for(world.mttq_huyen).get(reverse("home")).content.decode()
    assert 'id="review-panel"' in page
    page = client_for(world.lanhdao).get(reverse("home")).content.decode()
    assert 'id="reminder-panel"' not in page
