import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from activities import selectors as activity_selectors
from activities import services as activity_services
from activities import views as activity_views
from activities.models import Initiative
from devdata.activities import make_initiative, make_program_with_fields, model_field
from devdata.testing import select_options
from organizations.models import OrgKind


@pytest.fixture
def program(world):
    return make_program_with_fields(world)


def _form(world, program, **overrides):
    data = {
        "name": "Hàng rào xanh",
        "organization": world.org(world.iadom, OrgKind.WOMEN).pk,
        "field": model_field(program).pk,
        "area": world.iadom_areas[0].pk,
        "start_year": 2018,
        "description": "Trồng hàng rào cây xanh",
        "status": "running",
    }
    data.update(overrides)
    return data


def test_initiative_create_by_commune_editor(client_for, world, program):
    client = client_for(world.phunu_iadom)
    response = client.post(reverse("activities:initiative_create"), _form(world, program))
    initiative = Initiative.objects.get()
    assert response.status_code == 302
    assert initiative.organization.kind == OrgKind.WOMEN and initiative.status == "running"
    assert initiative.status_changes.count() == 1
    page = client.get(reverse("activities:initiative_detail", args=[initiative.pk])).content.decode()
    assert "Hàng rào xanh" in page and "Làng 1" in page and "2018" in page and "2.018" not in page


def test_initiative_create_area_of_another_commune_is_refused(client_for, world, program):
    client = client_for(world.mttq_huyen)
    response = client.post(
        reverse("activities:initiative_create"), _form(world, program, area=world.iakla_areas[0].pk)
    )
    assert response.status_code == 200
    assert "Khu dân cư phải thuộc Xã Ia Dom" in response.content.decode()
    assert not Initiative.objects.exists()


@pytest.mark.parametrize("year", [1890, 20000, 10**40])
def test_initiative_create_year_out_of_range(client_for, world, program, year):
    """A year past 9999 makes no date: it is refused with the range, not a server error."""
    response = client_for(world.phunu_iadom).post(
        reverse("activities:initiative_create"), _form(world, program, start_year=year)
    )
    assert response.status_code == 200 and not Initiative.objects.exists()
    assert "1990" in response.content.decode()


def test_initiative_create_other_organization_is_not_offered(client_for, world, program):
    # The Women's Union of Ia Dom cannot record for the Farmers' Union.
    response = client_for(world.phunu_iadom).post(
        reverse("activities:initiative_create"),
        _form(world, program, organization=world.org(world.iadom, OrgKind.FARMERS).pk),
    )
    assert response.status_code == 200 and not Initiative.objects.exists()


def test_initiative_viewer_cannot_write(client_for, world, program):
    initiative = make_initiative(world, program)
    client = client_for(world.lanhdao)
    assert client.get(reverse("activities:initiative_detail", args=[initiative.pk])).status_code == 200
    assert client.get(reverse("activities:initiative_create")).status_code == 403
    assert client.post(reverse("activities:initiative_update", args=[initiative.pk]), {}).status_code == 403
    assert client.post(reverse("activities:initiative_status", args=[initiative.pk]), {}).status_code == 403


def test_initiative_of_another_commune_is_404(client_for, world, program):
    initiative = make_initiative(world, program, unit=world.iakla)
    client = client_for(world.mttq_iadom)
    for name in ("activities:initiative_detail", "activities:initiative_update"):
        assert client.get(reverse(name, args=[initiative.pk])).status_code == 404
    assert client.post(reverse("activities:initiative_status", args=[initiative.pk]), {}).status_code == 404
    assert "Nông dân sản xuất" not in client.get(reverse("activities:initiative_list")).content.decode()


def test_initiative_anonymous_redirects(client, world, program):
    assert client.get(reverse("activities:initiative_list")).status_code == 302


def test_initiative_status_change_keeps_history(client_for, world, program):
    initiative = make_initiative(world, program)
    client = client_for(world.nongdan_huyen)
    response = client.post(
        reverse("activities:initiative_status", args=[initiative.pk]),
        {"status": "stopped", "changed_on": "15/03/2020", "reason": "Hết vốn"},
    )
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.status == "stopped" and initiative.stopped_on == datetime.date(2020, 3, 15)
    page = client.get(reverse("activities:initiative_detail", args=[initiative.pk])).content.decode()
    assert "15/03/2020" in page and "Hết vốn" in page and "Dừng" in page


def test_initiative_status_stopped_needs_reason_and_no_future_date(world, program):
    initiative = make_initiative(world, program)
    with pytest.raises(ValidationError):
        activity_services.change_initiative_status(
            initiative=initiative, status="stopped", changed_on=datetime.date(2020, 1, 1), by=world.admin
        )
    with pytest.raises(ValidationError):
        activity_services.change_initiative_status(
            initiative=initiative,
            status="recognized",
            changed_on=datetime.date.today() + datetime.timedelta(days=3),
            by=world.admin,
        )


def test_initiative_service_refuses_user_out_of_scope(world, program):
    with pytest.raises(PermissionDenied):
        activity_services.create_initiative(
            by=world.mttq_iakla,
            organization=world.org(world.iadom, OrgKind.WOMEN),
            field=model_field(program),
            name="X",
            start_year=2018,
        )


def test_initiative_yearly_figures(client_for, world, program):
    initiative = make_initiative(world, program)
    client = client_for(world.nongdan_huyen)
    data = {"year": 2019, "participants": 40, "households": 25, "value_vnd": 150000000}
    assert client.post(reverse("activities:initiative_year", args=[initiative.pk]), data).status_code == 302
    page = client.get(reverse("activities:initiative_detail", args=[initiative.pk])).content.decode()
    assert "150.000.000 đ" in page
    bad = client.post(reverse("activities:initiative_year", args=[initiative.pk]), {**data, "year": 2017})
    assert bad.status_code == 200 and initiative.years.count() == 1


def test_initiative_check_per_commune(world, program):
    program.min_initiatives_per_organization = 1
    program.save()
    for kind in (OrgKind.LABOR, OrgKind.FARMERS, OrgKind.WOMEN, OrgKind.YOUTH, OrgKind.VETERANS):
        make_initiative(world, program, kind=kind, name=f"Mô hình {kind}")
    make_initiative(world, program, unit=world.iakla, name="Dự kiến", status="planned")
    rows = {
        r["commune"].name: r for r in activity_selectors.initiative_check(world.mttq_huyen, program, 2019)
    }
    assert rows["Xã Ia Dom"]["ok"] is True
    assert rows["Xã Ia Kla"]["ok"] is False and rows["Xã Ia Kla"]["missing"] == 5


def test_initiative_check_counts_only_models_running_in_the_chosen_year(client_for, world, program):
    """A model started in 2019 does not meet the rule for 2018; the initiative list of 2018
    and the check agree."""
    program.min_initiatives_per_organization = 1
    program.save()
    started = make_initiative(world, program, kind=OrgKind.WOMEN, name="Hàng rào xanh")
    started.start_year = 2019
    started.save()
    women = world.org(world.iadom, OrgKind.WOMEN)

    def running(year):
        rows = {
            r["commune"].pk: r for r in activity_selectors.initiative_check(world.mttq_huyen, program, year)
        }
        return {o.pk: o.running for o in rows[world.iadom.pk]["organizations"]}[women.pk]

    assert (running(2018), running(2019)) == (0, 1)
    listed = activity_selectors.initiatives(world.mttq_huyen, year=2018, commune=world.iadom.pk)
    assert not listed.filter(pk=started.pk).exists()
    client = client_for(world.mttq_huyen)
    page = client.get(reverse("activities:initiative_check"), {"year": 2018}).content.decode()
    assert 'value="2018" selected' in page and "2018" in page


def test_initiative_check_page_shows_missing(client_for, world, program):
    make_initiative(world, program)
    page = client_for(world.mttq_huyen).get(reverse("activities:initiative_check")).content.decode()
    assert "Xã Ia Dom" in page and "Xã Ia Kla" in page and "Thiếu" in page


def test_initiative_check_page_counts_filters_and_pages_the_communes(client_for, world, program, monkeypatch):

    program.min_initiatives_per_organization = 1
    program.save()
    for kind in (OrgKind.LABOR, OrgKind.FARMERS, OrgKind.WOMEN, OrgKind.YOUTH, OrgKind.VETERANS):
        make_initiative(world, program, kind=kind, name=f"Mô hình {kind}")
    client = client_for(world.mttq_huyen)
    dom, kla = f'id="commune-{world.iadom.pk}"', f'id="commune-{world.iakla.pk}"'
    page = client.get(reverse("activities:initiative_check")).content.decode()
    assert "1 trên 2 xã đạt yêu cầu." in page and dom in page and kla in page
    page = client.get(reverse("activities:initiative_check"), {"missing": "1"}).content.decode()
    assert kla in page and dom not in page

    monkeypatch.setattr(activity_views, "CHECK_PAGE_SIZE", 1)  # as a province's 218 communes
    page = client.get(reverse("activities:initiative_check")).content.decode()
    assert dom in page and kla not in page and "Trang 1/2" in page
    page = client.get(reverse("activities:initiative_check"), {"page": 2}).content.decode()
    assert kla in page and dom not in page


def test_initiative_list_filters(client_for, world, program):
    make_initiative(world, program, name="Chăn nuôi bò")
    make_initiative(
        world, program, unit=world.iakla, kind=OrgKind.WOMEN, name="Con đường hoa", status="planned"
    )
    client = client_for(world.mttq_huyen)
    page = client.get(reverse("activities:initiative_list"), {"organization_kind": "women"}).content.decode()
    assert "Con đường hoa" in page and "Chăn nuôi bò" not in page
    page = client.get(
        reverse("activities:initiative_list"), {"commune": world.iadom.pk, "status": "running"}
    ).content.decode()
    assert "Chăn nuôi bò" in page and "Con đường hoa" not in page
    page = client.get(reverse("activities:initiative_list"), {"year": 2017}).content.decode()
    assert "Chăn nuôi bò" not in page
    page = client.get(reverse("activities:initiative_list"), {"q": "duong hoa"}).content.decode()
    assert "Con đường hoa" in page and "Chăn nuôi bò" not in page


def test_initiative_export_has_header_and_text_cells(client_for, world, program):
    make_initiative(world, program, name="=HYPERLINK(1)")
    response = client_for(world.mttq_huyen).get(reverse("activities:initiative_list"), {"export": "xlsx"})
    assert response["Content-Disposition"].startswith("attachment")
    from io import BytesIO

    from openpyxl import load_workbook

    ws = load_workbook(BytesIO(response.content)).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    flat = [v for row in values for v in row if v is not None]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat and "Độc lập - Tự do - Hạnh phúc" in flat
    assert "BAN THƯỜNG TRỰC" in flat and "ỦY BAN MTTQ VIỆT NAM HUYỆN ĐỨC CƠ" in flat
    assert "DANH SÁCH MÔ HÌNH" in flat
    assert any(isinstance(v, str) and v.startswith("Đức Cơ, ngày ") for v in flat)
    assert ws.page_setup.paperSize == 9
    cell = next(c for row in ws.iter_rows() for c in row if c.value == "=HYPERLINK(1)")
    assert cell.data_type == "s"
    assert 2018 in flat


def test_initiative_history_is_audited(client_for, world, program):
    initiative = make_initiative(world, program)
    activity_services.update_initiative(initiative=initiative, by=world.admin, description="Mô tả mới")
    page = (
        client_for(world.mttq_huyen)
        .get(reverse("activities:initiative_detail", args=[initiative.pk]))
        .content.decode()
    )
    assert "Mô tả mới" in page and 'id="history"' in page


def test_initiative_export_header_of_an_organization(client_for, world, program):
    make_initiative(world, program)
    response = client_for(world.nongdan_huyen).get(reverse("activities:initiative_list"), {"export": "xlsx"})
    from io import BytesIO

    from openpyxl import load_workbook

    flat = [c.value for row in load_workbook(BytesIO(response.content)).active.iter_rows() for c in row]
    # Under its direct superior (NĐ 30/2020), not under the province's name.
    assert "HỘI NÔNG DÂN TỈNH GIA LAI" in flat and "HỘI NÔNG DÂN HUYỆN ĐỨC CƠ" in flat
    assert "Nông dân sản xuất kinh doanh giỏi" in flat


def test_initiative_form_lists_one_communes_options_in_a_large_scope(client_for, world, program, monkeypatch):
    from organizations import forms

    client = client_for(world.mttq_huyen)
    body = client.get(reverse("activities:initiative_create")).content.decode()
    assert 'id="commune-choice"' not in body and len(select_options(body, "area")) == 5

    monkeypatch.setattr(forms, "LIST_ALL_COMMUNES", 1)  # as a province's 218 communes
    body = client.get(reverse("activities:initiative_create")).content.decode()
    assert select_options(body, "organization") == select_options(body, "area") == ["---------"]
    body = client.get(reverse("activities:initiative_create"), {"commune": world.iakla.pk}).content.decode()
    organizations = select_options(body, "organization")[1:]
    assert organizations and all(name.endswith("Ia Kla") for name in organizations)
    assert select_options(body, "area")[1:] == [a.name for a in world.iakla_areas]

    # Editing lists the initiative's own commune.
    initiative = make_initiative(world, program)
    body = client.get(reverse("activities:initiative_update", args=[initiative.pk])).content.decode()
    assert select_options(body, "area")[1:] == [a.name for a in world.iadom_areas]
    assert f'<option value="{initiative.organization.pk}" selected>' in body
