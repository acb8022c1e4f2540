"""The read-only API, version 1 (``/api/v1/``): django-ninja routes over ``selectors``.

Every route is a GET that reads through ``organizations.access.visible`` with the token's
service account, wrapped by ``call`` (the call log, the ETag, Vietnamese errors). The
schema is at ``/api/v1/openapi.json``, the docs page at ``/api/v1/docs`` (Swagger UI from
django-ninja's own static files: no internet needed). docs/api.md describes it for people."""

from __future__ import annotations

import datetime
import hashlib
import time
from functools import wraps

from django.conf import settings
from django.http import Http404, HttpResponseNotModified
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from django.utils.translation import gettext, gettext_noop
from ninja import NinjaAPI, Query, Swagger
from ninja.decorators import decorate_view
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.renderers import JSONRenderer

from activities.models import FollowUpStatus, InitiativeStatus, OutstandingResult
from households.models import EntryKind, Status
from organizations.models import OrgKind, UnitLevel
from registrations.models import RegistrationStatus, ResultsStatus

from . import schemas, selectors, services
from .auth import PerTokenRate, TokenAuth
from .errors import ApiError
from .paging import keyset_page


def vi(text: str) -> str:
    """``text`` in Vietnamese, whatever the request's language: the schema is drawn once."""
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(text)


class Renderer(JSONRenderer):
    # Vietnamese as UTF-8 text, not \u escapes: a third shorter, and readable in a terminal.
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title=vi(gettext_noop("Portal API for the province's systems")),
    version="1",
    description=vi(
        gettext_noop("Read-only data of the portal, with the scope of the token: see docs/api.md.")
    ),
    urls_namespace="api_v1",
    auth=TokenAuth(),
    throttle=PerTokenRate(),
    renderer=Renderer(),
    docs=Swagger(settings={"persistAuthorization": False, "tryItOutEnabled": False}),
)

# ---------------------------------------------------------------- errors


def _error(request, error: ApiError):
    return api.create_response(request, error.body(), status=error.status)


@api.exception_handler(ApiError)
def _api_error(request, exc: ApiError):
    return _error(request, exc)


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    """A parameter of the wrong type or out of range: 400, naming the parameters."""
    fields = sorted({str(e.get("loc", ["?"])[-1]) for e in exc.errors})
    return _error(request, ApiError(400, "bad_parameter", fields, names=", ".join(fields)))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, ApiError(404, "not_found"))


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    if isinstance(exc, Throttled):
        return _error(request, ApiError(429, "rate_limited"))
    if isinstance(exc, AuthenticationError):
        return _error(request, ApiError(401, "token_missing"))
    return _error(
        request, ApiError(exc.status_code, "bad_parameter" if exc.status_code == 400 else "not_found")
    )


# ---------------------------------------------------------------- every call


def _with_etag(request, response):
    """An ETag from the answer's bytes; the caller's If-None-Match that matches gets 304
    (the figures were read, the network spared)."""
    etag = f'"{hashlib.sha256(response.content).hexdigest()[:40]}"'
    response["ETag"] = etag
    wanted = parse_etags(request.headers.get("If-None-Match", ""))
    if etag in wanted or "*" in wanted:
        not_modified = HttpResponseNotModified()
        not_modified["ETag"] = etag
        return not_modified
    return response


def call(run):
    """Around each route, authentication and rate limit included: Vietnamese messages,
    the ETag, no shared caching, and one row in the call log for a call with a known token."""

    @wraps(run)
    def logged(request, **kwargs):
        started = time.monotonic()
        request.api_rows = 0
        with translation.override(settings.LANGUAGE_CODE):
            response = run(request, **kwargs)
        if response.status_code == 200:
            response = _with_etag(request, response)
        response["Cache-Control"] = "private, no-cache"
        patch_vary_headers(response, ["Authorization"])
        token = getattr(request, "api_token", None)
        if token is not None:
            services.record_call(
                token=token,
                method=request.method,
                path=request.get_full_path(),
                status=response.status_code,
                rows=request.api_rows if response.status_code in (200, 304) else 0,
                duration_ms=round((time.monotonic() - started) * 1000),
            )
        return response

    return logged


ERRORS = {400: schemas.Error, 401: schemas.Error, 404: schemas.Error, 429: schemas.Error}


def read(path: str, response, name: str, summary: str):
    """A GET route named ``api_v1:<name>``, its answers documented, wrapped by ``call``."""

    def register(func):
        operation = api.get(
            path, response={200: response, **ERRORS}, url_name=name, operation_id=name, summary=vi(summary)
        )(func)
        return decorate_view(call)(operation)

    return register


def page(request, qs, row, cursor, page_size, prepare=None) -> dict:
    """A page of ``qs`` as ``row`` gives each record, after ``prepare(records)`` when given
    (what a page reads for all its records in one query)."""
    rows, next_cursor = keyset_page(request, qs, cursor=cursor, page_size=page_size)
    if prepare is not None:
        prepare(rows)
    return {"items": [row(r) for r in rows], "next_cursor": next_cursor}


def one(request, record, row) -> dict:
    request.api_rows = 1
    return row(record)


def personal(request) -> bool:
    return request.api_token.personal_data


# The parameters every list takes.
Cursor = Query(None)
PageSize = Query(settings.API_PAGE_SIZE, ge=1, le=settings.API_MAX_PAGE_SIZE)
Year = Query(None, ge=1990, le=2100)

# ---------------------------------------------------------------- units and organizations


@read("/units", schemas.page_of(schemas.Unit), "units", gettext_noop("Units (the tree)"))
def units(
    request,
    unit: int | None = None,
    level: UnitLevel | None = None,
    cursor: str | None = Cursor,
    page_size: int = PageSize,
):
    qs = selectors.units(request.auth, unit=unit, level=level)
    return page(request, qs, selectors.unit_row, cursor, page_size)


@read("/units/{unit_id}", schemas.Unit, "unit", gettext_noop("One unit"))
def unit(request, unit_id: int):
    return one(request, selectors.get_visible(request.auth, selectors.Unit, unit_id), selectors.unit_row)


@read("/organizations", schemas.page_of(schemas.Organization), "organizations", gettext_noop("Organizations"))
def organizations(
    request,
    unit: int | None = None,
    kind: OrgKind | None = None,
    cursor: str | None = Cursor,
    page_size: int = PageSize,
):
    qs = selectors.organizations(request.auth, unit=unit, kind=kind)
    return page(request, qs, selectors.organization_row, cursor, page_size)


@read(
    "/organizations/{organization_id}", schemas.Organization, "organization", gettext_noop("One organization")
)
def organization(request, organization_id: int):
    found = selectors.get_visible(request.auth, selectors.Organization, organization_id)
    return one(request, found, selectors.organization_row)


# ---------------------------------------------------------------- the indicator catalogue


@read("/indicators", list[schemas.Indicator], "indicators", gettext_noop("The indicator catalogue"))
def indicator_list(request):
    rows = [selectors.indicator_row(i) for i in selectors.indicators.CATALOGUE]
    request.api_rows = len(rows)
    return rows


@read(
    "/indicators/values", schemas.IndicatorTable, "indicator_values", gettext_noop("Indicator values by year")
)
def indicator_values(
    request,
    codes: str | None = None,
    unit: int | None = None,
    kind: OrgKind | None = None,
    program: int | None = None,
    year: int | None = Year,
    year_from: int | None = Year,
):
    table = selectors.indicator_values(
        request.auth, codes=codes, unit=unit, kind=kind, program=program, year=year, year_from=year_from
    )
    request.api_rows = len(table["indicators"])
    return table


@read(
    "/indicators/by-commune",
    schemas.CommuneTable,
    "indicator_by_commune",
    gettext_noop("Poor households, the gap and models running, by commune"),
)
def indicator_by_commune(
    request, year: int | None = Year, unit: int | None = None, kind: OrgKind | None = None
):
    table = selectors.indicators_by_commune(request.auth, year=year, unit=unit, kind=kind)
    request.api_rows = len(table["communes"])
    return table


@read("/indicators/{code}", schemas.Indicator, "indicator", gettext_noop("One indicator of the catalogue"))
def indicator(request, code: str):
    return one(request, selectors.indicator(code), selectors.indicator_row)


# ---------------------------------------------------------------- programs and registrations


@read("/programs", schemas.page_of(schemas.Program), "programs", gettext_noop("Coordination programs"))
def programs(
    request,
    unit: int | None = None,
    year: int | None = Year,
    cursor: str | None = Cursor,
    page_size: int = PageSize,
):
    qs = selectors.programs(request.auth, unit=unit, year=year)
    return page(request, qs, selectors.program_row, cursor, page_size)


@read("/programs/{program_id}", schemas.Program, "program", gettext_noop("One program"))
def program(request, program_id: int):
    qs = selectors.programs(request.auth, unit=None, year=None)
    return one(request, selectors.get_visible(request.auth, qs, program_id), selectors.program_row)


@read(
    "/registration-periods",
    schemas.page_of(schemas.Period),
    "registration_periods",
    gettext_noop("Registration periods"),
)
def registration_periods(
    request,
    program: int | None = None,
    year: int | None = Year,
    cursor: str | None = Cursor,
    page_size: int = PageSize,
):
    qs = selectors.periods(request.auth, program=program, year=year)
    return page(request, qs, selectors.period_row, cursor, page_size)


@read(
    "/registrations",
    schemas.page_of(schemas.Registration),
    "registrations",
    gettext_noop("Registrations with their items, results and history"),
)
def registrations(
    request,
    unit: int | None = None,
    kind: OrgKind | None = None,
    year: int | None = Year,
    status: RegistrationStatus | None = None,
    results_status: ResultsStatus | None = None,
    period: int | None = None,
    changed_since: datetime.datetime | None = None,
    cursor: str | None = Cursor,
    page_size: int = PageSize,
):
    qs = selectors.registrations(
        request.auth,
        unit=unit,
        kind=kind,
        year=year,
        status=status,
        results_status=results_status,
        period=period,
        changed_since=changed_since,
    )
    return page(request, qs, selectors.registration_row, cursor, page_size)


@read(
    "/registrations/{registration_id}", schemas.Registration, "registration", gettext_noop("One registration")
)
def registration(request, registration_id: int):
    qs = selectors.registrations(request.auth)
    return one(request, selectors.get_visible(request.auth, qs, registration_id), selectors.registration_row)


# ---------------------------------------------------------------- households


@read(
    "/households",
    schemas.page_of(schemas.Household),
    "households",
    gettext_noop("Households and their yearly status"),
)
def households(
    request,
    unit: int | None = None,
    year: int | None = Year,
    status: Status | None = None,
    changed_since: datetime.datetime | None = None,
    cursor: str | None = Cursor,
    page_size: int = PageSize,
):
    qs = selectors.households(request.auth, unit=unit, year=year, status=status, changed_since=changed_since)
    shown = personal(request)
    result = page(
        request,
        qs,
        lambda h: selectors.household_row(h, personal=shown),
        cursor,
        page_size,
        prepare=selectors.attach_statuses,
    )
    if shown:
        services.log_personal_read(request, rows=len(result["items"]), unit=unit)
    return result


@read("/households/{household_id}", schemas.Household, "household", gettext_noop("One household"))
def household(request, household_id: int):
    found = selectors.get_visible(request.auth, selectors.households(request.auth), household_id)
    selectors.attach_statuses([found])
    shown = personal(request)
    if shown:
        services.log_personal_read(request, rows=1, household=found)
    return one(request, found, lambda h: selectors.household_row(h, personal=shown, detail=True))


@read("/sponsorships", schemas.page_of(schemas.Sponsorship), "sponsorships", gettext_noop("Sponsorships"))
def sponsorships(
    request,
    unit: int | None = None,
    kind: OrgKind | None = None,
    year: int | None = Year,
    changed_since: datetime.datetime | None = None,
    cursor: str | None = Cursor,
    page_size: int = PageSize,
):
    qs = selectors.sponsorships(request.auth, unit=unit, kind=kind, year=year, changed_since=changed_since)
    shown = personal(request)
    return page(request, qs, lambda s: selectors.sponsorship_row(s, personal=shown), cursor, page_size)


@read(
    "/fund-entries",
    schemas.page_of(schemas.FundEntry),
    "fund_entries",
    gettext_noop("The “For the Poor” fund ledger"),
)
def fund_entries(
    request,
    unit: int | None = None,
    year: int | None = Year,
    entry_kind: EntryKind | None = None,
    changed_since: datetime.datetime | None = None,
    cursor: str | None = Cursor,
    page_size: int = PageSize,
):
    qs = selectors.fund_entries(
        request.auth, unit=unit, year=year, entry_kind=entry_kind, changed_since=changed_since
    )
    shown = personal(request)
    return page(request, qs, lambda e: selectors.fund_entry_row(e, personal=shown), cursor, page_size)


# ---------------------------------------------------------------- activities


@read(
    "/initiatives", schemas.page_of(schemas.Initiative), "initiatives", gettext_noop("Models (initiatives)")
)
def initiatives(
    request,
    unit: int | None = None,
    kind: OrgKind | None = None,
    status: InitiativeStatus | None = None,
    year: int | None = Year,
    cursor: str | None = Cursor,
    page_size: int = PageSize,
):
    qs = selectors.initiatives(request.auth, unit=unit, kind=kind, status=status, year=year)
    return page(request, qs, selectors.initiative_row, cursor, page_size)


@read("/examples", schemas.page_of(schemas.Example), "examples", gettext_noop("Exemplary examples"))
def examples(
    request,
    unit: int | None = None,
    kind: OrgKind | None = None,
    year: int | None = Year,
    cursor: str | None = Cursor,
    page_size: int = PageSize,
):
    qs = selectors.examples(request.auth, unit=unit, kind=kind, year=year)
    shown = personal(request)
    return page(request, qs, lambda e: selectors.example_row(e, personal=shown), cursor, page_size)


@read(
    "/outstanding-areas",
    schemas.page_of(schemas.OutstandingArea),
    "outstanding_areas",
    gettext_noop("Outstanding residential areas"),
)
def outstanding_areas(
    request,
    unit: int | None = None,
    kind: OrgKind | None = None,
    year: int | None = Year,
    status: OutstandingResult | None = None,
    cursor: str | None = Cursor,
    page_size: int = PageSize,
):
    qs = selectors.outstanding_areas(request.auth, unit=unit, kind=kind, year=year, status=status)
    return page(request, qs, selectors.outstanding_row, cursor, page_size)


@read(
    "/supervisions",
    schemas.page_of(schemas.Supervision),
    "supervisions",
    gettext_noop("Supervision and social criticism"),
)
def supervisions(
    request,
    unit: int | None = None,
    kind: OrgKind | None = None,
    year: int | None = Year,
    status: FollowUpStatus | None = None,
    cursor: str | None = Cursor,
    page_size: int = PageSize,
):
    qs = selectors.supervisions(request.auth, unit=unit, kind=kind, year=year, status=status)
    return page(request, qs, selectors.supervision_row, cursor, page_size)
