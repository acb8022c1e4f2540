"""A database that cannot answer for a moment gets a 503 page, never a 500.

Two troubles, both temporary:
- DOWN: the database cannot be reached (PostgreSQL stopped or restarting, the connection
  dropped, the SQLite file cannot be opened).
- BUSY: another save held the database longer than a request waits for it (SQLite's
  write lock past its timeout; PostgreSQL's deadlock or serialization failure).

Either way the request's transaction was rolled back: nothing already saved is lost and
nothing of this request was saved. The page says so in plain words, with ``Retry-After``.

Two ways in, because Django turns an exception into a response where it is raised:
``DatabaseUnavailableMiddleware.process_exception`` answers for the views (also with
DEBUG on, as under ``make run``), and ``server_error`` (``handler500`` in portal/urls.py)
for the other middleware, which read the session and the user before the view and save
the session after it. Any other error stays a 500.
"""

from __future__ import annotations

import logging
import sqlite3
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.views import defaults

logger = logging.getLogger(__name__)

DOWN = "down"
BUSY = "busy"
# Seconds a client should wait before trying again: about a database restart.
RETRY_AFTER = 5

# SQLite's primary result codes (sqlite3.Error.sqlite_errorname starts with one of them)
# that mean the file is busy or cannot be used now; any other (no such table, a syntax
# error, a constraint) is a bug and stays a 500.
SQLITE_BUSY = ("SQLITE_BUSY", "SQLITE_LOCKED")
SQLITE_DOWN = ("SQLITE_CANTOPEN", "SQLITE_IOERR", "SQLITE_FULL", "SQLITE_PROTOCOL", "SQLITE_NOTADB")
# PostgreSQL's SQLSTATEs of a conflict between transactions: class 40 (serialization
# failure, deadlock) and lock_not_available. Every other error psycopg reports as an
# OperationalError is the server's condition (connection refused or lost, shutting down,
# starting up, too many connections, out of disk), not the code's.
POSTGRES_BUSY_CLASSES = ("40",)
POSTGRES_BUSY_STATES = ("55P03",)


def database_trouble(error: BaseException | None) -> str | None:
    """DOWN, BUSY, or None for an error that is not a temporary trouble of the database."""
    if isinstance(error, InterfaceError):
        return DOWN
    if not isinstance(error, OperationalError):
        return None
    cause = error.__cause__  # the driver's error, which Django's own wraps
    if isinstance(cause, sqlite3.Error):
        name = getattr(cause, "sqlite_errorname", "") or ""
        if name.startswith(SQLITE_BUSY) or "locked" in str(cause):
            return BUSY
        if name.startswith(SQLITE_DOWN):
            return DOWN
        return None
    state = getattr(cause, "sqlstate", None) or ""
    if state.startswith(POSTGRES_BUSY_CLASSES) or state in POSTGRES_BUSY_STATES:
        return BUSY
    return DOWN


def unavailable_response(request: HttpRequest, trouble: str) -> HttpResponse:
    """The 503 page. Drawn without the request's context processors: they read the
    session and the user, from the database that is not answering."""
    reading = request.method in ("GET", "HEAD")
    context = {
        "busy": trouble == BUSY,
        # A form's data was not saved: its page says so, and sends the user back to the
        # form (the browser's Back keeps what was typed) rather than to a URL that would
        # send it again.
        "posted": not reading,
        "again": request.get_full_path() if reading else "",
    }
    response = HttpResponse(render_to_string("503.html", context), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    add_never_cache_headers(response)
    return response


def _answer(request: HttpRequest, error: BaseException | None) -> HttpResponse | None:
    trouble = database_trouble(error)
    if trouble is None:
        return None
    logger.warning(
        "database %s: %s %s answered 503 (%s: %s)",
        trouble,
        request.method,
        request.path,
        type(error).__name__,
        error,
    )
    return unavailable_response(request, trouble)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return _answer(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the 503 page for a database trouble raised outside a view, Django's
    500 page for anything else."""
    return _answer(request, sys.exc_info()[1]) or defaults.server_error(request)
