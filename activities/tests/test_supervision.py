import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from activities import services as activity_services
from activities.models import Supervision
from organizations.models import OrgKind, Role

TODAY = datetime.date.today()


def _supervision(
    world, *, unit=None, kind=OrgKind.FARMERS, due=None, status="open", topic="Giám sát bình xét hộ nghèo"
):
    return activity_services.create_supervision(
        by=world.admin,
        kind="supervision",
        topic=topic,
        program_area="poverty",
        subject="UBND xã",
        held_on=datetime.date(2020, 5, 4),
        lead_organization=world.org(unit or world.district, kind),
        findings="",
        recommendations="Rà soát lại danh sách",
        response="",
        follow_up_status=status,
        follow_up_due=due or TODAY - datetime.timedelta(days=10),
        participants=[world.org(world.district, OrgKind.WOMEN)],
    )


def _form(world, **overrides):
    data = {
        "kind": "supervision",
        "topic": "Giám sát việc bình xét hộ nghèo năm 2020",
        "program_area": "poverty",
        "subject": "UBND xã Ia Dom",
        "held_on": "04/05/2020",
        "lead_organization": world.org(world.district, OrgKind.FARMERS).pk,
        "participants": [world.org(world.district, OrgKind.WOMEN).pk],
        "findings": "Một số hộ chưa đúng tiêu chí",
        "recommendations": "Rà soát lại",
        "response": "",
        "follow_up_status": "open",
        "follow_up_due": "30/06/2020",
    }
    data.update(overrides)
    return data


def test_supervision_create_by_district_organization(client_for, world):
    client = client_for(world.nongdan_huyen)
    response = client.post(reverse("activities:supervision_create"), _form(world))
    assert response.status_code == 302
    s = Supervision.objects.get()
    assert s.follow_up_due == datetime.date(2020, 6, 30)
    assert [o.kind for o in s.participants.all()] == [OrgKind.WOMEN]
    page = client.get(reverse("activities:supervision_detail", args=[s.pk])).content.decode()
    assert "04/05/2020" in page and "Giảm nghèo" in page and "quá hạn" in page


def test_supervision_pending_follow_up_needs_due_date(client_for, world):
    response = client_for(world.nongdan_huyen).post(
        reverse("activities:supervision_create"), _form(world, follow_up_due="")
    )
    assert response.status_code == 200 and "cần có hạn thực hiện" in response.content.decode()
    assert not Supervision.objects.exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"held_on": (TODAY + datetime.timedelta(days=5)).strftime("%d/%m/%Y")},
        {"held_on": "01/01/1900"},
        {"follow_up_due": "01/01/2019"},
        {"held_on": "31/02/2020"},
    ],
)
def test_supervision_dates_out_of_range_are_refused(client_for, world, overrides):
    response = client_for(world.nongdan_huyen).post(
        reverse("activities:supervision_create"), _form(world, **overrides)
    )
    assert response.status_code == 200 and 'id="form-errors"' in response.content.decode()
    assert not Supervision.objects.exists()


def test_supervision_viewer_and_other_commune(client_for, world):
    s = _supervision(world, unit=world.iakla, kind=OrgKind.FRONT)
    assert (
        client_for(world.mttq_iadom).get(reverse("activities:supervision_detail", args=[s.pk])).status_code
        == 404
    )
    assert (
        client_for(world.mttq_iadom).get(reverse("activities:supervision_update", args=[s.pk])).status_code
        == 404
    )
    viewer = client_for(world.lanhdao)
    assert viewer.get(reverse("activities:supervision_detail", args=[s.pk])).status_code == 200
    assert viewer.post(reverse("activities:supervision_update", args=[s.pk]), _form(world)).status_code == 403
    assert viewer.get(reverse("activities:supervision_create")).status_code == 403


def test_supervision_organization_cannot_edit_another_organizations(client_for, world):
    s = _supervision(world, kind=OrgKind.WOMEN)
    # The district Farmers' Union does not see the Women's Union's supervision.
    assert (
        client_for(world.nongdan_huyen).get(reverse("activities:supervision_update", args=[s.pk])).status_code
        == 404
    )


def test_supervision_overdue_on_front_home(client_for, world):
    _supervision(world, topic="Giám sát quá hạn")
    _supervision(world, topic="Giám sát còn hạn", due=TODAY + datetime.timedelta(days=10))
    _supervision(world, topic="Giám sát đã xong", status="done")
    page = client_for(world.mttq_huyen).get(reverse("home")).content.decode()
    assert "Kiến nghị giám sát, phản biện quá hạn" in page
    assert "Giám sát quá hạn" in page and "Giám sát còn hạn" not in page and "Giám sát đã xong" not in page


def test_supervision_overdue_not_shown_outside_scope(client_for, world):
    _supervision(world, topic="Giám sát quá hạn")
    page = client_for(world.mttq_iadom).get(reverse("home")).content.decode()
    assert "Giám sát quá hạn" not in page


def test_supervision_list_filter_overdue(client_for, world):
    _supervision(world, topic="Giám sát quá hạn")
    _supervision(world, topic="Giám sát còn hạn", due=TODAY + datetime.timedelta(days=10))
    page = (
        client_for(world.mttq_huyen)
        .get(reverse("activities:supervision_list"), {"follow_up": "overdue"})
        .content.decode()
    )
    assert "Giám sát quá hạn" in page and "Giám sát còn hạn" not in page


def test_supervision_service_due_before_date(world):
    with pytest.raises(ValidationError):
        _supervision(world, due=datetime.date(2019, 1, 1))


def test_supervision_export(client_for, world):
    _supervision(world, topic="+Giám sát")
    response = client_for(world.mttq_huyen).get(reverse("activities:supervision_list"), {"export": "xlsx"})
    from io import BytesIO

    from openpyxl import load_workbook

    ws = load_workbook(BytesIO(response.content)).active
    cells = {c.value: c for row in ws.iter_rows() for c in row if c.value is not None}
    assert cells["+Giám sát"].data_type == "s"
    assert "Hội Liên hiệp Phụ nữ huyện Đức Cơ" in cells
    assert isinstance(cells[datetime.datetime(2020, 5, 4)].value, datetime.datetime)


def _offered(page: str, world, units) -> set[int]:
    """The organizations of ``units`` offered as participants on the form's page."""
    return {
        o.pk
        for unit in units
        for kind in OrgKind.values
        if (o := world.org(unit, kind)) and f'name="participants" value="{o.pk}"' in page
    }


def test_supervision_form_offers_the_users_level_and_the_next(client_for, world):
    """A province's every commune would make 1,400 checkboxes: the province Front chooses
    among its own and its districts' organizations, a district's among its own and its
    communes'."""
    province_front = world.add_member("mttq.tinh", world.province, OrgKind.FRONT, Role.EDITOR)
    page = client_for(province_front).get(reverse("activities:supervision_create")).content.decode()
    everywhere = [world.province, world.district, world.iadom, world.iakla]
    assert _offered(page, world, everywhere) == _offered(page, world, [world.province, world.district])
    assert len(_offered(page, world, [world.province, world.district])) == 12
    assert f'value="{world.org(world.iadom, OrgKind.FRONT).pk}"' not in page  # nor as the lead

    page = client_for(world.mttq_huyen).get(reverse("activities:supervision_create")).content.decode()
    assert len(_offered(page, world, [world.district, world.iadom, world.iakla])) == 18
    assert not _offered(page, world, [world.province])


def test_supervision_form_keeps_a_participant_beyond_its_list(client_for, world):
    """The list is shorter, not the choice: an organization of the user's subtree that is
    not listed is still accepted, and stays chosen when the form comes back with an error."""
    province_front = world.add_member("mttq.tinh", world.province, OrgKind.FRONT, Role.EDITOR)
    commune_women = world.org(world.iadom, OrgKind.WOMEN)
    client = client_for(province_front)
    data = _form(world, lead_organization=world.org(world.province, OrgKind.FRONT).pk)
    data["participants"] = [commune_women.pk]
    page = client.post(
        reverse("activities:supervision_create"), {**data, "follow_up_due": ""}
    ).content.decode()
    assert "cần có hạn thực hiện" in page
    assert _offered(page, world, [world.iadom]) == {commune_women.pk}
    assert re.search(rf'name="participants" value="{commune_women.pk}"[^>]* checked', page)
    assert client.post(reverse("activities:supervision_create"), data).status_code == 302
    assert list(Supervision.objects.get().participants.all()) == [commune_women]


def test_supervision_edit_keeps_organizations_beyond_the_next_level(client_for, world):
    """A supervision led and joined at a commune, edited by the province Front: its lead and
    participants are still offered, so saving it keeps them."""
    province_front = world.add_member("mttq.tinh", world.province, OrgKind.FRONT, Role.EDITOR)
    s = _supervision(world, unit=world.iadom, kind=OrgKind.FRONT)
    s.participants.set([world.org(world.iadom, OrgKind.YOUTH)])
    client = client_for(province_front)
    page = client.get(reverse("activities:supervision_update", args=[s.pk])).content.decode()
    assert _offered(page, world, [world.iadom]) == {world.org(world.iadom, OrgKind.YOUTH).pk}
    data = _form(
        world,
        lead_organization=world.org(world.iadom, OrgKind.FRONT).pk,
        participants=[world.org(world.iadom, OrgKind.YOUTH).pk, world.org(world.district, OrgKind.WOMEN).pk],
        topic="Giám sát đã sửa",
    )
    assert client.post(reverse("activities:supervision_update", args=[s.pk]), data).status_code == 302
    s.refresh_from_db()
    assert s.topic == "Giám sát đã sửa" and s.lead_organization == world.org(world.iadom, OrgKind.FRONT)
    assert set(s.participants.values_list("kind", "unit")) == {
        (OrgKind.YOUTH, world.iadom.pk),
        (OrgKind.WOMEN, world.district.pk),
    }
