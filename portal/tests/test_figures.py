"""Figures kept between requests (core.figures): read back while the data is unchanged,
computed afresh after any committed write, whatever made it, and never another user's."""

import re

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.figures import written_table
from households.models import PersonalDataAccess
from organizations.models import Unit, UnitLevel
from reports.tests.conftest import YEAR, Data

# Tests that commit: each write really changes the data's version, as in production.
committing = pytest.mark.django_db(transaction=True)


def _areas(client) -> int:
    body = client.get("/").content.decode()
    return int(re.search(r'id="total-areas">([\d.]+)<', body)[1].replace(".", ""))


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


def _page(response) -> bytes:
    """The page without what differs on every request (the form tokens)."""
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", response.content)


@committing
@pytest.mark.parametrize(
    "url",
    [
        "/",
        f"/dashboard/?year={YEAR}",
        f"/compliance/?year={YEAR}",
        f"/reports/?year_from=2018&year={YEAR}",
        "/reports/review/5/",
        f"/reports/export.xlsx?year={YEAR}",
        "/registration-periods/{period}/",
        f"/households/?year={YEAR}",
        f"/households/gaps/?year={YEAR}&q=ia+kla",
        "/audit/",
        "/units/{commune}/",
        "/registrations/",
        "/initiatives/",
        "/fund/{district}/",
        f"/households/gaps/?year={YEAR}",
    ],
)
def test_a_page_asked_again_is_the_same_page_from_fewer_queries(world, client_for, url):
    data = Data(world)
    client = client_for(world.mttq_huyen)
    url = url.format(period=data.period.pk, commune=world.iadom.pk, district=world.district.pk)
    first, computed = _get(client, url)
    again, kept = _get(client, url)
    assert _page(again) == _page(first)
    assert kept < computed


@committing
def test_a_form_a_bulk_update_and_a_bulk_insert_each_show_at_once(world, client_for):
    front = client_for(world.mttq_huyen)
    assert _areas(front) == 4
    assert _areas(front) == 4  # kept
    commune = client_for(world.mttq_iadom)
    commune.post(
        reverse("organizations:area_create", args=[world.iadom.pk]), {"name": "Thôn 9", "kind": "thôn"}
    )
    front = client_for(world.mttq_huyen)
    assert _areas(front) == 5
    Unit.objects.filter(name="Thôn 9").update(is_active=False)  # no signal, no save()
    assert _areas(front) == 4
    Unit.objects.bulk_create(
        [Unit(name="Thôn 10", level=UnitLevel.AREA, parent=world.iakla, path=f"{world.iakla.path}x/")]
    )
    assert _areas(front) == 5


@committing
def test_a_rolled_back_write_keeps_the_figures(world, client_for):
    front = client_for(world.mttq_huyen)
    _get(front, "/")
    _, computed = _get(front, "/")
    with pytest.raises(RuntimeError), transaction.atomic():
        Unit.objects.filter(level=UnitLevel.AREA).update(is_active=False)
        raise RuntimeError
    _, queries = _get(front, "/")
    assert queries == computed and _areas(front) == 4


@committing
def test_a_write_rolled_back_to_a_savepoint_does_not_hide_the_next_one(world, client_for):
    front = client_for(world.mttq_huyen)
    assert _areas(front) == 4
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            Unit.objects.filter(name="Làng 1").update(name="Làng Một")
            raise RuntimeError
        Unit.objects.filter(name="Thôn 3").update(is_active=False)
    assert _areas(front) == 3


@committing
def test_a_request_inside_a_transaction_that_wrote_sees_its_own_write(world, client_for):
    front = client_for(world.mttq_huyen)
    assert _areas(front) == 4
    with transaction.atomic():
        Unit.objects.filter(name="Thôn 3").update(is_active=False)
        assert _areas(front) == 3
        transaction.set_rollback(True)
    assert _areas(front) == 4


@committing
def test_each_user_is_shown_their_own_figures(world, client_for):
    assert _areas(client_for(world.mttq_huyen)) == 4
    assert _areas(client_for(world.mttq_iadom)) == 2
    assert _areas(client_for(world.mttq_huyen)) == 4


@pytest.mark.parametrize(
    ("sql", "table"),
    [
        ('INSERT INTO "households_household" ("area_id") VALUES (%s)', "households_household"),
        ('UPDATE "registrations_registration" SET "status" = %s', "registrations_registration"),
        ('DELETE FROM "households_sponsorship" WHERE 1', "households_sponsorship"),
        ('TRUNCATE "organizations_unit" CASCADE', "organizations_unit"),
        ('SELECT "id" FROM "households_household"', None),
        ('UPDATE "django_session" SET "expire_date" = %s', None),
        ('INSERT INTO "axes_accessattempt" ("username") VALUES (%s)', None),
        (f'INSERT INTO "{PersonalDataAccess._meta.db_table}" ("user_id") VALUES (%s)', None),  # noqa: S608 - a model's table name
        ('UPDATE "organizations_user" SET "last_login" = %s WHERE "organizations_user"."id" = %s', None),
        (
            'UPDATE "organizations_user" SET "is_active" = %s WHERE "organizations_user"."id" = %s',
            "organizations_user",
        ),
        ('UPDATE "core_dataversion" SET "token" = %s', None),
    ],
)
def test_the_writes_that_change_figures(sql, table):
    assert written_table(sql) == table


@committing
def test_a_form_read_back_from_kept_html_carries_the_requests_own_token(world):
    """The gap list's row forms are kept drawn; each request gets its own valid form token."""
    Data(world)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.mttq_huyen)
    url = f"/households/gaps/?year={YEAR}"
    _get(client, url)
    body = _get(client, url)[0].content.decode()  # read back
    form = re.search(r'<form method="post" action="(/households/\d+/assign/)".*?</form>', body, re.S)
    token = re.search(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"', form[0])[1]
    organization = re.search(r'<option value="(\d+)"', form[0])[1]
    households = len(re.findall(r'action="/households/\d+/assign/"', body))
    response = client.post(
        form[1], {"csrfmiddlewaretoken": token, "organization": organization, "year": YEAR, "q": ""}
    )
    assert response.status_code == 302
    after = _get(client, url)[0].content.decode()
    assert len(re.findall(r'action="/households/\d+/assign/"', after)) == households - 1
