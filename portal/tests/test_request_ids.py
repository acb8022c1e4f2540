"""Ids from a request on every URL and form of the portal: non-numbers and numbers past
the database's columns are refused (404, or a form error), never a server error, and
change nothing.

The parameters come from the project itself: the int kwargs of every URL pattern from the
resolver; the query and posted names each view reads, from its source (``request.GET``,
``request.POST`` and the forms it binds to them); the kwargs and valid posts of an
in-scope object from the permission matrix's table (permission_cases.CASES).
"""

from __future__ import annotations

import functools
import inspect
import re

import pytest
from django import forms
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.urls import get_resolver, resolve, reverse
from django.urls.converters import IntConverter
from django.utils import translation

from activities.models import ExemplaryExample, Supervision
from core import forms as core_forms
from core.ids import largest_id, read_id
from households import forms as household_forms
from organizations import forms as organization_forms
from organizations.models import Organization, User
from registrations.models import Registration

from .permission_cases import ADMIN, CASES, LOGIN, OWNER_ONLY
from .test_permission_matrix import project_url_names, send_watched

# Past int4 (an AutoField on PostgreSQL), at and past bigint, and far past both.
HUGE_IDS = [2**31, 2**63, 10**20, 10**40]
# Not ids: a word, a superscript and Arabic-Indic digits (digits to str.isdigit and int()),
# a negative number, zero, and numbers past bigint.
NOT_IDS = ["abc", "²", "١٢", "-1", "0", str(2**63), str(10**20)]

# The roles tried first: scoped users (their scope's filter joins the query), then the
# superuser for what only it may do.
ROLE_ORDER = ["mttq.iadom", "phunu.iadom", "mttq.huyen", "nongdan.huyen", "lanhdao", ADMIN]

# A server error is answered (500) and listed, not raised: each test lists all it finds.
CLIENT = Client(raise_request_exception=False)


# ---------------------------------------------------------------- what the project exposes


def _int_kwargs(name: str) -> list[str]:
    """The int kwargs of the URL pattern named ``name`` ("households:detail")."""
    resolver = get_resolver()
    *namespaces, view = name.split(":")
    for namespace in namespaces:
        resolver = resolver.namespace_dict[namespace][1]
    _bits, _regex, _defaults, converters = resolver.reverse_dict.getlist(view)[0]
    return [kwarg for kwarg, converter in converters.items() if isinstance(converter, IntConverter)]


# A file of "Tệp của tôi" is its owner's alone, whom the table's roles never are (each
# answers 404): jobs/tests/test_jobs.py sends these ids as the owner.
INT_KWARGS = {
    name: found for name in project_url_names() if (found := _int_kwargs(name)) and name not in OWNER_ONLY
}

# A value read from request.GET or request.POST, unless it is only compared with a literal
# (``request.GET.get("export") == "xlsx"``): such a value is never converted.
RAW = re.compile(r"""request\.(GET|POST)(?:\.get(?:list)?\(|\[)\s*["'](\w+)["'](?!\s*\)\s*(?:==|!=|in\b))""")
BOUND = re.compile(r"""\b([A-Z]\w*)(?:\.for_request\(\s*request|\(\s*request\.(GET|POST))""")
CALLED = re.compile(r"\b(\w+)\(")


def _sources(view) -> list[str]:
    """The source of a view and of the functions of its module that it calls, at any depth."""
    module = inspect.getmodule(view)
    seen, todo, sources = set(), [inspect.unwrap(view)], []
    while todo:
        function = todo.pop()
        if function in seen:
            continue
        seen.add(function)
        source = inspect.getsource(function)
        sources.append(source)
        for name in CALLED.findall(source):
            called = getattr(module, name, None)
            if inspect.isfunction(called) and called.__module__ == module.__name__:
                todo.append(called)
    return sources


def takes_id(field) -> bool:
    """A field whose value is an id: a choice of model objects, or of ids read as numbers
    (a list's commune)."""
    return isinstance(field, forms.ModelChoiceField) or getattr(field, "coerce", None) is int


def takes_number(field) -> bool:
    return takes_id(field) or isinstance(field, forms.IntegerField)


def _field_names(form_class, kind) -> list[str]:
    if issubclass(form_class, forms.BaseFormSet):  # a formset's first form
        prefix = f"{form_class.get_default_prefix()}-0-"
        return [prefix + name for name in _field_names(form_class.form, kind)]
    return [name for name, field in form_class.base_fields.items() if kind(field)]


@functools.cache
def request_names(url: str) -> dict[str, set[str]]:
    """What the view of ``url`` reads from a request: {"GET": names, "POST": names, "ids":
    the posted names its forms must refuse a non-id for}."""
    view = resolve(url).func
    module = inspect.getmodule(inspect.unwrap(view))
    names = {"GET": set(), "POST": set(), "ids": set()}
    for source in _sources(view):
        for method, name in RAW.findall(source):
            names[method].add(name)
        for class_name, method in BOUND.findall(source):
            form_class = getattr(module, class_name, None)
            if not isinstance(form_class, type) or not issubclass(
                form_class, forms.BaseForm | forms.BaseFormSet
            ):
                continue
            names[method or "GET"] |= set(_field_names(form_class, takes_number))
            if method == "POST":
                names["ids"] |= set(_field_names(form_class, takes_id))
    return names


def _role(case, method: str) -> str:
    """The first role the table lets through on the URL, for an in-scope object."""
    for role in ROLE_ORDER:
        if case.expect(method, role, True) not in (LOGIN, 403, 404):
            return role
    raise AssertionError(f"nobody may {method} {case}")


@pytest.fixture
def send(matrix, sessions):
    """send(role, method, url, data) -> (response, whether it changed rows): one request as
    ``role``, rolled back, so that each starts from the rows of the world."""

    def send(role: str, method: str, url: str, data=None):
        with transaction.atomic():
            CLIENT.cookies.clear()
            CLIENT.cookies[settings.SESSION_COOKIE_NAME] = sessions[role]
            response, changed = send_watched(
                lambda: CLIENT.get(url, data) if method == "get" else CLIENT.post(url, data or {})
            )
            changed = changed()
            transaction.set_rollback(True)
        return response, changed

    return send


@pytest.fixture
def small_limits(monkeypatch):
    """The forms' lists as a province's: past these limits a form reads the chosen id from
    the request to list it (a commune chooser above the form, one area, one household)."""
    monkeypatch.setattr(organization_forms, "LIST_ALL_COMMUNES", 0)
    monkeypatch.setattr(household_forms, "MAX_AREA_CHOICES", 0)
    monkeypatch.setattr(household_forms, "MAX_FUND_HOUSEHOLD_OPTIONS", 0)


# ---------------------------------------------------------------- ids in the URL


@pytest.mark.parametrize("name", sorted(INT_KWARGS))
def test_an_id_past_the_database_in_the_url_answers_404(name, matrix, send):
    case = CASES[name]
    problems = []
    for method in ("get", "post"):
        role = _role(case, method)
        target = matrix.target(role, True)
        # GET to a view that takes only POST answers 405 before any lookup.
        expected = 405 if case.expect(method, role, True) == 405 else 404
        for kwarg in INT_KWARGS[name]:
            for value in HUGE_IDS:
                url = reverse(name, kwargs={**case.kwargs(target), kwarg: value})
                data = case.data(target) if method == "post" else None
                response, changed = send(role, method, url, data)
                if response.status_code != expected or changed:
                    problems.append(
                        f"{method.upper()} {url} as {role}: {response.status_code}, changed={changed}"
                    )
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- ids in queries and forms

KEYS = sorted(key for key in CASES if key not in ("login", "logout", "healthz", *OWNER_ONLY))


@pytest.mark.parametrize("key", KEYS)
def test_non_ids_in_queries_and_forms_are_refused(key, matrix, send, small_limits):
    case = CASES[key]
    name = key.split("#")[0]
    problems = []
    for method in ("get", "post"):
        role = _role(case, method)
        if case.expect(method, role, True) == 405:
            continue
        target = matrix.target(role, True)
        kwargs = case.kwargs(target) if case.kwargs else {}
        url = reverse(name, kwargs=kwargs)
        names = request_names(url)
        for field in sorted(names[method.upper()]):
            for value in NOT_IDS:
                data = {**case.data(target), field: value} if method == "post" else {field: value}
                response, changed = send(role, method, url, data)
                refused = method == "get" or field in names["ids"]
                if response.status_code >= 500 or (refused and changed):
                    problems.append(
                        f"{method.upper()} {url} {field}={value!r} as {role}: "
                        f"{response.status_code}, changed={changed}"
                    )
    assert not problems, "\n".join(problems)


def test_the_request_names_are_found():
    """The source reading finds what the views read (else the test above checks nothing)."""
    expected = request_names(reverse("registrations:period_expected", kwargs={"pk": 1}))
    assert {"remove", "organization"} <= expected["POST"] and "organization" in expected["ids"]
    assert {"commune", "area", "year"} <= request_names(reverse("households:list"))["GET"]
    assert {"commune", "year"} <= request_names(reverse("households:gaps"))["GET"]
    assert {"household", "amount"} <= request_names(reverse("households:fund", kwargs={"unit": 1}))["POST"]
    assert "registration" in request_names(reverse("registrations:period_accept", kwargs={"pk": 1}))["POST"]
    assert "unit" in request_names(reverse("organizations:account_create"))["GET"]
    assert "form-0-area" in request_names(reverse("registrations:registration_edit", kwargs={"pk": 1}))["ids"]


# ---------------------------------------------------------------- the cases of the issue


def test_removing_an_expected_organization_by_a_non_id_answers_404(matrix, send):
    target = matrix.target("mttq.iadom", True)
    url = reverse("registrations:period_expected", kwargs={"pk": target.period.pk})
    response, changed = send("mttq.iadom", "post", url, {"remove": "abc", "reason": "x"})
    assert response.status_code == 404 and not changed


def test_accepting_registrations_by_a_forty_digit_id_answers_404_or_a_message(matrix, send):
    target = matrix.target("mttq.huyen", True)
    url = reverse("registrations:period_accept", kwargs={"pk": 10**39})
    response, changed = send("mttq.huyen", "post", url, {"registration": [target.submitted.pk]})
    assert response.status_code == 404 and not changed
    url = reverse("registrations:period_accept", kwargs={"pk": target.submitted.period_id})
    response, changed = send("mttq.huyen", "post", url, {"registration": [str(10**39)]})
    assert response.status_code == 302 and not changed
    assert not Registration.objects.filter(pk=target.submitted.pk, accepted_at__isnull=False).exists()


@pytest.mark.parametrize(
    "name", ["households:list", "households:export", "households:gaps", "activities:supervision_list"]
)
def test_a_commune_past_the_database_in_a_list_is_no_server_error(name, matrix, send):
    response, changed = send("mttq.huyen", "get", reverse(name), {"commune": str(10**20)})
    assert response.status_code == 200 and not changed


@pytest.mark.parametrize(
    ("name", "field", "model"),
    [
        ("activities:example_create", "organization", ExemplaryExample),
        ("activities:supervision_create", "lead_organization", Supervision),
        ("organizations:account_create", "organization", User),
    ],
)
def test_an_organization_past_the_database_is_a_form_error(name, field, model, matrix, send):
    target = matrix.target("mttq.huyen", True)
    data = {**CASES[name].data(target), field: str(10**20)}
    count = model.objects.count()
    response, changed = send("mttq.huyen", "post", reverse(name), data)
    assert response.status_code == 200 and not changed
    with translation.override("vi"):
        message = str(forms.ModelChoiceField.default_error_messages["invalid_choice"])
    assert message.startswith("Hãy chọn") and response.context["form"].errors[field] == [message]
    assert model.objects.count() == count


# ---------------------------------------------------------------- the helper and the forms


def test_an_id_is_ascii_digits_within_the_primary_key_column(db):
    largest = largest_id(Organization)
    assert largest == 2**63 - 1
    assert [read_id(v, Organization) for v in ("12", 12, str(largest))] == [12, 12, largest]
    refused = [*NOT_IDS, "", " 12", "12 ", "1.0", "1e3", "0x10", None, True, 12.0, [12], str(largest + 1)]
    assert [read_id(v, Organization) for v in refused] == [None] * len(refused)


def test_an_autofield_id_is_read_within_its_column(db):
    """An AutoField is int4 on PostgreSQL; SQLite holds 64 bits in any integer column."""
    from django.contrib.auth.models import Group

    largest = largest_id(Group)
    assert largest == (2**31 - 1 if connection.vendor == "postgresql" else 2**63 - 1)
    assert read_id(str(largest), Group) == largest and read_id(str(largest + 1), Group) is None


def _project_forms() -> list[type]:
    import activities.forms
    import households.forms
    import organizations.forms
    import programs.forms
    import registrations.forms
    import reports.forms

    modules = [
        activities.forms,
        programs.forms,
        registrations.forms,
        households.forms,
        organizations.forms,
        reports.forms,
    ]
    return [
        form
        for module in (*modules, core_forms)
        for form in vars(module).values()
        if isinstance(form, type) and issubclass(form, forms.BaseForm) and form.__module__ == module.__name__
    ]


def test_every_model_choice_of_the_project_reads_ids_through_portal_ids():
    """A choice of model objects declared with Django's own field (or a model form's
    default one) would put 10^20 in a query again."""
    safe = (core_forms.ModelChoiceField, core_forms.ModelMultipleChoiceField)
    found = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in _project_forms()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.ModelChoiceField) and not isinstance(field, safe)
    ]
    assert _project_forms() and not found, found
