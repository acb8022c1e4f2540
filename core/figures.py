"""Figures computed from the data and kept until the data changes.

The home pages, the dashboards, the compliance panel, the tracking view and the reports sum
up a whole scope: at province scale a dozen aggregates over hundreds of thousands of rows,
most of a page's time; the lists draw a filter form over a province's communes and a table
of 50 rows. Officers and leaders open them far more often than the data under them
changes, so ``kept()`` keeps what a page computed (``kept_drawn()``: what it drew), per
user and address, under the data's version (``DataVersion``): the next request with the
same version reads it back.

The version changes after every write that commits, whatever wrote it: a form, an import,
a bulk update, the admin, a management command. Each database connection watches the
statements it sends (``watch_writes``, installed on every connection) and, after the
commit of a transaction that wrote to the portal's tables, stores a new token. Changing the
token after the commit, not before, matters: a request that read the new token always sees
the data it was written for. A request whose own transaction has written and not yet
committed computes its figures afresh.

The cache is each process's own memory (``CACHES["figures"]``): nothing to share between
servers, since a process never reads figures kept under another version than the current.
"""

import hashlib
import re
import secrets
import uuid

from django.core.cache import caches
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.models import DataVersion

# Writes that do not change what any kept figure shows: sessions renewed, login attempts
# counted, the last login's time, who viewed a household's page (written at every view), and
# the version itself.
IGNORED_TABLES = {"django_session", "households_personaldataaccess", DataVersion._meta.db_table}
IGNORED_PREFIXES = ("axes_",)
LOGIN_UPDATE = re.compile(r'UPDATE "organizations_user" SET "last_login" = %s WHERE')
WRITE = re.compile(
    r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+"?(\w+)', re.IGNORECASE
)

_MISSING = object()
# Where kept HTML had its forms' token; random, so no text a user typed can contain it.
_TOKEN_MARK = secrets.token_hex(16)


def written_table(sql) -> str | None:
    """The table a data-changing statement writes to, or None for a read or an ignored write."""
    if not isinstance(sql, str) or sql.lstrip()[:1].upper() not in ("I", "U", "D", "T"):
        return None
    match = WRITE.match(sql)
    if match is None or LOGIN_UPDATE.match(sql):
        return None
    table = match.group(1)
    if table in IGNORED_TABLES or table.startswith(IGNORED_PREFIXES):
        return None
    return table


def new_version() -> None:
    """Store a new token. Runs after a commit, in autocommit mode: its UPDATE holds the row
    only as long as it takes, and on SQLite it may run while the write that called it still
    has its result to be read."""
    token = uuid.uuid4()
    try:
        if not DataVersion.objects.filter(pk=1).update(token=token):
            DataVersion.objects.create(pk=1, token=token)
    except IntegrityError:  # another process made the row meanwhile
        DataVersion.objects.filter(pk=1).update(token=token)
    except DatabaseError:
        # A new database being migrated writes before the portal's own migration has made
        # the table; nothing can have been kept yet.
        if DataVersion._meta.db_table in connection.introspection.table_names():
            raise


def _version_pending(connection) -> bool:
    """Whether the open transaction has written and will change the version at its commit.

    ``run_on_commit`` is the connection's list of (savepoint ids, callback, robust) waiting
    for the commit; a savepoint rolled back takes its callbacks out of it."""
    return connection.in_atomic_block and any(entry[1] is new_version for entry in connection.run_on_commit)


def note_write(connection) -> None:
    """The version changes after the commit of the connection's transaction (at once outside
    one), unless a write already asked for it. Called by the watcher below, and by code
    that writes past it (COPY, statements sent on the raw connection)."""
    if not _version_pending(connection):
        transaction.on_commit(new_version, using=connection.alias)


def _watch(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if written_table(sql) is not None:
        note_write(context["connection"])
    return result


def watch_writes(sender, connection, **kwargs) -> None:
    """Installed on each connection as it opens (``connection_created``); a connection
    that reopens keeps the one it has."""
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)


def kept_drawn(request, name: str, template_name: str, context) -> str:
    """``template_name`` drawn with what ``context()`` returns, kept as ``kept`` keeps
    figures: for the parts of a page that take most of its drawing time. The template sees
    that context alone, nothing of the request but its forms' token: ``{% csrf_token %}``
    is kept as a mark, replaced by this request's token when the HTML is read back."""
    html = kept(
        request, name, lambda: render_to_string(template_name, {**context(), "csrf_token": _TOKEN_MARK})
    )
    if _TOKEN_MARK in html:
        html = mark_safe(html.replace(_TOKEN_MARK, get_token(request)))  # noqa: S308 - the token is [A-Za-z0-9]
    return html


def kept(request, name: str, compute):
    """``compute()``, or what it returned for an earlier request of the same user, path and
    query, language and day, while the data has not changed since.

    ``compute`` must depend on nothing else, and return plain values (lists and dicts,
    model instances, not querysets or forms). A request that may write (not a GET) computes
    afresh, like one whose transaction has written."""
    if request.method not in ("GET", "HEAD") or _version_pending(connection):
        return compute()
    version = DataVersion.objects.values_list("token", flat=True).first()
    user = request.user
    parts = (
        name,
        str(version),
        user.pk,
        user.is_superuser,
        get_language(),
        timezone.localdate().isoformat(),
        request.path,
        sorted(request.GET.lists()),
    )
    key = "figures:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    cache = caches["figures"]
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value)
    return value
