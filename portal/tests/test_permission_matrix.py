"""Every URL of the project × every demo role × an object inside and outside the role's
scope × GET and POST, against the table in permission_cases.py.

The URL names come from the resolver, so a new view without a line in the table fails
here with "add a case for <name>". Every page it opens is also held to page_rules.py
(CSP header, no inline script or style, a CSRF token in each POST form).
"""

import functools
import hashlib
import re

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from activities.models import (
    ExemplaryExample,
    Initiative,
    InitiativeStatusChange,
    InitiativeYear,
    OutstandingArea,
    Supervision,
)
from households.models import FundEntry, Household, HouseholdStatus, ReviewImport, Sponsorship, Support
from organizations.models import Membership, Organization, Unit, User
from programs.models import Program, ProgramContent, ProgramDocument
from registrations.models import Registration, RegistrationEvent, RegistrationItem, RegistrationPeriod

from .page_rules import page_problems
from .permission_cases import ADMIN, ANON, CASES, DONE, LOGIN, ROLES

# Django's admin and the language switch are not the portal's views; static files are
# served by whitenoise.
SKIPPED_PREFIXES = ("admin/", "i18n/", "static/", "media/")


def project_url_names() -> list[str]:
    """Every named URL pattern of the project, from the resolver itself."""
    found: list[str] = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if route.lstrip("^").startswith(SKIPPED_PREFIXES):
                continue
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, route, inner)
            else:
                found.append(f"{namespace}{pattern.name}" if pattern.name else f"<unnamed: {route}>")

    walk(get_resolver().url_patterns, "", "")
    return found


CLIENT = Client()


# The campaigns' records a refused write must leave alone (and an allowed one change).
RECORDS = [
    Program,
    ProgramContent,
    ProgramDocument,
    RegistrationPeriod,
    Registration,
    RegistrationItem,
    RegistrationEvent,
    Initiative,
    InitiativeStatusChange,
    InitiativeYear,
    Supervision,
    ExemplaryExample,
    OutstandingArea,
    Household,
    HouseholdStatus,
    Sponsorship,
    Support,
    FundEntry,
    ReviewImport,
]


def snapshot() -> str:
    """A checksum of the rows a refused request must leave alone."""
    rows = [
        list(Unit.objects.order_by("pk").values_list("pk", "name", "kind", "is_active", "parent_id")),
        list(Organization.objects.order_by("pk").values_list("pk", "name", "kind", "unit_id")),
        list(
            User.objects.order_by("pk").values_list(
                "pk", "username", "full_name", "email", "is_active", "password", "must_change_password"
            )
        ),
        list(
            Membership.objects.order_by("pk").values_list("pk", "user_id", "organization_id", "role", "title")
        ),
    ]
    for model in RECORDS:
        rows.append(
            [
                {k: bytes(v) if isinstance(v, memoryview) else v for k, v in row.items()}
                for row in model.objects.order_by("pk").values()
            ]
        )
    rows.append(list(Supervision.participants.through.objects.order_by("pk").values()))
    return hashlib.sha256(repr(rows).encode()).hexdigest()


WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


@functools.cache
def tracked_tables() -> frozenset[str]:
    models = [Unit, Organization, User, Membership, *RECORDS, Supervision.participants.through]
    return frozenset(m._meta.db_table for m in models)


class WriteSpy:
    """Notes whether a request sent a statement that can change the rows of snapshot()
    (the session, saved on every request, and the audit log are not among them)."""

    def __init__(self):
        self.wrote = False

    def __call__(self, execute, sql, params, many, context):
        written = WRITE.match(sql)
        if written and written.group(1) in tracked_tables():
            self.wrote = True
        return execute(sql, params, many, context)


def send_watched(send):
    """``(response, changed)``: what ``send()`` answered, and a function telling whether it
    changed the rows of snapshot(). Only a request that sent a write can have: for one, the
    rows after it are compared with the rows before it (its savepoint rolled back), which
    ends what it wrote. Call it inside a transaction the caller rolls back."""
    spy = WriteSpy()
    savepoint = transaction.savepoint()
    with connection.execute_wrapper(spy):
        response = send()

    def changed() -> bool:
        if not spy.wrote:
            return False
        after = snapshot()
        transaction.savepoint_rollback(savepoint)
        return snapshot() != after

    return response, changed


def answer(response) -> int | str:
    if response.status_code == 302:
        return LOGIN if response["Location"].split("?")[0] == reverse("login") else DONE
    return response.status_code


def test_every_url_has_a_case():
    names = project_url_names()
    missing = [f"add a case for {name}" for name in names if name not in CASES]
    assert not missing, "\n".join(missing)
    stale = sorted({key.split("#")[0] for key in CASES} - set(names))
    assert not stale, f"cases for URL names that no longer exist: {stale}"


def run_case(sessions, matrix, key, role, in_scope, method) -> list[str]:
    """One request, rolled back afterwards; returns what went wrong."""
    case = CASES[key]
    name = key.split("#")[0]  # "name#variant": another case of the same URL name
    target = matrix.target(role, in_scope)
    url = reverse(name, kwargs=case.kwargs(target) if case.kwargs else None)
    expected = case.expect(method, role, in_scope)
    problems = []
    label = f"{method.upper()} {url} ({key}) as {role}, {'in' if in_scope else 'out of'} scope"
    with transaction.atomic():
        client = CLIENT  # one client: a new one loads every middleware again (whitenoise scans files)
        client.cookies.clear()
        if role != ANON:
            client.cookies[settings.SESSION_COOKIE_NAME] = sessions[role]
        refused = expected in (LOGIN, 403, 404, 405)
        must_write = case.writes and method == "post" and expected == DONE
        data = case.data(target) if method == "post" else None
        spy = WriteSpy()
        with connection.execute_wrapper(spy):
            response = client.get(url) if method == "get" else client.post(url, data)
        actual = answer(response)
        # Every case starts from the same rows (each is rolled back), so the rows before it
        # are the world's; and without a write statement nothing can have changed.
        changed = spy.wrote and snapshot() != matrix.snapshot
        if actual != expected:
            problems.append(f"{label}: expected {expected}, got {actual}")
        elif refused and changed:
            problems.append(f"{label}: refused with {expected} but changed data")
        elif must_write and not changed:
            problems.append(f"{label}: answered {expected} but wrote nothing")
        if method == "get" and actual == 200:
            problems += [f"{label}: {problem}" for problem in page_problems(response)]
        if case.shows and method == "get" and actual == 200:
            body = response.content.decode()
            for shown in case.shows(target) if role in case.shown_to else []:
                if shown not in body:
                    problems.append(f"{label}: the list does not show in-scope “{shown}”")
            if role != ADMIN:
                outside = matrix.target(role, in_scope=False)
                for hidden in case.shows(outside):
                    if hidden in body:
                        problems.append(f"{label}: the list shows out-of-scope “{hidden}”")
        transaction.set_rollback(True)
    return problems


def test_permission_matrix(matrix, sessions, capsys):
    names = project_url_names()
    missing = [f"add a case for {name}" for name in names if name not in CASES]
    assert not missing, "\n".join(missing)
    matrix.snapshot = snapshot()  # the rows every case starts from
    problems: list[str] = []
    checked = 0
    for key in [k for name in names for k in CASES if k == name or k.startswith(f"{name}#")]:
        scopes = (True, False) if CASES[key].scoped else (True,)
        for role in ROLES:
            for in_scope in scopes:
                for method in ("get", "post"):
                    problems += run_case(sessions, matrix, key, role, in_scope, method)
                    checked += 1
    with capsys.disabled():
        print(
            f"\npermission matrix: {checked} cases checked over {len(names)} URL names and {len(ROLES)} roles"
        )
    assert not problems, f"{len(problems)} of {checked} cases wrong:\n" + "\n".join(problems)
    assert checked >= len(names) * len(ROLES) * 2
