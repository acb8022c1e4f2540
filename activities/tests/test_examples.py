import datetime
import re

import pytest
from django.urls import reverse

from activities import services as activity_services
from activities.models import ExemplaryExample
from devdata.activities import content, make_program_with_fields
from organizations.models import Organization, OrgKind, Role


@pytest.fixture
def program(world):
    return make_program_with_fields(world)


def _example(world, program, *, unit=None, kind=OrgKind.FARMERS, name="Ông Rơ Châm Hyoh", year=2019):
    return activity_services.save_example(
        by=world.admin,
        kind="person",
        name=name,
        organization=world.org(unit or world.iadom, kind),
        field=content(program),
        year=year,
        achievement="Trồng cà phê, hồ tiêu cho thu nhập 300 triệu đồng/năm",
        certificate="Giấy khen",
        recognition_level="district",
        decision_number="125/QĐ-UBND",
        publicised_in="Đài Truyền thanh - Truyền hình huyện",
        publicised_on=datetime.date(2019, 11, 18),
    )


def _form(world, program, **overrides):
    data = {
        "kind": "household",
        "name": "Hộ bà Rơ Ô H' Bia",
        "organization": world.org(world.iadom, OrgKind.WOMEN).pk,
        "field": content(program).pk,
        "year": 2020,
        "achievement": "Gia đình 5 không, 3 sạch",
        "certificate": "Giấy khen",
        "recognition_level": "commune",
        "decision_number": "12/QĐ-UBND",
        "publicised_in": "Bản tin xã",
        "publicised_on": "10/12/2020",
    }
    data.update(overrides)
    return data


def test_example_create_and_show(client_for, world, program):
    client = client_for(world.phunu_iadom)
    response = client.post(reverse("activities:example_create"), _form(world, program))
    assert response.status_code == 302
    example = ExemplaryExample.objects.get()
    page = client.get(reverse("activities:example_detail", args=[example.pk])).content.decode()
    assert "Hộ bà Rơ Ô H&#x27; Bia" in page and "10/12/2020" in page and "Hộ gia đình" in page


@pytest.mark.parametrize("overrides", [{"year": 1800}, {"publicised_on": "01/01/2999"}, {"name": " "}])
def test_example_bad_input_refused(client_for, world, program, overrides):
    response = client_for(world.phunu_iadom).post(
        reverse("activities:example_create"), _form(world, program, **overrides)
    )
    assert response.status_code == 200 and not ExemplaryExample.objects.exists()


def test_example_permissions(client_for, world, program):
    other = _example(world, program, unit=world.iakla)
    own = _example(world, program)
    assert (
        client_for(world.mttq_iadom).get(reverse("activities:example_detail", args=[other.pk])).status_code
        == 404
    )
    assert (
        client_for(world.mttq_iadom).get(reverse("activities:example_update", args=[other.pk])).status_code
        == 404
    )
    viewer = client_for(world.lanhdao)
    assert viewer.get(reverse("activities:example_detail", args=[own.pk])).status_code == 200
    assert (
        viewer.post(reverse("activities:example_update", args=[own.pk]), _form(world, program)).status_code
        == 403
    )
    # The Women's Union does not edit the Farmers' Union's example (it does not even see it).
    assert (
        client_for(world.phunu_iadom).get(reverse("activities:example_update", args=[own.pk])).status_code
        == 404
    )


def test_example_filter_and_export(client_for, world, program):
    _example(world, program, name="Ông A", year=2018)
    _example(world, program, name="Bà B", year=2020, kind=OrgKind.WOMEN)
    client = client_for(world.mttq_huyen)
    page = client.get(reverse("activities:example_list"), {"year": 2018}).content.decode()
    assert "Ông A" in page and "Bà B" not in page
    page = client.get(reverse("activities:example_list"), {"organization_kind": "women"}).content.decode()
    assert "Bà B" in page and "Ông A" not in page
    response = client.get(reverse("activities:example_list"), {"export": "xlsx", "year": 2020})
    from io import BytesIO

    from openpyxl import load_workbook

    values = [c.value for row in load_workbook(BytesIO(response.content)).active.iter_rows() for c in row]
    assert "Bà B" in values and "Ông A" not in values and "GƯƠNG ĐIỂN HÌNH TIÊN TIẾN" in values


def _listed(page: str) -> set[int]:
    select = page[
        page.index('name="organization"') : page.index("</select>", page.index('name="organization"'))
    ]
    return {int(v) for v in re.findall(r'<option value="(\d+)"', select)}


def test_example_form_lists_the_users_level_and_the_next(client_for, world, program):
    """As in the supervision form: a province Front lists its own and its districts'
    organizations, not every commune's; a commune's organization it names is still
    accepted, and an example's own organization is listed when it is edited."""
    province_front = world.add_member("mttq.tinh", world.province, OrgKind.FRONT, Role.EDITOR)
    client = client_for(province_front)
    listed = _listed(client.get(reverse("activities:example_create")).content.decode())
    assert listed == set(
        Organization.objects.filter(unit__in=[world.province, world.district]).values_list("pk", flat=True)
    )

    assert client.post(reverse("activities:example_create"), _form(world, program)).status_code == 302
    example = ExemplaryExample.objects.get()
    page = client.get(reverse("activities:example_update", args=[example.pk])).content.decode()
    assert f'<option value="{example.organization_id}" selected>' in page


def test_example_name_that_grows_when_normalized_is_saved(world):
    """A name that fits its column still fits the search column, cut to its length: "ﷺ" is
    one character written and 18 once decomposed (PostgreSQL refuses an overlong value)."""
    program = make_program_with_fields(world)
    example = _example(world, program, name="ﷺ" * 200)
    example.refresh_from_db()
    assert example.name == "ﷺ" * 200
    assert 0 < len(example.name_normalized) <= ExemplaryExample._meta.get_field("name_normalized").max_length
    assert example.name_normalized.startswith("صلى الله عليه وسلم")
