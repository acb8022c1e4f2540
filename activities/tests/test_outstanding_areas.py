import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from activities import selectors as activity_selectors
from activities import services as activity_services
from activities.models import OutstandingArea
from devdata.activities import make_program_with_fields
from devdata.testing import select_options
from organizations.models import OrgKind


@pytest.fixture
def program(world):
    return make_program_with_fields(world)


def _record(world, program, area, *, year=2019, kind=OrgKind.FRONT, result="pending", decision=""):
    return activity_services.save_outstanding_area(
        by=world.admin,
        program=program,
        area=area,
        year=year,
        organization=world.org(area.parent, kind),
        result=result,
        decision_number=decision,
        note="",
    )


def _form(world, program, **overrides):
    data = {
        "program": program.pk,
        "year": 2019,
        "area": world.iadom_areas[0].pk,
        "organization": world.org(world.iadom, OrgKind.FRONT).pk,
        "result": "pending",
        "decision_number": "",
        "note": "",
    }
    data.update(overrides)
    return data


def test_outstanding_check_every_commune(world, program):
    _record(world, program, world.iadom_areas[0])
    _record(world, program, world.iakla_areas[0], year=2018)
    rows = {
        r["commune"].name: r for r in activity_selectors.outstanding_check(world.mttq_huyen, program, 2019)
    }
    assert rows["Xã Ia Dom"]["ok"] and rows["Xã Ia Dom"]["registered"] == 1
    assert not rows["Xã Ia Kla"]["ok"] and rows["Xã Ia Kla"]["registered"] == 0


def test_outstanding_check_uses_the_programs_minimum(world, program):
    program.min_outstanding_areas_per_commune = 2
    program.save()
    _record(world, program, world.iadom_areas[0])
    rows = {
        r["commune"].name: r for r in activity_selectors.outstanding_check(world.mttq_huyen, program, 2019)
    }
    assert not rows["Xã Ia Dom"]["ok"]


def test_outstanding_create_by_commune_front(client_for, world, program):
    client = client_for(world.mttq_iadom)
    assert client.post(reverse("activities:outstanding_create"), _form(world, program)).status_code == 302
    page = client.get(reverse("activities:outstanding_list"), {"year": 2019}).content.decode()
    assert "Làng 1" in page and "Chờ đánh giá" in page and "Đạt yêu cầu" in page


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"year": 2025}, "2017–2021"),
        ({"result": "recognized"}, "cần có số quyết định"),
        ({"area": "IAKLA"}, "Hãy chọn"),
    ],
)
def test_outstanding_bad_input(client_for, world, program, overrides, message):
    if overrides.get("area") == "IAKLA":
        overrides["area"] = world.iakla_areas[0].pk
    response = client_for(world.mttq_iadom).post(
        reverse("activities:outstanding_create"), _form(world, program, **overrides)
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert not OutstandingArea.objects.exists()


def test_outstanding_twice_in_a_year_refused(world, program):
    _record(world, program, world.iadom_areas[0])
    with pytest.raises(ValidationError):
        _record(world, program, world.iadom_areas[0], kind=OrgKind.WOMEN)


def test_outstanding_result_recorded_at_year_end(client_for, world, program):
    record = _record(world, program, world.iadom_areas[0])
    client = client_for(world.mttq_iadom)
    response = client.post(
        reverse("activities:outstanding_update", args=[record.pk]),
        _form(world, program, result="recognized", decision_number="45/QĐ-UBND"),
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.result == "recognized" and record.decision_number == "45/QĐ-UBND"


def test_outstanding_permissions(client_for, world, program):
    record = _record(world, program, world.iakla_areas[0])
    assert (
        client_for(world.mttq_iadom)
        .get(reverse("activities:outstanding_update", args=[record.pk]))
        .status_code
        == 404
    )
    viewer = client_for(world.lanhdao)
    assert viewer.get(reverse("activities:outstanding_update", args=[record.pk])).status_code == 200
    assert (
        viewer.post(
            reverse("activities:outstanding_update", args=[record.pk]), _form(world, program)
        ).status_code
        == 403
    )
    assert viewer.get(reverse("activities:outstanding_create")).status_code == 403


def test_outstanding_form_lists_the_records_commune_in_a_large_scope(client_for, world, program, monkeypatch):
    from organizations import forms

    monkeypatch.setattr(forms, "LIST_ALL_COMMUNES", 1)  # as a province's 218 communes
    record = _record(world, program, world.iakla_areas[1])
    body = (
        client_for(world.mttq_huyen)
        .get(reverse("activities:outstanding_update", args=[record.pk]))
        .content.decode()
    )
    assert select_options(body, "area")[1:] == [a.name for a in world.iakla_areas]
    assert f'<option value="{world.iakla_areas[1].pk}" selected>' in body


def test_outstanding_list_opens_on_the_programs_latest_year_not_today(
    client_for, world, program, monkeypatch
):
    """A program of 2017-2021 opened in 2026: the check shows 2021, not a year with no
    registrations where every commune would be "missing"; a year asked for stays."""
    import datetime

    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda: datetime.date(2026, 12, 7))
    _record(world, program, world.iadom_areas[0], year=program.end_year)
    client = client_for(world.mttq_huyen)
    response = client.get(reverse("activities:outstanding_list"))
    assert response.context["year"] == program.end_year
    met = {r["commune"].pk: r["ok"] for r in response.context["check"]}
    assert met[world.iadom.pk] is True
    assert client.get(reverse("activities:outstanding_list"), {"year": 2019}).context["year"] == 2019
