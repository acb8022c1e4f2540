"""Background work through the real task backend (django-tasks' database backend and its
worker, run here in the test's process): a file built, downloaded by its owner only and
logged; a failure's reason; a worker that stopped mid-way; the daily schedule."""

import datetime
import io
import os

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from devdata.registrations import open_year
from households.jobs import start_household_list
from households.models import AccessAction, Household, PersonalDataAccess
from households.services import create_household
from jobs import schedule, services
from jobs.models import Job, JobStatus, ScheduledRun


def fails_with_a_reason(job, progress):
    progress(1, 3)
    raise services.JobError("Không đọc được danh sách: thiếu cột “Họ và tên”.")


def crashes(job, progress):
    raise ZeroDivisionError


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def run_worker():
    call_command("run_worker", "--batch", stdout=io.StringIO(), stderr=io.StringIO())


def _households(world, count):
    for n in range(count):
        create_household(area=world.iadom_areas[n % 2], head_name=f"Hộ nền {n}", by=world.admin)


def test_a_household_list_is_built_by_the_worker_and_downloaded_by_its_owner_only(
    world, media, client, django_capture_on_commit_callbacks
):
    _households(world, 5)
    officer = world.users["mttq.huyen"]
    with django_capture_on_commit_callbacks(execute=True):
        job = start_household_list(
            user=officer, year=timezone.localdate().year, data={}, unit=world.district, filters="", rows=5
        )
    assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.rows_total, job.percent) == (JobStatus.DONE, 5, 5, 100)
    assert job.expires_at > timezone.now() + datetime.timedelta(days=6)

    client.force_login(officer)
    page = client.get("/my-files/")
    assert f"/my-files/{job.pk}/download/" in page.content.decode()
    before = PersonalDataAccess.objects.count()
    response = client.get(f"/my-files/{job.pk}/download/")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    names = {row[1] for row in sheet.iter_rows(values_only=True)}
    assert {f"Hộ nền {n}" for n in range(5)} <= names
    logged = PersonalDataAccess.objects.order_by("-pk").first()
    assert PersonalDataAccess.objects.count() == before + 1
    assert (logged.user, logged.action, logged.row_count) == (officer, AccessAction.EXPORT, 5)

    client.force_login(world.users["mttq.iadom"])
    assert client.get(f"/my-files/{job.pk}/download/").status_code == 404
    assert f"/my-files/{job.pk}/" not in client.get("/my-files/").content.decode()
    status = client.get(f"/my-files/status.json?id={job.pk}").json()
    assert status == {"jobs": []}


def test_the_list_is_built_within_the_owners_scope_at_run_time(
    world, media, django_capture_on_commit_callbacks
):
    _households(world, 4)
    create_household(area=world.iakla_areas[0], head_name="Hộ Ia Kla", by=world.admin)
    officer = world.users["mttq.iadom"]
    with django_capture_on_commit_callbacks(execute=True):
        job = start_household_list(
            user=officer, year=timezone.localdate().year, data={}, unit=world.iadom, filters="", rows=4
        )
    run_worker()
    job.refresh_from_db()
    sheet = load_workbook(job.file.path).active
    names = {row[1] for row in sheet.iter_rows(values_only=True)}
    assert (
        "Hộ Ia Kla" not in names
        and job.rows_done == Household.objects.filter(area__parent=world.iadom).count()
    )


def test_a_failed_job_shows_its_reason_and_can_be_built_again(
    world, media, client, django_capture_on_commit_callbacks
):
    officer = world.users["mttq.huyen"]
    with django_capture_on_commit_callbacks(execute=True):
        failing = services.start_job(
            user=officer, runner="jobs.tests.test_jobs.fails_with_a_reason", title="Danh sách thử", params={}
        )
        crashing = services.start_job(
            user=officer, runner="jobs.tests.test_jobs.crashes", title="Danh sách lỗi", params={}
        )
    run_worker()
    failing.refresh_from_db()
    crashing.refresh_from_db()
    assert failing.status == crashing.status == JobStatus.FAILED
    assert failing.error == "Không đọc được danh sách: thiếu cột “Họ và tên”."
    assert "lỗi không mong đợi" in crashing.error
    client.force_login(officer)
    page = client.get("/my-files/").content.decode()
    assert "thiếu cột “Họ và tên”" in page and "Thất bại" in page
    assert client.get(f"/my-files/{failing.pk}/download/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/my-files/{failing.pk}/retry/")
    assert response.status_code == 302
    again = Job.objects.exclude(pk__in=[failing.pk, crashing.pk]).get()
    assert (again.title, again.status, again.runner) == ("Danh sách thử", JobStatus.QUEUED, failing.runner)


def test_a_job_whose_worker_stopped_is_marked_failed_never_left_running(world, media, client, settings):
    officer = world.users["mttq.huyen"]
    silent_since = timezone.now() - datetime.timedelta(seconds=settings.JOB_STALE_SECONDS + 5)
    stopped = Job.objects.create(
        user=officer,
        runner="households.jobs.household_list",
        title="Danh sách hộ",
        status=JobStatus.RUNNING,
        rows_done=10,
        rows_total=100,
        started_at=silent_since,
        heartbeat_at=silent_since,
    )
    alive = Job.objects.create(
        user=officer,
        runner="households.jobs.household_list",
        title="Danh sách hộ khác",
        status=JobStatus.RUNNING,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )
    client.force_login(officer)
    assert "Không thấy tiến triển" in client.get("/my-files/").content.decode()
    run_worker()  # a restarted worker first marks what its predecessor left
    stopped.refresh_from_db()
    alive.refresh_from_db()
    assert stopped.status == JobStatus.FAILED and "dừng" in stopped.error
    assert alive.status == JobStatus.RUNNING


def test_progress_is_written_as_the_rows_go(world, media):
    job = Job.objects.create(user=world.admin, runner="x.y", title="t", status=JobStatus.RUNNING)
    progress = services.Progress(job)
    progress(0, 1000)
    progress(10)  # within the second: not written
    job.refresh_from_db()
    assert (job.rows_done, job.rows_total) == (0, 1000)
    progress(1000, 1000)  # the last rows always are
    job.refresh_from_db()
    assert (job.rows_done, job.percent) == (1000, 100)


def test_expired_files_are_removed_with_their_records(world, media, django_capture_on_commit_callbacks):
    _households(world, 2)
    with django_capture_on_commit_callbacks(execute=True):
        job = start_household_list(
            user=world.admin, year=timezone.localdate().year, data={}, unit=world.district, filters="", rows=2
        )
    run_worker()
    job.refresh_from_db()
    path = job.file.path
    Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    out = io.StringIO()
    call_command("remove_expired_files", stdout=out)
    assert not Job.objects.filter(pk=job.pk).exists()
    assert not os.path.exists(path)
    assert out.getvalue().startswith("1 ")


def test_the_schedule_queues_each_slot_once_and_sends_the_reminders(
    world, program, settings, django_capture_on_commit_callbacks
):
    world.phunu_iadom.email = "phunu@example.org"
    world.phunu_iadom.save()
    open_year(world, program, 2018, deadline=timezone.localdate() + datetime.timedelta(days=3))
    settings.SCHEDULE = {
        "reminders": {"at": "07:00", "command": ["send_reminders", "--days", "7"]},
        "backup": {"at": "01:00", "command": ["backup"], "enabled": False},
        "broken": {"at": "03:00", "command": ["no_such_command"]},
    }
    with django_capture_on_commit_callbacks(execute=True):
        first = schedule.ensure_scheduled()
        again = schedule.ensure_scheduled()
    assert sorted(run.name for run in first) == ["broken", "reminders"] and again == []
    reminders = ScheduledRun.objects.get(name="reminders")
    assert timezone.localtime(reminders.due_at).hour == 7 and reminders.due_at > timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        schedule.run(reminders.pk)
        schedule.run(reminders.pk)  # a second delivery of the same task runs nothing
    reminders.refresh_from_db()
    assert reminders.ok is True and reminders.finished_at is not None
    assert [m.to for m in mail.outbox] == [["phunu@example.org"]]
    assert "Ia Dom" in mail.outbox[0].body
    # The next day's run is queued once the day's has run.
    assert ScheduledRun.objects.filter(name="reminders", started_at__isnull=True).count() == 1

    broken = ScheduledRun.objects.get(name="broken")
    with django_capture_on_commit_callbacks(execute=True):
        schedule.run(broken.pk)
    broken.refresh_from_db()
    assert broken.ok is False and "no_such_command" in broken.result


def test_next_due_is_the_next_local_time_of_day(settings):
    now = timezone.make_aware(datetime.datetime(2026, 12, 7, 8, 30))
    assert timezone.localtime(schedule.next_due("07:00", now)).day == 8
    assert timezone.localtime(schedule.next_due("09:15", now)).hour == 9


def test_a_list_longer_than_the_threshold_goes_to_the_worker_a_short_one_comes_at_once(
    world, media, client, settings, django_capture_on_commit_callbacks
):
    _households(world, 3)
    client.force_login(world.users["mttq.huyen"])
    settings.EXPORT_IN_BACKGROUND_ROWS = 3
    response = client.get("/households/export.xlsx")
    assert response.status_code == 200 and not Job.objects.exists()

    settings.EXPORT_IN_BACKGROUND_ROWS = 2
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/households/export.xlsx", follow=True)
    job = Job.objects.get()
    assert response.redirect_chain[-1][0] == "/my-files/"
    page = response.content.decode()
    assert "đang được tạo ở chế độ nền" in page and job.title in page
    assert job.rows_total == 3 and job.status == JobStatus.QUEUED
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.rows_done) == (JobStatus.DONE, 3)
