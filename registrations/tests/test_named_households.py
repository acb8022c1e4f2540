"""A pledge may name the households it takes on: of its area, visible to the user, no more
than pledged; shown on the registration page and in the Excel download."""

import io

import lxml.html
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from devdata.registrations import full_items
from households.models import AccessAction, Household, PersonalDataAccess
from portal.tests.queries import page_queries
from registrations import excel, services
from registrations.models import ItemKind

PLEDGE = 3  # the position of the pledge among full_items


def _household(area, name):
    return Household.objects.create(area=area, head_name=name)


def _post(rows, version):
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "version": str(version),
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            if key == "households":
                data[f"form-{i}-{key}"] = [h.pk for h in value]
            else:
                data[f"form-{i}-{key}"] = getattr(value, "pk", value)
    return data


def test_named_households_saved_and_shown(client_for, world, program, women_iadom):
    area = world.iadom_areas[0]
    bia, nay = _household(area, "Rơ Mah H' Bia"), _household(area, "Ksor Nay")
    client = client_for(world.phunu_iadom)
    rows = full_items(world, program, women_iadom)
    rows[PLEDGE]["households"] = [bia, nay]
    url = reverse("registrations:registration_edit", args=[women_iadom.pk])
    # A new form carries the households once, for the script to offer an area's when chosen.
    response = client.get(url)
    assert 'id="household-options"' in response.content.decode()
    assert (nay.pk, f"Ksor Nay – {area.name}", area.pk) in response.context["formset"].household_options
    assert client.post(url, _post(rows, 1)).status_code == 302
    pledge = women_iadom.items.get(kind=ItemKind.SPONSORSHIP_PLEDGE)
    assert set(pledge.households.all()) == {bia, nay}
    # Opened again, the pledge's row offers its area's households, the named ones chosen.
    form_page = client.get(url).content.decode()
    doc = lxml.html.fromstring(form_page)
    (chosen,) = doc.xpath(f'//input[@name="form-{PLEDGE}-households"][@value="{nay.pk}"]')
    assert chosen.checked and chosen.getparent().get("data-area") == str(area.pk)
    page = client.get(reverse("registrations:registration_detail", args=[women_iadom.pk])).content.decode()
    assert "Rơ Mah H&#x27; Bia" in page and "Ksor Nay" in page
    # The history keeps which households were named.
    assert sorted(women_iadom.events.last().snapshot[PLEDGE]["households"]) == sorted([bia.pk, nay.pk])


def test_named_households_link_to_their_page_for_who_may_open_it(client_for, world, program, women_iadom):
    area = world.iadom_areas[0]
    bia, nay = _household(area, "Rơ Mah H' Bia"), _household(area, "Ksor Nay")
    rows = full_items(world, program, women_iadom)
    rows[PLEDGE]["households"] = [bia]
    services.save_items(registration=women_iadom, items=rows, version=1, by=world.phunu_iadom)
    url = reverse("registrations:registration_detail", args=[women_iadom.pk])
    front = client_for(world.mttq_huyen)
    front.get(url)  # the session's first request renews it (three queries more)
    with CaptureQueriesContext(connection) as one:
        front.get(url)
    rows[PLEDGE]["households"] = [bia, nay]
    services.save_items(registration=women_iadom, items=rows, version=2, by=world.phunu_iadom)
    with CaptureQueriesContext(connection) as two:
        page = front.get(url).content.decode()
    assert len(two) == len(one)  # no query per household named
    pages = {h: reverse("households:detail", args=[h.pk]) for h in (bia, nay)}
    assert f'href="{pages[bia]}"' in page and f'href="{pages[nay]}"' in page
    # Ksor Nay has since moved to Ia Kla: phunu.iadom may no longer open the household.
    Household.objects.filter(pk=nay.pk).update(area=world.iakla_areas[0])
    women = client_for(world.phunu_iadom)
    page = women.get(url).content.decode()
    assert f'href="{pages[bia]}"' in page and women.get(pages[bia]).status_code == 200
    assert f'href="{pages[nay]}"' not in page and women.get(pages[nay]).status_code == 404
    assert "Ksor Nay" not in page and "1 hộ bạn không được xem" in page
    # The district's Front still may: both names link.
    assert f'href="{pages[nay]}"' in client_for(world.mttq_huyen).get(url).content.decode()


def test_household_of_another_area_or_commune_is_refused(client_for, world, program, women_iadom):
    other_area = _household(world.iadom_areas[1], "Siu Thơm")
    other_commune = _household(world.iakla_areas[0], "Rah Lan Hyơi")
    client = client_for(world.phunu_iadom)
    url = reverse("registrations:registration_edit", args=[women_iadom.pk])
    rows = full_items(world, program, women_iadom)
    rows[PLEDGE]["households"] = [other_area]
    page = client.post(url, _post(rows, 1)).content.decode()
    assert "không sống ở khu dân cư đã chọn" in page and "Siu Thơm" in page
    rows[PLEDGE]["households"] = [other_commune]  # not even visible to phunu.iadom
    page = client.post(url, _post(rows, 1)).content.decode()
    assert "không có trong số các hộ bạn được xem" in page
    assert women_iadom.items.count() == 0


def test_named_households_cannot_exceed_pledge(client_for, world, program, women_iadom):
    area = world.iadom_areas[0]
    named = [_household(area, f"Hộ {i}") for i in range(3)]
    rows = full_items(world, program, women_iadom)
    rows[PLEDGE]["households"] = named  # 3 named, 2 pledged
    page = client_for(world.phunu_iadom).post(
        reverse("registrations:registration_edit", args=[women_iadom.pk]), _post(rows, 1)
    )
    assert "3 hộ được nêu tên nhưng chỉ nhận 2 hộ" in page.content.decode()
    assert women_iadom.items.count() == 0


def test_service_checks_area_count_and_visibility(world, program, women_iadom):
    area = world.iadom_areas[0]
    rows = full_items(world, program, women_iadom)
    for households, text in [
        ([_household(world.iakla_areas[0], "Ngoài xã")], "không thuộc các hộ bạn được xem"),
        ([_household(world.iadom_areas[1], "Thôn khác")], "Thôn khác không sống ở"),
        ([_household(area, f"H{i}") for i in range(3)], "chỉ nhận 2 hộ"),
    ]:
        rows[PLEDGE]["households"] = households
        try:
            services.save_items(registration=women_iadom, items=rows, version=1, by=world.phunu_iadom)
        except ValidationError as error:
            assert text in " ".join(error.messages)
            assert "Ngoài xã" not in " ".join(error.messages)  # no name of a hidden household
        else:
            raise AssertionError("saved")
    assert women_iadom.items.count() == 0


def test_excel_download_names_households_and_round_trips(client_for, world, program, women_iadom):
    area = world.iadom_areas[0]
    bia = _household(area, "Rơ Mah H' Bia")
    rows = full_items(world, program, women_iadom)
    rows[PLEDGE]["households"] = [bia]
    services.save_items(registration=women_iadom, items=rows, version=1, by=world.phunu_iadom)
    client = client_for(world.phunu_iadom)
    response = client.get(reverse("registrations:registration_xlsx", args=[women_iadom.pk]))
    ws = load_workbook(io.BytesIO(response.content))[excel.SHEET_TITLE]
    values = [c for row in ws.iter_rows(values_only=True) for c in row if c]
    assert f"Rơ Mah H' Bia (#{bia.pk})" in values
    assert PersonalDataAccess.objects.filter(user=world.phunu_iadom, action=AccessAction.EXPORT).count() == 1
    # Upload the same file back: the pledge still names the household.
    upload = SimpleUploadedFile("f.xlsx", response.content)
    result = excel.parse_upload(women_iadom, upload)
    assert result.errors == [], result.errors
    assert result.items[PLEDGE]["households"] == [bia]
    # A code that names no household is a row error.
    wb = load_workbook(io.BytesIO(response.content))
    sheet = wb[excel.SHEET_TITLE]
    sheet.cell(row=excel.FIRST_ITEM_ROW + PLEDGE, column=excel.COL["households"] + 1, value="Ai đó (#999999)")
    out = io.BytesIO()
    wb.save(out)
    result = excel.parse_upload(women_iadom, SimpleUploadedFile("f.xlsx", out.getvalue()))
    assert any("#999999" in e for e in result.errors)


def test_large_scope_offers_the_needy_households_of_the_year(
    client_for, world, program, women_iadom, monkeypatch
):
    from households.models import HouseholdStatus, Status
    from registrations import forms

    area = world.iadom_areas[0]
    poor = _household(area, "Hộ nghèo")
    HouseholdStatus.objects.create(household=poor, year=2017, status=Status.POOR)
    average = _household(area, "Hộ khá")
    HouseholdStatus.objects.create(household=average, year=2017, status=Status.AVERAGE)
    monkeypatch.setattr(forms, "MAX_HOUSEHOLD_OPTIONS", 1)
    _visible, rows = forms.household_choices(women_iadom, world.phunu_iadom)
    assert [pk for pk, _label, _area in rows] == [poor.pk]
    # One not offered can still be named (the choice is checked against all visible households).
    items = full_items(world, program, women_iadom)
    items[PLEDGE]["households"] = [average]
    url = reverse("registrations:registration_edit", args=[women_iadom.pk])
    assert client_for(world.phunu_iadom).post(url, _post(items, 1)).status_code == 302


@pytest.mark.parametrize("size", [1, 20])
def test_registration_form_runs_the_same_queries_whatever_its_items_or_households(
    client_for, world, program, women_iadom, django_assert_num_queries, size
):
    """The form asks for the households, contents, model fields and areas once for all its
    rows, however many rows and households there are."""
    area = world.iadom_areas[0]
    households = [_household(area, f"Hộ {i}") for i in range(size)]
    items = full_items(world, program, women_iadom)
    items[PLEDGE]["households"] = households[:1]
    rows = items + [{"kind": ItemKind.OTHER, "description": f"Việc {i}"} for i in range(size)]
    client = client_for(world.phunu_iadom)
    url = reverse("registrations:registration_edit", args=[women_iadom.pk])
    assert client.post(url, _post(rows, 1)).status_code == 302
    # The session, the user, the memberships; the registration; its items with their
    # contents, areas and initiatives; the households they name; the households that may
    # be named; the organization's initiatives; the program's contents; the areas.
    page = page_queries(client, django_assert_num_queries, url, 10)
    assert len(page.context["formset"].forms) == len(rows) + 2
