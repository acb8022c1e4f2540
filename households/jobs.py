"""The household list exported in the background (jobs/): a list longer than
EXPORT_IN_BACKGROUND_ROWS is built by the worker, through the same selector and so the same
access rules as the page, and each download is logged as the page's export is."""

from __future__ import annotations

from django.utils.translation import gettext as _

from jobs.services import Output, Progress, start_job
from organizations.models import Unit

from . import exporters, selectors, services
from .models import AccessAction, Status

RUNNER = "households.jobs.household_list"
# The household list's filters (selectors.households' keywords) and their empty values.
FILTERS = {"q": "", "commune": None, "area": None, "status": "", "sponsor": ""}


def start_household_list(*, user, year: int, data: dict, unit: Unit, filters: str, rows: int):
    """Queues the list the household page shows with ``data`` (its filter form's values)."""
    params = {
        "year": year,
        "unit": unit.pk,
        "filters": filters,
        "where": {key: data.get(key) or default for key, default in FILTERS.items()},
    }
    title = _("Household list %(year)s, %(unit)s") % {"year": year, "unit": unit.name}
    return start_job(user=user, runner=RUNNER, title=title, params=params, rows_total=rows)


def household_list(job, progress: Progress) -> Output:
    p = job.params
    qs = selectors.households(job.user, year=p["year"], **p["where"])
    unit = Unit.objects.get(pk=p["unit"])
    content, count = exporters.households_workbook(
        qs, unit=unit, year=p["year"], status_labels=dict(Status.choices), progress=progress
    )
    return Output(content=content, file_name=f"danh-sach-ho-{p['year']}.xlsx", rows=count)


def _log_download(job) -> None:
    """Each download of the file is an export of personal data, as on the page."""
    services.log_access(
        user=job.user,
        action=AccessAction.EXPORT,
        unit=Unit.objects.get(pk=job.params["unit"]),
        what=_("Household list"),
        filters=job.params["filters"] or f"year={job.params['year']}",
        row_count=job.rows_done,
    )


household_list.on_download = _log_download
