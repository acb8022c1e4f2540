"""Bad input: random and hostile values in every form never cause a server error, and a
refused submission changes nothing.

Each example runs in a transaction that is rolled back, so examples do not see each
other's writes. How many examples, and whether they are the same on every run, is the
hypothesis profile's (the root conftest: ``make test`` runs a fixed set, ``make
test-thorough`` a long random search).
"""

import logging

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from organizations.models import OrgKind, Role

from .test_permission_matrix import send_watched

FRAGMENTS = [
    "",
    " ",
    "\x00",
    "Thôn\x00 3",
    "\r\n\t",
    "\x1b[31m",
    "\u202eLàng 1",
    "' OR 1=1 --",
    "'; DROP TABLE organizations_unit; --",
    '" OR ""="',
    "1; SELECT pg_sleep(5)",
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "{{ 7*7 }}{% debug %}",
    "%s%s%n",
    "../../etc/passwd",
    "ﷺ" * 200,  # one character that NFKD turns into 18
    "ắ" * 200,
    "x" * 201,
    "x" * 10_000,
    "9" * 40,
    str(2**63),
    "-1",
    "1e308",
    "NaN",
]
TEXT = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.text(max_size=60),
    st.text(min_size=150, max_size=600),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=20),
)
HUGE = [10**30, 2**63, 2**31, 0]
EMAILS = st.one_of(
    st.sampled_from(["", "a@b.vn", "a" * 250 + "@example.vn", "x@" + "a" * 63 + ".vn", "<a@b.vn>", "a@b@c"]),
    st.emails(),
    TEXT,
)


def post_refusing_nothing_but_errors(client, url, data):
    """POST and check: no server error; unless it succeeded (302), no row changed."""
    with transaction.atomic():
        response, changed = send_watched(lambda: client.post(url, data))
        assert response.status_code < 500, (url, data)
        if response.status_code != 302:
            assert not changed(), f"refused POST {url} changed data: {data!r}"
        transaction.set_rollback(True)
    return response


def _client(user):
    client = Client()
    client.force_login(user)
    return client


# ---------------------------------------------------------------- login


@pytest.mark.django_db
def test_login_hostile_values(world):
    client = Client()
    usernames = st.one_of(st.sampled_from(["mttq.iadom", "admin", "MTTQ.IADOM"]), TEXT)

    @given(username=usernames, password=TEXT)
    def check(username, password):
        response = post_refusing_nothing_but_errors(
            client, reverse("login"), {"username": username, "password": password}
        )
        assert response.status_code in (200, 429)

    check()


# ---------------------------------------------------------------- residential areas


def test_area_create_hostile_values(world, matrix):
    client = _client(world.mttq_iadom)
    communes = st.sampled_from(
        [world.iadom.pk, world.iakla.pk, matrix.communes["iapuch"].pk, world.district.pk, *HUGE]
    )

    @given(commune=communes, name=TEXT, kind=st.one_of(st.sampled_from(["", "thôn", "làng"]), TEXT))
    def check(commune, name, kind):
        response = post_refusing_nothing_but_errors(
            client, reverse("organizations:area_create", args=[commune]), {"name": name, "kind": kind}
        )
        if commune != world.iadom.pk:
            assert response.status_code == 404

    check()


def test_area_rename_hostile_values(world, matrix):
    client = _client(world.mttq_iadom)
    areas = st.sampled_from([world.iadom_areas[0].pk, world.iakla_areas[0].pk, world.iadom.pk, *HUGE])

    @given(area=areas, name=TEXT, kind=st.one_of(st.sampled_from(["", "thôn"]), TEXT))
    def check(area, name, kind):
        response = post_refusing_nothing_but_errors(
            client, reverse("organizations:area_update", args=[area]), {"name": name, "kind": kind}
        )
        if area != world.iadom_areas[0].pk:
            assert response.status_code == 404

    check()


def test_area_set_active_hostile_values(world):
    client = _client(world.mttq_iadom)

    @given(area=st.sampled_from([world.iadom_areas[0].pk, world.iakla_areas[0].pk, *HUGE]), active=TEXT)
    def check(area, active):
        post_refusing_nothing_but_errors(
            client, reverse("organizations:area_set_active", args=[area]), {"active": active}
        )

    check()


# ---------------------------------------------------------------- accounts


def _organizations(world, matrix):
    """Ids a form may receive: in scope, in another district, not an id at all."""
    return st.one_of(
        st.sampled_from(
            [
                world.org(world.iadom, OrgKind.YOUTH).pk,
                world.org(matrix.communes["iapuch"], OrgKind.FRONT).pk,
                *HUGE,
                -1,
            ]
        ),
        TEXT,
    )


ROLES = st.one_of(st.sampled_from([*Role.values, "superuser", "REVIEWER"]), TEXT)


def test_account_create_hostile_values(world, matrix):
    client = _client(world.mttq_huyen)
    other_district_org = world.org(matrix.communes["iapuch"], OrgKind.FRONT).pk

    @given(
        username=st.one_of(
            st.from_regex(r"\A[a-z0-9._-]{1,20}\Z"), TEXT, st.sampled_from(["mttq.iadom", "admin"])
        ),
        full_name=TEXT,
        email=EMAILS,
        organization=_organizations(world, matrix),
        role=ROLES,
        title=TEXT,
        password=st.one_of(st.just("Tam-thoi-2017!"), TEXT),
    )
    def check(username, full_name, email, organization, role, title, password):
        data = {
            "username": username,
            "full_name": full_name,
            "email": email,
            "organization": organization,
            "role": role,
            "title": title,
            "password": password,
        }
        response = post_refusing_nothing_but_errors(client, reverse("organizations:account_create"), data)
        if organization == other_district_org:
            assert response.status_code == 200  # not among the choices: refused

    check()


def test_account_update_hostile_values(world, matrix):
    client = _client(world.mttq_huyen)
    accounts = st.sampled_from([world.phunu_iadom.pk, matrix.accounts[("iapuch", OrgKind.FRONT)].pk, *HUGE])

    @given(
        account=accounts,
        full_name=TEXT,
        email=EMAILS,
        organization=_organizations(world, matrix),
        role=ROLES,
        title=TEXT,
    )
    def check(account, full_name, email, organization, role, title):
        data = {
            "full_name": full_name,
            "email": email,
            "organization": organization,
            "role": role,
            "title": title,
        }
        response = post_refusing_nothing_but_errors(
            client, reverse("organizations:account_update", args=[account]), data
        )
        if account != world.phunu_iadom.pk:
            assert response.status_code == 404

    check()


def test_account_email_at_the_column_limit_is_refused_not_a_server_error(client_for, world):
    """An address the email validator accepts but the column cannot hold."""
    long_email = "a" * 250 + "@example.vn"
    response = client_for(world.mttq_huyen).post(
        reverse("organizations:account_update", args=[world.phunu_iadom.pk]),
        {
            "full_name": "Rơ Ô H' Bia",
            "email": long_email,
            "organization": world.org(world.iadom, OrgKind.WOMEN).pk,
            "role": Role.EDITOR,
        },
    )
    assert response.status_code == 200
    world.phunu_iadom.refresh_from_db()
    assert world.phunu_iadom.email == ""


def test_area_name_that_grows_when_normalized_is_not_a_server_error(client_for, world):
    """The search column holds the name without accents; NFKD may make it longer."""
    name = "ﷺ" * 200
    response = client_for(world.mttq_iadom).post(
        reverse("organizations:area_create", args=[world.iadom.pk]), {"name": name}
    )
    assert response.status_code in (200, 302)


def test_login_with_a_line_break_in_the_username_cannot_forge_a_log_line(client, world, caplog):
    forged = "x\n2026-01-01 00:00:00 INFO portal.security login: user=admin"
    with caplog.at_level(logging.INFO, logger="portal.security"):
        client.post(reverse("login"), {"username": forged, "password": "sai"})
    messages = [r.getMessage() for r in caplog.records if r.name == "portal.security"]
    assert messages and all("\n" not in m for m in messages)
