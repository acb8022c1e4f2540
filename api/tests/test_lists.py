"""Lists: keyset pages that return every row once, filters, ETag / If-None-Match, and bad
parameters answered 400 (never 500)."""

import datetime

import pytest
from django.utils import timezone

from households.models import Household, HouseholdStatus, Status
from households.services import create_household
from registrations.models import Registration


def _pull(api_get, issued, path, **params) -> tuple[list[int], int]:
    """Every id of a list, page by page: (ids in the order received, pages)."""
    ids, cursor, pages = [], None, 0
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        body = api_get(issued, path, **query).json()
        ids += [row["id"] for row in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return ids, pages


def test_pages_return_every_row_once(tokens, api_get, matrix):
    world = matrix.world
    for n in range(7):
        create_household(area=world.iadom_areas[n % 2], head_name=f"Hộ phân trang {n}", by=world.admin)
    issued = tokens["district_front"]
    ids, pages = _pull(api_get, issued, "/households", page_size=2)
    expected = set(
        Household.objects.filter(area__path__startswith=world.district.path).values_list("pk", flat=True)
    )
    assert len(ids) == len(set(ids)) == len(expected)
    assert set(ids) == expected
    assert ids == sorted(ids)
    # A row more than the page tells whether another follows: no empty page at the end.
    assert pages == -(-len(expected) // 2)
    registrations, _pages = _pull(api_get, issued, "/registrations", page_size=3)
    assert sorted(registrations) == sorted(
        Registration.objects.filter(organization__unit__path__startswith=world.district.path).values_list(
            "pk", flat=True
        )
    )


def test_last_page_has_no_cursor(tokens, api_get):
    body = api_get(tokens["commune_front"], "/households", page_size=500).json()
    assert body["next_cursor"] is None


def test_filters_by_year_and_status(tokens, api_get, matrix):
    world = matrix.world
    household = create_household(area=world.iadom_areas[0], head_name="Hộ lọc theo năm", by=world.admin)
    HouseholdStatus.objects.create(household=household, year=2024, status=Status.POOR)
    issued = tokens["commune_front"]
    assert [r["id"] for r in api_get(issued, "/households", year=2024, status="poor").json()["items"]] == [
        household.pk
    ]
    assert api_get(issued, "/households", year=2024, status="near_poor").json()["items"] == []
    assert api_get(issued, "/households", year=2023).json()["items"] == []
    row = api_get(issued, f"/households/{household.pk}").json()
    assert row["statuses"] == [{"year": 2024, "status": "poor", "standard": None}]


def test_changed_since_returns_only_what_changed(tokens, api_get, matrix):
    world = matrix.world
    old = timezone.now() - datetime.timedelta(days=10)
    Household.objects.update(updated_at=old)
    changed = create_household(area=world.iadom_areas[0], head_name="Hộ mới sửa", by=world.admin)
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    issued = tokens["commune_front"]
    assert [r["id"] for r in api_get(issued, "/households", changed_since=since).json()["items"]] == [
        changed.pk
    ]
    # A new yearly status changes its household too.
    quiet = Household.objects.filter(area__parent=world.iadom).exclude(pk=changed.pk).first()
    HouseholdStatus.objects.create(household=quiet, year=2024, status=Status.NEAR_POOR)
    ids = {r["id"] for r in api_get(issued, "/households", changed_since=since).json()["items"]}
    assert ids == {changed.pk, quiet.pk}
    # A date alone is the start of that day, local time.
    assert api_get(issued, "/households", changed_since=timezone.localdate().isoformat()).status_code == 200


def test_etag_and_if_none_match(tokens, api_get, matrix):
    issued = tokens["commune_front"]
    first = api_get(issued, "/households")
    etag = first["ETag"]
    assert etag.startswith('"') and first["Cache-Control"] == "private, no-cache"
    again = api_get(issued, "/households", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    create_household(area=matrix.world.iadom_areas[0], head_name="Hộ làm đổi ETag", by=matrix.world.admin)
    changed = api_get(issued, "/households", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


@pytest.mark.parametrize(
    "path, params, fields",
    [
        ("/households", {"page_size": 100000}, ["page_size"]),
        ("/households", {"page_size": 0}, ["page_size"]),
        ("/households", {"page_size": "mười"}, ["page_size"]),
        ("/households", {"page_size": "99999999999999999999999"}, ["page_size"]),
        ("/households", {"unit": "abc"}, ["unit"]),
        ("/households", {"year": "2024a"}, ["year"]),
        ("/households", {"year": 99999}, ["year"]),
        ("/households", {"changed_since": "31/12/2024"}, ["changed_since"]),
        ("/households", {"changed_since": "2024-13-45"}, ["changed_since"]),
        ("/households", {"year": 2024, "status": "rich"}, ["status"]),
        ("/households", {"status": "poor"}, ["status", "year"]),
        ("/registrations", {"kind": "chess_club"}, ["kind"]),
        ("/registrations", {"status": "lost"}, ["status"]),
        ("/fund-entries", {"entry_kind": "gift"}, ["entry_kind"]),
        ("/units", {"level": "galaxy"}, ["level"]),
        ("/units/abc", {}, ["unit_id"]),
        ("/households/1e3", {}, ["household_id"]),
        ("/indicators/values", {"codes": "poor,khong_co"}, ["codes"]),
        ("/indicators/values", {"year_from": 2025, "year": 2020}, ["year_from", "year"]),
        ("/indicators/values", {"year_from": 1990, "year": 2024}, ["year_from", "year"]),
        ("/indicators/by-commune", {"year": "năm nay"}, ["year"]),
    ],
)
def test_bad_parameters_answer_400(tokens, api_get, path, params, fields):
    response = api_get(tokens["commune_front"], path, **params)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] in {"bad_parameter", "status_needs_year", "too_many_years"}
    assert body["fields"] == fields
    assert body["message"] and body["message"].isascii() is False  # Vietnamese


@pytest.mark.parametrize("cursor", ["abc", "!!!", "k1:-1", "azI6MTIz", "a" * 400, "ğ"])
def test_bad_cursor_answers_400(tokens, api_get, cursor):
    response = api_get(tokens["commune_front"], "/households", cursor=cursor)
    assert response.status_code == 400
    assert response.json()["code"] == "bad_cursor"


@pytest.mark.parametrize(
    "path",
    [
        "/households/99999999999999999999999",
        "/units/0",
        "/indicators/khong_co",
        "/households/999999",
    ],
)
def test_unknown_records_answer_404_in_json(tokens, api_get, path):
    response = api_get(tokens["commune_front"], path)
    assert response.status_code == 404
    assert response.json()["code"] in {"not_found", "unknown_indicator"}


def test_a_unit_filter_that_cannot_be_an_id_is_not_found(tokens, api_get):
    assert api_get(tokens["commune_front"], "/households", unit="99999999999999999999999").status_code == 404


def test_api_root_says_where_the_schema_and_docs_are(api_get):
    body = api_get(None, "/").json()
    assert (body["openapi"], body["docs"]) == ("/api/v1/openapi.json", "/api/v1/docs")
    assert body["lists"]["households"] == "/api/v1/households"


def test_api_is_read_only(tokens):
    from django.test import Client

    response = Client().post("/api/v1/households", headers=tokens["commune_front"].header)
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    # Django's CSRF check still stands for anything but a GET.
    assert Client(enforce_csrf_checks=True).post("/api/v1/households").status_code == 403
