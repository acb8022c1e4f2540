"""The dashboard, the compliance panel, the reports and their exports, as users see them."""

import html
import io
import json
import re

import pytest
from openpyxl import load_workbook

from organizations.models import OrgKind, Role, Unit, UnitLevel
from organizations.services import ensure_organizations

from .conftest import YEAR


def _figure_link(body: str, key: str) -> tuple[str, int]:
    match = re.search(rf'<a href="([^"]+)" data-figure="{key}">([\d.]+)</a>', body)
    assert match, key
    return match.group(1).replace("&amp;", "&"), int(match.group(2).replace(".", ""))


def test_dashboard_figures_drill_down_to_lists_of_that_many_rows(data, world, client_for):
    client = client_for(world.lanhdao)
    body = client.get(f"/dashboard/?year={YEAR}").content.decode()
    url, gap = _figure_link(body, "gap")
    assert gap == 2
    listed = html.unescape(client.get(url).content.decode())
    assert all(name in listed for name in ["Hộ Ia Kla 0", "Hộ Ia Kla 1"])
    assert "Hộ Làng 1 0" not in listed and "Rơ Châm H'Nga" not in listed
    # The near-poor household, no policy household, is watched beside the gap.
    url, near = _figure_link(body, "near_poor_unsponsored")
    assert near == 1 and "Rơ Châm H'Nga" in html.unescape(client.get(url).content.decode())
    url, sponsored = _figure_link(body, "gap_sponsored")
    listed = html.unescape(client.get(url).content.decode())
    assert sponsored == 4 and "Hộ Làng 1 0" in listed and "Hộ Ia Kla 0" not in listed
    url, poor = _figure_link(body, "poor")
    assert poor == 6
    listed = html.unescape(client.get(url).content.decode())
    poor_names = [
        h.head_name for h in data.households if h.statuses.filter(year=YEAR, status="poor").exists()
    ]
    assert len(poor_names) == 6 and all(name in listed for name in poor_names)
    assert "Rơ Châm H'Nga" not in listed
    url, late = _figure_link(body, "registrations_late")
    assert late == 1
    listed = html.unescape(client.get(url).content.decode())
    assert world.org(world.iakla, OrgKind.FRONT).name in listed
    assert world.org(world.iadom, OrgKind.FRONT).name not in listed


def test_dashboard_passes_chart_data_without_inline_script(data, world, client_for):
    body = client_for(world.lanhdao).get(f"/dashboard/?year={YEAR}").content.decode()
    assert 'id="dashboard-data" type="application/json"' in body
    for key in ("households", "registrations", "communes", "kinds"):
        assert f'data-chart="{key}"' in body
    assert "js/dashboard.js" in body
    assert not re.search(r"<script>(?!\s*</script>)", body)


def _commune_chart(body: str) -> tuple[str, list[str], list[int]]:
    data = json.loads(re.search(r'id="dashboard-data" type="application/json">(.*?)</script>', body, re.S)[1])
    title = re.search(r'id="chart-communes-heading">([^<]*)<', body)[1]
    return html.unescape(title), data["communes"]["labels"], data["communes"]["series"][1]["data"]


def test_dashboard_charts_every_commune_of_a_district_by_name(data, world, client_for):
    body = client_for(world.lanhdao).get(f"/dashboard/?year={YEAR}").content.decode()
    title, labels, gaps = _commune_chart(body)
    assert title == "Theo xã"
    assert labels.index(world.iadom.name) < labels.index(world.iakla.name)
    assert 'id="chart-communes-note"' not in body


def test_dashboard_charts_the_communes_with_the_largest_gap_when_there_are_many(
    data, world, client_for, monkeypatch
):
    from reports import charts

    communes = len(
        _commune_chart(client_for(world.lanhdao).get(f"/dashboard/?year={YEAR}").content.decode())[1]
    )
    monkeypatch.setattr(charts, "CHART_COMMUNES", 1)
    body = client_for(world.lanhdao).get(f"/dashboard/?year={YEAR}").content.decode()
    title, labels, gaps = _commune_chart(body)
    assert title == "1 xã có nhiều hộ chưa có tổ chức giúp đỡ nhất"
    assert labels == [world.iakla.name] and gaps == [2]
    assert f"1 trên {communes} xã." in html.unescape(body)


def test_home_shows_the_reports_panel(data, world, client_for):
    body = client_for(world.lanhdao).get("/").content.decode()
    assert "/dashboard/" in body and "/compliance/" in body


def test_compliance_failing_cell_links_to_its_fix(data, world, client_for):
    body = client_for(world.lanhdao).get(f"/compliance/?year={YEAR}").content.decode()
    fails = re.findall(r'<a class="badge text-bg-danger[^"]*" href="([^"]+)"', body)
    assert f"/households/gaps/?year={YEAR}&amp;commune={world.iakla.pk}" in fails
    assert f"/households/gaps/?year={YEAR}&amp;commune={world.iadom.pk}" not in fails
    late = data.registrations[(world.iakla.pk, OrgKind.FRONT)]
    assert f"/registrations/{late.pk}/" in fails


def test_compliance_status_is_text_not_only_colour(data, world, client_for):
    body = client_for(world.lanhdao).get(f"/compliance/?year={YEAR}").content.decode()
    badges = re.findall(r'class="badge text-bg-(?:success|danger)[^"]*"[^>]*>([^<]+)<', body)
    assert badges and all(text.strip() for text in badges)


def test_report_page_and_excel_totals_agree(data, world, client_for):
    client = client_for(world.lanhdao)
    body = client.get("/reports/?year_from=2017&year=2019").content.decode()
    page_total = re.search(r'data-totals="registrations">(.*?)</tr>', body, re.S).group(1)
    page_numbers = [int(n.replace(".", "")) for n in re.findall(r'class="text-end">([\d.]+)<', page_total)]
    response = client.get("/reports/export.xlsx?year_from=2017&year=2019")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.worksheets[0]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in rows[0]
    assert "Độc lập - Tự do - Hạnh phúc" in rows[1]
    assert rows[0][0].startswith("ỦY BAN MTTQ VIỆT NAM") and rows[1][0] == "BAN THƯỜNG TRỰC"
    assert rows[2][0].startswith("Số:") and any(", ngày " in str(v) for v in rows[2])
    assert ws.freeze_panes == "A10"  # under the column headers of row 9
    assert rows[8][3] == rows[8][3] and isinstance(rows[8][0], str)
    assert ws.page_setup.paperSize == 9
    totals = [r for r in rows if r[0] == "Tổng cộng"][-1]  # above the signature block
    assert totals[3:8] == page_numbers == [6, 4, 1, 3, 2]
    assert all(isinstance(v, int) for v in totals[3:8])


def test_five_year_review_exports_every_year_with_totals(data, world, client_for):
    client = client_for(world.lanhdao)
    body = client.get("/reports/review/5/").content.decode()
    assert "2017" in body and "2021" in body
    wb = load_workbook(io.BytesIO(client.get("/reports/review/5/export.xlsx").content))
    summary = [[c.value for c in row] for row in wb.worksheets[0].iter_rows()]
    columns = summary[8]
    assert columns[1:6] == ["2017", "2018", "2019", "2020", "2021"]
    fund = {ws.title: ws for ws in wb.worksheets}
    assert len(wb.worksheets) == 11
    assert any("60000000" in str(row) for row in fund[wb.sheetnames[5]].iter_rows(values_only=True))


def test_formula_like_text_is_stored_as_text(data, world, client_for):
    data.content.title = "=HYPERLINK(1)"
    data.content.save()
    from activities.models import InitiativeYear

    assert InitiativeYear.objects.exists()
    w = world.iadom
    w.name = "=cmd|' /C calc'!A0"
    w.save()
    content = client_for(world.lanhdao).get("/reports/export.xlsx?year=2019").content
    wb = load_workbook(io.BytesIO(content))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value == w.name]
    assert cells and all(c.data_type == "s" for c in cells)


def test_review_of_another_length_is_404(data, world, client_for):
    assert client_for(world.lanhdao).get("/reports/review/4/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/",
        "/compliance/",
        "/reports/",
        "/reports/export.xlsx",
        "/reports/review/5/",
        "/reports/review/5/export.xlsx",
    ],
)
def test_a_commune_outside_scope_is_404(data, world, client_for, url):
    client = client_for(world.mttq_iakla)
    assert client.get(f"{url}?commune={world.iadom.pk}").status_code == 404
    assert client.get(f"{url}?commune={world.iakla.pk}").status_code == 200


def test_a_commune_user_sees_only_its_commune_figures(data, world, client_for):
    client = client_for(world.mttq_iakla)
    body = client.get(f"/dashboard/?year={YEAR}").content.decode()
    assert _figure_link(body, "poor")[1] == 2
    assert world.iadom.name not in body
    body = client.get(f"/compliance/?year={YEAR}").content.decode()
    assert world.iadom.name not in body and world.iakla.name in body
    wb = load_workbook(io.BytesIO(client.get("/reports/review/5/export.xlsx").content))
    values = {str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row}
    assert world.iakla.name in values and world.iadom.name not in values
    # The commune filter offers the user's communes only, by name.
    form = client.get(f"/dashboard/?year={YEAR}").context["form"]
    assert form.fields["commune"].choices[1:] == [(world.iakla.pk, world.iakla.name)]
    form = client_for(world.mttq_huyen).get(f"/reports/?year={YEAR}").context["form"]
    assert form.fields["commune"].choices[1:] == [(c.pk, c.name) for c in (world.iadom, world.iakla)]


def test_anonymous_goes_to_login(client):
    for url in ("/dashboard/", "/compliance/", "/reports/", "/reports/review/3/export.xlsx"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_compliance_gap_cell_drills_down_to_that_communes_households(data, world, client_for):
    client = client_for(world.lanhdao)
    listed = html.unescape(
        client.get(f"/households/gaps/?year={YEAR}&commune={world.iakla.pk}").content.decode()
    )
    assert all(name in listed for name in ["Hộ Ia Kla 0", "Hộ Ia Kla 1"]) and "Rơ Châm H'Nga" not in listed
    listed = client.get(f"/households/gaps/?year={YEAR}&commune={world.iadom.pk}").content.decode()
    assert "Hộ Ia Kla 0" not in listed


@pytest.mark.parametrize(
    "query",
    [
        "year=abc",
        "year_from=2030&year=2017",
        "year_from=1990&year=2100",
        "kind=xyz",
        "year=99999999999",
        # A first year after the default last one (the form cannot compare them).
        "year_from=2049",
    ],
)
def test_bad_filters_fall_back_to_the_defaults(data, world, client_for, query):
    client = client_for(world.lanhdao)
    for url in ("/dashboard/", "/compliance/", "/reports/", "/reports/export.xlsx"):
        assert client.get(f"{url}?{query}").status_code == 200


def test_initiative_figures_drill_down_to_that_many_rows(data, world, client_for):
    from activities.models import Initiative

    names = list(Initiative.objects.values_list("name", flat=True))
    client = client_for(world.lanhdao)
    for commune in ("", world.iakla.pk):
        body = client.get(f"/dashboard/?year={YEAR}&commune={commune}").content.decode()
        pairs = re.findall(
            r'<li class="d-flex justify-content-between"><span>[^<]+</span><a href="([^"]+)">(\d+)</a>', body
        )
        assert len(pairs) >= 3
        for url, n in pairs:
            listed = html.unescape(client.get(url.replace("&amp;", "&")).content.decode())
            assert sum(1 for name in names if f">{name}<" in listed) == int(n), url


@pytest.mark.parametrize("commune", ["", "iakla", "iadom"])
def test_supervision_figures_drill_down_to_that_many_rows(data, world, client_for, commune):
    from activities.models import Supervision

    topics = list(Supervision.objects.values_list("topic", flat=True))
    client = client_for(world.lanhdao)
    pk = getattr(world, commune).pk if commune else ""
    body = client.get(f"/dashboard/?year={YEAR}&commune={pk}").content.decode()
    for key in ("supervisions_held", "supervisions", "criticisms", "supervisions_open"):
        url, n = _figure_link(body, key)
        listed = html.unescape(client.get(url).content.decode())
        assert sum(1 for topic in topics if topic in listed) == n, (key, url)


def test_compliance_panel_pages_through_communes(data, world, client_for, monkeypatch):
    """A province's 200-odd communes come a page at a time; the count says it is the page's."""
    from reports import views

    def status(body):
        return re.search(r'<p role="status" class="fw-bold">([^<]+)</p>', body).group(1)

    monkeypatch.setattr(views, "COMPLIANCE_PAGE_SIZE", 1)
    client = client_for(world.lanhdao)
    first = html.unescape(client.get(f"/compliance/?year={YEAR}").content.decode())
    # Communes in name order: Ia Dom, then Ia Kla.
    assert f'id="commune-{world.iadom.pk}"' in first and f'id="commune-{world.iakla.pk}"' not in first
    assert f"?year={YEAR}&page=2" in first
    assert status(first).endswith("tiêu chí chưa đạt ở các xã trong trang này.")
    second = html.unescape(client.get(f"/compliance/?year={YEAR}&page=2").content.decode())
    assert f'id="commune-{world.iakla.pk}"' in second and f'id="commune-{world.iadom.pk}"' not in second
    # One page when it fits: the count is the whole panel's, the sum of the two pages'.
    monkeypatch.setattr(views, "COMPLIANCE_PAGE_SIZE", 20)
    whole = html.unescape(client.get(f"/compliance/?year={YEAR}").content.decode())
    assert "page=2" not in whole
    n_first, n_second, n_whole = (int(status(b).split()[0]) for b in (first, second, whole))
    assert status(whole) == f"{n_whole} tiêu chí chưa đạt."
    assert n_whole == n_first + n_second and n_second > 0


def test_commune_chart_figures_drill_down_to_that_many_rows(data, world, client_for):
    """Each commune's poor households, gap and initiatives in the dashboard's commune chart
    (its table view) link to a list of exactly that many rows of that commune."""
    from activities.models import Initiative

    names = [h.head_name for h in data.households] + list(Initiative.objects.values_list("name", flat=True))
    client = client_for(world.lanhdao)
    body = client.get(f"/dashboard/?year={YEAR}").content.decode()
    rows = dict(re.findall(r'<th scope="row">([^<]+)</th>((?:<td class="text-end">.*?</td>){3})', body))
    assert {world.iakla.name, world.iadom.name} <= set(rows)
    checked = 0
    for commune in (world.iakla, world.iadom):
        for url, n in re.findall(r'<a href="([^"]+)">(\d+)</a>', rows[commune.name]):
            url = html.unescape(url)
            assert f"commune={commune.pk}" in url
            listed = html.unescape(client.get(url).content.decode())
            assert sum(1 for name in names if f">{name}<" in listed) == int(n), url
            checked += int(n) > 0
    assert checked >= 4


def test_commune_chart_of_one_commune_shows_its_figures_as_the_whole_chart_does(data, world, client_for):
    def rows(query):
        body = client.get(f"/dashboard/?year={YEAR}{query}").content.decode()
        return dict(re.findall(r'<th scope="row">([^<]+)</th>((?:<td class="text-end">.*?</td>){3})', body))

    client = client_for(world.lanhdao)
    everything = rows("")
    for commune, other in ((world.iakla, world.iadom), (world.iadom, world.iakla)):
        one = rows(f"&commune={commune.pk}")
        assert one[commune.name] == everything[commune.name] and other.name not in one
        assert re.search(r">[1-9]\d*</a>", everything[commune.name])  # some figure is not 0


def test_compliance_organization_cells_link_to_that_organizations_lists(data, world, client_for):
    """A failing initiative or households cell of an organization links to the list of
    its commune (and kind) in the year."""
    from urllib.parse import parse_qs, urlsplit

    from organizations.models import Organization

    client = client_for(world.lanhdao)
    body = client.get(f"/compliance/?year={YEAR}").content.decode()
    fails = [
        html.unescape(u) for u in re.findall(r'<a class="badge text-bg-danger[^"]*" href="([^"]+)"', body)
    ]
    initiatives = [u for u in fails if u.startswith("/initiatives/?")]
    households = [u for u in fails if u.startswith("/households/?")]
    assert initiatives and households
    organizations = set(Organization.objects.values_list("unit_id", "kind"))
    for url in initiatives + households:
        query = parse_qs(urlsplit(url).query)
        assert query["year"] == [str(YEAR)]
        commune = int(query["commune"][0])
        if url in initiatives:
            assert (commune, query["organization_kind"][0]) in organizations
        else:
            assert commune in {world.iakla.pk, world.iadom.pk}
            assert query["status"] == ["poor"] and query["sponsor"] == ["none"]
        assert client.get(url).status_code == 200


def test_compliance_panel_of_one_commune_shows_that_commune(data, world, client_for):
    client = client_for(world.lanhdao)
    for shown, hidden in ((world.iakla, world.iadom), (world.iadom, world.iakla)):
        body = client.get(f"/compliance/?year={YEAR}&commune={shown.pk}").content.decode()
        assert f'id="commune-{shown.pk}"' in body and f'id="commune-{hidden.pk}"' not in body
        assert "page=2" not in body


def test_compliance_panel_of_a_commune_outside_the_program_shows_no_commune(data, world, client_for):
    other_district = Unit.objects.create(
        name="Huyện Chư Prông", level=UnitLevel.DISTRICT, official_code=632, parent=world.province
    )
    outside = Unit.objects.create(
        name="Xã Ia Drăng", level=UnitLevel.COMMUNE, official_code=23911, parent=other_district, kind="xã"
    )
    for unit in (other_district, outside):
        ensure_organizations(unit)
    province_front = world.add_member("mttq.tinh", world.province, OrgKind.FRONT, Role.VIEWER)
    client = client_for(province_front)

    body = client.get(f"/compliance/?year={YEAR}&commune={outside.pk}").content.decode()
    assert 'id="commune-' not in body
    body = client.get(f"/compliance/?year={YEAR}&commune={world.iadom.pk}").content.decode()
    assert f'id="commune-{world.iadom.pk}"' in body
