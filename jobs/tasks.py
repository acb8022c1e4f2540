"""The tasks the worker runs (django-tasks): thin, so that what they do is in services and
schedule, where tests call it directly too."""

from django_tasks import task


@task()
def run_job(job_id: int) -> None:
    from . import services

    services.run_job(job_id)


@task()
def run_scheduled(run_id: int) -> None:
    from . import schedule

    schedule.run(run_id)
