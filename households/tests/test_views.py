import datetime
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from devdata.testing import select_options
from households import selectors, services
from households.models import (
    AccessAction,
    EntryKind,
    FundEntry,
    Household,
    PersonalDataAccess,
    ReviewImport,
    Sponsorship,
    Status,
    Support,
)
from households.tests.factories import SAMPLE, household, review_list, row
from organizations.models import OrgKind, Unit, UnitLevel

YEAR = 2017


@pytest.fixture
def homes(world):
    """One household in each commune, plus the fund of Ia Dom."""
    dom = household(world.iadom_areas[0], name="Rơ Mah Jin", national_id="123456789012")
    kla = household(world.iakla_areas[0], name="Siu Thị Kla", birth_year=1970)
    entry = services.record_fund_entry(
        unit=world.iadom,
        kind=EntryKind.RECEIPT,
        date=datetime.date(2017, 10, 17),
        amount=10_000_000,
        donor="=cmd|' /C calc'!A0",
        by=world.mttq_iadom,
    )
    kla_entry = services.record_fund_entry(
        unit=world.iakla,
        kind=EntryKind.RECEIPT,
        date=datetime.date(2017, 10, 17),
        amount=1_000_000,
        donor="Ia Kla donor",
        by=world.mttq_iakla,
    )
    return {"dom": dom, "kla": kla, "entry": entry, "kla_entry": kla_entry}


def test_household_list_anonymous_goes_to_login(client, world):
    for name in ("households:list", "households:gaps", "households:import", "households:fund_home"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_household_list_scope_and_search_without_accents(client_for, world, homes):
    client = client_for(world.mttq_iadom)
    response = client.get(reverse("households:list"), {"year": YEAR})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Rơ Mah Jin" in body and "Siu Thị Kla" not in body
    assert "123456789012" not in body and "•••••••••012" in body
    found = client.get(reverse("households:list"), {"q": "ro mah jin"}).content.decode()
    assert "Rơ Mah Jin" in found
    assert "Siu Thị Kla" not in client.get(reverse("households:list"), {"q": "siu thi kla"}).content.decode()
    district = client_for(world.mttq_huyen).get(reverse("households:list"), {"q": "SIU THI"}).content.decode()
    assert "Siu Thị Kla" in district and "Rơ Mah Jin" not in district


def test_household_list_filters(client_for, world, homes):
    client = client_for(world.mttq_huyen)
    body = client.get(reverse("households:list"), {"commune": world.iakla.pk}).content.decode()
    assert "Siu Thị Kla" in body and "Rơ Mah Jin" not in body
    body = client.get(reverse("households:list"), {"status": "escaped", "year": YEAR}).content.decode()
    assert "Rơ Mah Jin" not in body
    body = client.get(reverse("households:list"), {"sponsor": "none", "year": YEAR}).content.decode()
    assert "Rơ Mah Jin" in body


def test_household_list_pages_keep_the_filter(client_for, world, monkeypatch):
    monkeypatch.setattr("households.views.PAGE_SIZE", 2)
    for name in ("Rơ Châm A", "Rơ Châm B", "Rơ Châm C", "Siu Thị D"):
        household(world.iakla_areas[0], name=name)
    response = client_for(world.mttq_iakla).get(reverse("households:list"), {"q": "ro cham", "page": 2})
    assert [h.head_name for h in response.context["page"]] == ["Rơ Châm C"]
    # "Previous" goes back to the search's first page, not to the whole list's.
    assert 'href="?q=ro+cham&amp;page=1"' in response.content.decode()


def test_household_list_keeps_the_villages_in_order_past_a_digit_boundary(client_for, world):
    boundary = 10 ** (len(str(Unit.objects.order_by("-pk").first().pk)) + 1)  # above every id
    ninth = Unit.objects.create(pk=boundary - 1, name="Thôn 9", level=UnitLevel.AREA, parent=world.iakla)
    tenth = Unit.objects.create(pk=boundary, name="Thôn 10", level=UnitLevel.AREA, parent=world.iakla)
    household(tenth, name="A Tenth Village")  # first by name: only the village can put it second
    household(ninth, name="Y Ninth Village")
    body = client_for(world.mttq_iakla).get(reverse("households:list")).content.decode()
    assert body.index("Y Ninth Village") < body.index("A Tenth Village")


def test_household_list_area_filter_asks_for_a_commune_in_a_large_scope(
    client_for, world, homes, monkeypatch
):
    from households import forms

    monkeypatch.setattr(forms, "MAX_AREA_CHOICES", 2)  # the district has 4 areas
    client = client_for(world.mttq_huyen)
    form = client.get(reverse("households:list")).context["form"]
    assert [value for value, _label in form.fields["area"].choices] == [""]
    assert form.fields["area"].help_text
    form = client.get(reverse("households:list"), {"commune": world.iakla.pk}).context["form"]
    assert {value for value, _label in form.fields["area"].choices} == {
        "",
        *(a.pk for a in world.iakla_areas),
    }
    area = world.iakla_areas[0]
    assert dict(form.fields["area"].choices)[area.pk] == f"{area.name} – {world.iakla.name}"
    assert dict(form.fields["commune"].choices)[world.iakla.pk] == world.iakla.name
    # A chosen area still filters (a bookmarked link) without its commune.
    area = world.iakla_areas[0]
    response = client.get(reverse("households:list"), {"area": area.pk})
    assert response.context["form"].is_valid()
    assert {h.area_id for h in response.context["page"].object_list} <= {area.pk}


def test_household_detail_other_commune_is_404_and_view_logged(client_for, world, homes):
    client = client_for(world.mttq_iadom)
    assert client.get(reverse("households:detail", args=[homes["kla"].pk])).status_code == 404
    response = client.get(reverse("households:detail", args=[homes["dom"].pk]))
    assert response.status_code == 200
    assert "123456789012" in response.content.decode()
    log = PersonalDataAccess.objects.get()
    assert log.action == AccessAction.VIEW and log.household == homes["dom"] and log.user == world.mttq_iadom


def test_household_writes_other_commune_404_viewer_403(client_for, world, homes):
    kla = homes["kla"]
    client = client_for(world.mttq_iadom)
    for name in ("households:update", "households:status", "households:sponsor", "households:support"):
        assert client.get(reverse(name, args=[kla.pk])).status_code == 404
    assert client.post(reverse("households:assign", args=[kla.pk])).status_code == 404
    viewer = client_for(world.lanhdao)
    assert viewer.get(reverse("households:detail", args=[kla.pk])).status_code == 200
    for name in ("households:update", "households:status", "households:sponsor", "households:support"):
        assert viewer.get(reverse(name, args=[kla.pk])).status_code == 403
    assert viewer.get(reverse("households:create")).status_code == 403
    assert viewer.get(reverse("households:import")).status_code == 403


def test_household_create_and_duplicate_flag(client_for, world):
    client = client_for(world.mttq_iadom)
    data = {"area": world.iadom_areas[0].pk, "head_name": "Nay Blơi", "birth_year": 1980, "members": 4}
    response = client.post(reverse("households:create"), data)
    assert response.status_code == 302
    response = client.post(reverse("households:create"), data)
    assert response.status_code == 200 and "Đã có hộ trùng" in response.content.decode()
    response = client.post(reverse("households:create"), {**data, "allow_duplicate": "on"})
    assert response.status_code == 302
    assert Household.objects.count() == 2
    # An area of another commune is not a choice.
    response = client.post(reverse("households:create"), {**data, "area": world.iakla_areas[0].pk})
    assert response.status_code == 200 and Household.objects.count() == 2


def test_household_update_with_version(client_for, world, homes):
    client = client_for(world.mttq_iadom)
    h = homes["dom"]
    data = {"area": h.area_id, "head_name": "Rơ Mah Jin", "birth_year": 1989, "members": 6, "version": 1}
    assert client.post(reverse("households:update", args=[h.pk]), data).status_code == 302
    response = client.post(reverse("households:update", args=[h.pk]), data)
    assert "Người khác vừa sửa" in response.content.decode()


def test_status_sponsor_support_views(client_for, world, homes):
    client = client_for(world.mttq_iadom)
    h = homes["dom"]
    assert (
        client.post(
            reverse("households:status", args=[h.pk]), {"year": 2018, "status": "near_poor"}
        ).status_code
        == 302
    )
    assert h.statuses.get(year=2018).status == Status.NEAR_POOR
    org = world.org(h.area, OrgKind.WOMEN)
    assert (
        client.post(
            reverse("households:sponsor", args=[h.pk]), {"organization": org.pk, "year": 2017}
        ).status_code
        == 302
    )
    other = world.org(h.area, OrgKind.YOUTH)
    response = client.post(
        reverse("households:sponsor", args=[h.pk]), {"organization": other.pk, "year": 2017}
    )
    assert response.status_code == 200 and Sponsorship.objects.count() == 1
    response = client.post(
        reverse("households:support", args=[h.pk]),
        {
            "date": "17/10/2017",
            "kind": "house",
            "value": 60000000,
            "source_fund": 10000000,
            "source_family": 50000000,
        },
    )
    assert response.status_code == 302
    assert Support.objects.get().fundings.count() == 2
    detail = client.get(reverse("households:detail", args=[h.pk])).content.decode()
    assert "60.000.000 đ" in detail and "17/10/2017" in detail


def test_gap_list_and_assign_shrinks(client_for, world, homes):
    client = client_for(world.mttq_iadom)
    response = client.get(reverse("households:gaps"), {"year": YEAR})
    assert "Rơ Mah Jin" in response.content.decode() and "Siu Thị Kla" not in response.content.decode()
    org = world.org(homes["dom"].area, OrgKind.FARMERS)
    response = client.post(
        reverse("households:assign", args=[homes["dom"].pk]), {"organization": org.pk, "year": YEAR}
    )
    assert response.status_code == 302
    link = f'href="{reverse("households:detail", args=[homes["dom"].pk])}"'
    assert link not in client.get(reverse("households:gaps"), {"year": YEAR}).content.decode()
    # Cannot assign an organization of another commune.
    kla_org = world.org(world.iakla_areas[0], OrgKind.FARMERS)
    assert (
        client.post(
            reverse("households:assign", args=[homes["dom"].pk]), {"organization": kla_org.pk}
        ).status_code
        == 404
    )


def test_home_panel_shows_the_latest_years_gap_count(client_for, world, homes):
    for user in (world.mttq_iadom, world.mttq_huyen):
        year = selectors.latest_year(user)
        count = selectors.gap_households(user, year=year).count()
        assert count > 0
        body = client_for(user).get("/").content.decode()
        assert f'<p class="display-6 mb-0" id="home-gap-count">{count}</p>' in body
        assert f"/households/gaps/?year={year}" in body


def test_household_export_scope_masked_and_logged(client_for, world, homes):
    client = client_for(world.mttq_iadom)
    response = client.get(reverse("households:export"), {"year": YEAR})
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    rows = list(wb.active.iter_rows(values_only=True))
    values = [c for r in rows for c in r if c]
    assert "Rơ Mah Jin" in values and "Siu Thị Kla" not in values
    # The household's row, column by column (no gender, ethnicity or sponsor: empty cells).
    dom = homes["dom"]
    assert [r for r in rows if r[1] == "Rơ Mah Jin"] == [
        (1, "Rơ Mah Jin", None, 1989, None, dom.area.name, "Xã Ia Dom", dom.members, "Hộ nghèo", None,
         "•••••••••012", None)
    ]  # fmt: skip
    assert "123456789012" not in values and "•••••••••012" in values
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in values
    log = PersonalDataAccess.objects.get(action=AccessAction.EXPORT)
    assert log.row_count == 1 and log.user == world.mttq_iadom
    # The reviewer of the district sees the export in the log; an editor may not open it.
    assert client.get(reverse("households:access_log")).status_code == 403
    body = client_for(world.mttq_huyen).get(reverse("households:access_log")).content.decode()
    assert "mttq.iadom" in body


def test_fund_ledger_scope_and_reversal(client_for, world, homes):
    client = client_for(world.mttq_iadom)
    assert client.get(reverse("households:fund", args=[world.iakla.pk])).status_code == 404
    assert client.get(reverse("households:fund", args=[world.district.pk])).status_code == 404
    assert client.get(reverse("households:fund_reverse", args=[homes["kla_entry"].pk])).status_code == 404
    response = client.get(reverse("households:fund", args=[world.iadom.pk]))
    assert "10.000.000 đ" in response.content.decode()
    response = client.post(
        reverse("households:fund", args=[world.iadom.pk]),
        {
            "kind": "spending",
            "date": "18/10/2017",
            "amount": 20000000,
            "household": homes["dom"].pk,
            "purpose": "Nhà",
        },
    )
    assert response.status_code == 200 and "thiếu 10.000.000 đ" in response.content.decode()
    response = client.post(
        reverse("households:fund", args=[world.iadom.pk]),
        {
            "kind": "spending",
            "date": "18/10/2017",
            "amount": 4000000,
            "household": homes["dom"].pk,
            "purpose": "Bò",
        },
    )
    assert response.status_code == 302
    spending = FundEntry.objects.get(kind="spending")
    response = client.post(
        reverse("households:fund_reverse", args=[spending.pk]), {"date": "19/10/2017", "reason": "Sai"}
    )
    assert response.status_code == 302
    assert (
        services.fund_balance(world.iadom) == 10_000_000
        and FundEntry.objects.filter(unit=world.iadom).count() == 3
    )
    viewer = client_for(world.lanhdao)
    assert viewer.get(reverse("households:fund", args=[world.iadom.pk])).status_code == 200
    assert viewer.post(reverse("households:fund", args=[world.iadom.pk]), {}).status_code == 403
    phunu = client_for(world.phunu_iadom)
    assert phunu.get(reverse("households:fund_reverse", args=[spending.pk])).status_code == 403


def test_fund_export_formula_written_as_text_and_logged(client_for, world, homes):
    client = client_for(world.mttq_iadom)
    response = client.get(reverse("households:fund_export", args=[world.iadom.pk]))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    cells = [c for r in wb.active.iter_rows() for c in r if c.value == "=cmd|' /C calc'!A0"]
    assert cells and all(c.data_type == "s" for c in cells)
    assert PersonalDataAccess.objects.filter(action=AccessAction.EXPORT, unit=world.iadom).exists()
    assert client.get(reverse("households:fund_export", args=[world.iakla.pk])).status_code == 404


def _upload(client, content, commune, name="ds.xlsx", year=YEAR):
    upload = io.BytesIO(content)
    upload.name = name
    return client.post(reverse("households:import"), {"commune": commune.pk, "year": year, "file": upload})


def test_import_views_preview_confirm_idempotent(client_for, world):
    for name in ("Làng 2", "Thôn 4"):
        Unit.objects.create(name=name, level=UnitLevel.AREA, parent=world.iadom)
    client = client_for(world.mttq_iadom)
    with open(SAMPLE, "rb") as fh:
        content = fh.read()
    response = _upload(client, content, world.iadom)
    assert response.status_code == 302
    preview = client.get(response.url).content.decode()
    assert "Ksor H&#x27; Bia" in preview and Household.objects.count() == 0
    batch = ReviewImport.objects.get()
    assert client.post(reverse("households:import_confirm", args=[batch.pk])).status_code == 302
    assert Household.objects.count() == 40
    response = _upload(client, content, world.iadom)
    client.post(reverse("households:import_confirm", args=[ReviewImport.objects.latest("pk").pk]))
    assert Household.objects.count() == 40
    # Another user never sees someone else's upload; another commune is out of scope.
    assert (
        client_for(world.mttq_iakla).get(reverse("households:import_preview", args=[batch.pk])).status_code
        == 404
    )
    assert _upload(client_for(world.mttq_iadom), content, world.iakla).status_code == 200


def test_import_views_bad_files_change_nothing(client_for, world):
    client = client_for(world.mttq_iadom)
    response = _upload(client, b"not an excel file", world.iadom, name="ds.csv")
    assert response.status_code == 200 and "xlsx" in response.content.decode()
    response = _upload(client, review_list([row(1, "Nay Blơi", area="Làng Xa")]), world.iadom)
    preview = response.content.decode()  # the errors, at once: a refused list is not kept
    assert "Làng Xa" in preview and "import-errors" in preview
    assert not ReviewImport.objects.exists() and Household.objects.count() == 0


def test_import_template_download(client_for, world):
    response = client_for(world.mttq_iadom).get(reverse("households:import_template"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")


@pytest.mark.parametrize(
    "name",
    ["households:list", "households:gaps", "households:import", "households:access_log"],
)
def test_pages_vietnamese_without_english(client_for, world, homes, name):
    body = client_for(world.mttq_huyen).get(reverse(name)).content.decode()
    for english in (
        "Households",
        "Gap list",
        "Head of household",
        "Residential area",
        "Status",
        "Export",
        "Sponsor",
    ):
        assert f">{english}" not in body, english


def test_pages_vietnamese_detail_and_fund(client_for, world, homes):
    client = client_for(world.mttq_iadom)
    for url in (
        reverse("households:detail", args=[homes["dom"].pk]),
        reverse("households:fund", args=[world.iadom.pk]),
    ):
        body = client.get(url).content.decode()
        for english in ("Balance", "Year of birth", "Support given", "Receipt", "Record", "Amount"):
            assert f">{english}" not in body, english
    assert "Quỹ “Vì người nghèo”" in body and "10.000.000 đ" in body


def _outcome_cell(body: str) -> str:
    row = re.search(r'<table[^>]*id="sponsorships".*?<tbody>\s*<tr>(.*?)</tr>', body, re.S).group(1)
    return re.findall(r"<td>(.*?)</td>", row, re.S)[2].strip()


def test_sponsorship_outcome_follows_the_next_years_review(client_for, world, homes):
    """Nobody sets the outcome: the next year's review gives it, and a household still poor
    then is not credited with escaping."""
    client = client_for(world.mttq_iadom)
    h = homes["dom"]
    services.sponsor(
        household=h, organization=world.org(h.area, OrgKind.WOMEN), year=YEAR, by=world.mttq_iadom
    )
    detail = reverse("households:detail", args=[h.pk])
    assert _outcome_cell(client.get(detail).content.decode()) == "Đang giúp đỡ"
    services.set_status(household=h, year=YEAR + 1, status=Status.POOR, by=world.mttq_iadom)
    assert _outcome_cell(client.get(detail).content.decode()) == "Chưa thoát nghèo"
    services.set_status(household=h, year=YEAR + 1, status=Status.ESCAPED, by=world.mttq_iadom)
    assert _outcome_cell(client.get(detail).content.decode()) == "Hộ thoát nghèo"
    assert "households/sponsorships/" not in client.get(detail).content.decode()  # no form to set it


def test_status_deprivations(client_for, world, homes):
    client = client_for(world.mttq_iadom)
    h = homes["dom"]
    response = client.post(
        reverse("households:status", args=[h.pk]),
        {"year": 2023, "status": "poor", "deprivations": ["Việc làm", "Dinh dưỡng", "Bảo hiểm y tế"]},
    )
    assert response.status_code == 302
    assert len(h.statuses.get(year=2023).deprivations) == 3
    response = client.post(
        reverse("households:status", args=[h.pk]),
        {"year": 2017, "status": "poor", "deprivations": ["Việc làm"]},
    )
    assert response.status_code == 200 and h.statuses.get(year=2017).deprivations == []


def test_import_views_warn_when_title_year_differs(client_for, world):
    for name in ("Làng 2", "Thôn 4"):  # the sample's areas: a list with errors is not kept
        Unit.objects.create(name=name, level=UnitLevel.AREA, parent=world.iadom)
    client = client_for(world.mttq_iadom)
    with open(SAMPLE, "rb") as fh:
        response = _upload(client, fh.read(), world.iadom, year=2018)
    body = client.get(response.url).content.decode()
    assert 'id="import-year-warning"' in body and "2017" in body


def test_household_detail_change_history_for_the_fronts_staff(client_for, world):
    h = services.create_household(
        area=world.iadom_areas[0], head_name="Nay Blơi", members=3, by=world.mttq_iadom
    )
    services.update_household(household=h, version=1, head_name="Nay Blơi", members=5, by=world.mttq_iadom)
    for front in (world.mttq_huyen, world.mttq_iadom):
        body = client_for(front).get(reverse("households:detail", args=[h.pk])).content.decode()
        assert 'id="history"' in body and "Số nhân khẩu" in body
    body = client_for(world.phunu_iadom).get(reverse("households:detail", args=[h.pk])).content.decode()
    assert 'id="history"' not in body


def test_views_read_only_leader_is_not_offered_the_import(client_for, world):
    from django.urls import reverse

    body = client_for(world.lanhdao).get(reverse("households:list")).content.decode()
    assert reverse("households:import") not in body
    editor_body = client_for(world.mttq_iadom).get(reverse("households:list")).content.decode()
    assert reverse("households:import") in editor_body


def test_fund_reversal_form_carries_the_version_and_refuses_a_stale_one(client_for, world, homes):
    entry = homes["entry"]
    url = reverse("households:fund_reverse", args=[entry.pk])
    first = client_for(world.mttq_iadom)
    page = first.get(url).content.decode()
    assert f'name="version" value="{entry.version}"' in page
    stale = {"date": "19/10/2017", "reason": "Nhập sai", "version": entry.version}
    assert first.post(url, stale).status_code == 302
    count = FundEntry.objects.count()
    second = client_for(world.mttq_huyen)
    response = second.post(url, {**stale, "reason": "Ghi trùng"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "đã được mttq.iadom sửa lúc" in body and "tải lại" in body.lower()
    assert FundEntry.objects.count() == count
    assert not FundEntry.objects.filter(purpose="Ghi trùng").exists()


def test_household_list_count_matches_the_rows_under_every_filter(client_for, world, homes):
    """The list's length comes from the summary unless a search or a status narrows it; either
    way it is the number of households the filters select."""
    import re

    from households.selectors import households as listed

    for i in range(3):
        services.create_household(area=world.iadom_areas[1], by=world.mttq_iadom, head_name=f"Hộ mới {i}")
    client = client_for(world.mttq_huyen)
    for params, expected in [
        ({}, {}),
        ({"commune": world.iadom.pk}, {"commune": world.iadom.pk}),
        ({"commune": world.iadom.pk, "area": world.iadom_areas[1].pk}, {"area": world.iadom_areas[1].pk}),
        ({"status": "poor", "year": YEAR}, {"status": "poor"}),
        ({"q": "ro mah"}, {"q": "ro mah"}),
    ]:
        body = client.get(reverse("households:list"), params).content.decode()
        shown = int(re.search(r'id="household-count">([\d.]+) hộ', body).group(1).replace(".", ""))
        assert shown == listed(world.mttq_huyen, year=YEAR, **expected).count(), params
    assert shown == 1
    body = client.get(reverse("households:list"), {"commune": world.iadom.pk}).content.decode()
    assert 'id="household-count">4 hộ' in body


def test_fund_ledger_of_many_households_lists_only_the_chosen_one(client_for, world, homes, monkeypatch):
    # A district's or the province's ledger: too many households for the select.
    monkeypatch.setattr("households.forms.MAX_FUND_HOUSEHOLD_OPTIONS", 1)
    other = household(world.iadom_areas[1], name="Ksor Thị Hoa")
    client = client_for(world.mttq_iadom)
    url = reverse("households:fund", args=[world.iadom.pk])

    body = client.get(url).content.decode()
    assert "Rơ Mah Jin" not in body and "Ksor Thị Hoa" not in body
    print(body[body.find("id_household") :][:800])
    assert "mở trang của hộ và chọn “Chi từ Quỹ”" in body  # where to choose the household instead
    body = client.get(f"{url}?household={other.pk}").content.decode()
    assert f'<option value="{other.pk}" selected>Ksor Thị Hoa' in body and "Rơ Mah Jin" not in body

    # Any household of the ledger is still accepted; one of another commune is not.
    spend = {"kind": "spending", "date": "18/10/2017", "amount": 1_000_000, "purpose": "Giống"}
    response = client.post(url, {**spend, "household": homes["kla"].pk})
    assert response.status_code == 200 and "lựa chọn hợp lệ" in response.content.decode()
    assert not FundEntry.objects.filter(kind=EntryKind.SPENDING).exists()
    assert client.post(url, {**spend, "household": homes["dom"].pk}).status_code == 302
    assert FundEntry.objects.get(kind=EntryKind.SPENDING).household == homes["dom"]


@pytest.mark.parametrize("status", [Status.POOR, Status.NEAR_POOR, Status.ESCAPED, Status.ESCAPED_NEAR])
def test_household_list_of_a_status_says_how_many_it_lists(client_for, world, status):
    import re

    # A different number of households of each status in each area.
    areas = world.iadom_areas + world.iakla_areas
    for i, (area, st) in enumerate(
        [(a, s) for a in areas for k, s in enumerate(Status.values) for _ in range(k + 1)]
    ):
        household(area, name=f"Hộ {st} {i}", status=st)
    household(world.iadom_areas[0], name="Hộ năm khác", status=status, year=2018)
    for user, where in (
        (world.mttq_huyen, ""),
        (world.mttq_iadom, ""),
        (world.mttq_huyen, f"&commune={world.iakla.pk}"),
    ):
        body = client_for(user).get(f"/households/?year={YEAR}&status={status}{where}").content.decode()
        (count,) = re.findall(r'id="household-count">(\d+)', body)
        rows = re.findall(r'href="/households/\d+/">Hộ ', body)
        assert int(count) == len(rows) > 0 and "Hộ năm khác" not in body


def test_household_form_lists_one_communes_areas_in_a_large_scope(client_for, world, homes, monkeypatch):
    from organizations import forms

    client = client_for(world.mttq_huyen)
    # A district's areas fit in one select: no commune to choose first.
    body = client.get(reverse("households:create")).content.decode()
    assert 'id="commune-choice"' not in body and len(select_options(body, "area")) == 5

    monkeypatch.setattr(forms, "LIST_ALL_COMMUNES", 1)  # as a province's 218 communes
    body = client.get(reverse("households:create")).content.decode()
    assert 'id="commune-choice"' in body and select_options(body, "area") == ["---------"]
    url = reverse("households:create") + f"?commune={world.iakla.pk}"
    body = client.get(url).content.decode()
    assert select_options(body, "area")[1:] == [a.name for a in world.iakla_areas]
    # What the form accepts is unchanged: any area of the user's scope.
    data = {"area": world.iadom_areas[1].pk, "head_name": "Ksor Hlơi", "members": 3}
    assert client.post(url, data).status_code == 302
    assert Household.objects.get(head_name="Ksor Hlơi").area == world.iadom_areas[1]

    # Editing lists the household's own commune, its area chosen.
    body = client.get(reverse("households:update", args=[homes["kla"].pk])).content.decode()
    assert select_options(body, "area")[1:] == [a.name for a in world.iakla_areas]
    assert f'<option value="{world.iakla_areas[0].pk}" selected>' in body

    # A commune outside the user's scope is refused with a message, and nothing listed.
    outside = Unit.objects.create(name="Xã Ngoài", level=UnitLevel.COMMUNE, parent=world.province)
    body = client.get(reverse("households:create"), {"commune": outside.pk}).content.decode()
    assert 'id="commune-error"' in body and select_options(body, "area") == ["---------"]
