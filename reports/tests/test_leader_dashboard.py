"""The leader's dashboard: the headline indicators with their targets, rates, change since
last year and status, and charts of one measure each."""

import html
import json
import re

import pytest

from activities import selectors as activity_selectors
from activities.models import Initiative, Supervision
from organizations.models import OrgKind
from reports import headline, selectors
from reports.headline import Headline, Status, rate, status
from reports.selectors import Filters

from .conftest import YEAR


@pytest.mark.parametrize(
    "value, target, expected",
    [
        (9, 10, Status.ON_TRACK),
        (10, 10, Status.ON_TRACK),
        (12, 10, Status.ON_TRACK),
        (89, 100, Status.AT_RISK),
        (7, 10, Status.AT_RISK),
        (69, 100, Status.OFF_TRACK),
        (0, 10, Status.OFF_TRACK),
        (5, None, Status.NO_TARGET),
        (0, 0, Status.NO_DATA),
    ],
)
def test_status_on_track_from_90_percent_at_risk_from_70(value, target, expected):
    assert status(value, target) == expected


def test_status_thresholds_are_the_ones_the_docstring_states():
    assert (headline.ON_TRACK_FROM, headline.AT_RISK_FROM) == (0.9, 0.7)
    assert "90 %" in headline.status.__doc__ and "70 %" in headline.status.__doc__


def test_rate_is_rounded_down_so_100_percent_means_all():
    assert rate(199, 200) == 99
    assert rate(200, 200) == 100
    assert rate(1, 3) == 33
    assert rate(5, 0) is None and rate(5, None) is None


def test_headline_change_and_status_word():
    card = Headline(key="k", label="x", value=7, url="/", definition="/", target=10, before=9)
    assert card.rate == 70 and card.change == -2 and card.change_size == 2
    assert card.status == Status.AT_RISK and card.colour == "warning"
    assert str(card.status_label) == "Có nguy cơ chậm"
    assert Headline(key="k", label="x", value=7, url="/", definition="/").change is None


def _cards(body: str) -> dict[str, dict]:
    """The headline cards of the page: key → what a reader sees on it."""
    found = {}
    for key, status_, inner in re.findall(
        r'<article class="card[^"]*" data-headline="([^"]+)" data-status="([^"]+)">(.*?)</article>',
        body,
        re.S,
    ):
        ends = {"value": "a", "target": "p", "rate": "p", "change": "p", "status": "span"}
        text = {
            part: html.unescape(re.sub(r"<[^>]+>", "", m[1])).strip()
            for part, end in ends.items()
            if (m := re.search(rf"data-headline-{part}[^>]*>(.*?)</{end}>", inner, re.S))
        }
        links = re.findall(r'href="([^"]+)"', inner)
        found[key] = {"status": status_, "links": [html.unescape(u) for u in links], **text}
    return found


def test_headline_cards_show_value_target_rate_change_and_status(data, world, client_for):
    body = client_for(world.lanhdao).get(f"/dashboard/?year={YEAR}").content.decode()
    cards = _cards(body)
    # Ia Dom's three registrations on time of the six expected: half, off track.
    on_time = cards["registrations_on_time"]
    assert on_time["value"] == "3"
    assert on_time["target"].startswith("Chỉ tiêu: 6")
    assert on_time["rate"] == "Tỷ lệ: 50%"
    assert on_time["status"] == "Chậm tiến độ"
    # Nothing expected in 2018: no comparison rather than "up 3".
    assert on_time["change"] == "Chưa có số liệu năm trước"
    # The households in difficulty: 4 of 6 have a sponsor.
    gap = cards["gap_sponsored"]
    assert (gap["value"], gap["rate"]) == ("4", "Tỷ lệ: 66%")
    # The one item registered is achieved: on track.
    assert cards["items_achieved"]["status"] == "Đạt tiến độ"
    assert cards["items_achieved"]["rate"] == "Tỷ lệ: 100%"
    # A figure without a target says so in words.
    assert cards["escaped"]["status"] == "Không đặt chỉ tiêu"
    assert cards["escaped"]["target"] == "Chỉ tiêu: không đặt"
    for key, card in cards.items():
        assert card["status"], key
        assert card["change"], key


def test_headline_groups_follow_the_campaigns_contents(data, world, client_for):
    body = html.unescape(client_for(world.lanhdao).get(f"/dashboard/?year={YEAR}").content.decode())
    first, fifth = body.index("1. Đoàn kết phát triển kinh tế"), body.index("5. Đoàn kết phát huy dân chủ")
    across = body.index("Chung cho các nội dung")
    assert first < body.index('data-headline="gap_sponsored"') < fifth
    assert fifth < body.index('data-headline="supervisions_followed"') < across
    assert across < body.index('data-headline="registrations_on_time"')


def test_headline_cards_link_to_their_records_and_their_definition(data, world, client_for):
    client = client_for(world.lanhdao)
    body = client.get(f"/dashboard/?year={YEAR}").content.decode()
    catalogue = client.get("/indicators/").content.decode()
    cards = _cards(body)
    assert len(cards) == 8
    for key, card in cards.items():
        listed, definition = card["links"]
        assert client.get(listed).status_code == 200, (key, listed)
        path, anchor = definition.split("#")
        assert path == "/indicators/" and f'id="{anchor}"' in catalogue, key
    # The value leads to the rows it counts: the four households in difficulty with a sponsor.
    listed = html.unescape(client.get(cards["gap_sponsored"]["links"][0]).content.decode())
    names = [f"Hộ {area.name} {i}" for area in world.iadom_areas for i in (0, 1)]
    assert sum(f">{name}<" in listed for name in names) == 4
    assert "Hộ Ia Kla 0" not in listed


def test_headline_change_since_last_year(data, world, client_for):
    """A supervision held the year before: this year's count compared with it."""
    before = Supervision.objects.filter(held_on__year=YEAR).first()
    Supervision.objects.create(
        **{
            f.attname: getattr(before, f.attname)
            for f in Supervision._meta.concrete_fields
            if f.attname not in ("id", "held_on", "follow_up_status", "follow_up_due")
        },
        held_on=before.held_on.replace(year=YEAR - 1),
    )
    cards = _cards(client_for(world.lanhdao).get(f"/dashboard/?year={YEAR}").content.decode())
    # 2019: one of two held without pending follow-up; 2018: one of one.
    assert cards["supervisions_followed"]["value"] == "1"
    assert cards["supervisions_followed"]["change"] == "= không đổi so với 2018"


def test_models_rule_counts_as_the_rules_own_check(data, world):
    f = Filters(program=data.program, years=[YEAR])
    found = selectors.initiative_rule(world.lanhdao, f)
    for year in (YEAR, YEAR - 1):
        rows = activity_selectors.initiative_check(world.lanhdao, data.program, year)
        organizations = [o for row in rows for o in row["organizations"]]
        assert found[year] == (sum(1 for o in organizations if o.ok), len(organizations)), year
    # Ia Dom's member organizations each run one model, Ia Kla's women only.
    assert found[YEAR] == (6, 10)
    # One more of Ia Kla's started this year: one more this year, the same last year.
    Initiative.objects.create(
        organization=world.org(world.iakla, OrgKind.FARMERS),
        field=data.field,
        name="Mô hình mới",
        start_year=YEAR,
        status="running",
    )
    found = selectors.initiative_rule(world.lanhdao, f)
    assert found[YEAR] == (7, 10) and found[YEAR - 1] == (6, 10)
    # A commune chosen narrows it to its organizations.
    assert selectors.initiative_rule(world.lanhdao, Filters(data.program, [YEAR], world.iakla))[YEAR] == (
        2,
        5,
    )


def test_households_and_registrations_are_charted_apart_on_one_scale_each(data, world, client_for):
    body = client_for(world.lanhdao).get(f"/dashboard/?year={YEAR}").content.decode()
    charts = json.loads(
        re.search(r'id="dashboard-data" type="application/json">(.*?)</script>', body, re.S)[1]
    )
    assert "trend" not in charts
    assert [s["label"] for s in charts["registrations"]["series"]] == ["Bảng đăng ký đã nhận"]
    assert [s["label"] for s in charts["households"]["series"]] == [
        "Hộ nghèo",
        "Hộ cận nghèo",
        "Hộ thoát nghèo",
    ]
    assert all("axis" not in s for c in charts.values() for s in c["series"])
    assert charts["households"]["series"][0]["data"][YEAR - 2017] == 6


def test_dashboard_scripts_are_deferred(data, world, client_for):
    body = client_for(world.lanhdao).get(f"/dashboard/?year={YEAR}").content.decode()
    scripts = re.findall(r"<script src=[^>]*>", body)
    assert any("chart.umd" in s for s in scripts)
    assert scripts and all(" defer" in s for s in scripts), scripts
    home = client_for(world.lanhdao).get("/").content.decode()
    assert "chart.umd" not in home
    assert all(" defer" in s for s in re.findall(r"<script src=[^>]*>", home))


def test_a_commune_officer_sees_the_headline_of_the_commune(data, world, client_for):
    cards = _cards(client_for(world.mttq_iakla).get(f"/dashboard/?year={YEAR}").content.decode())
    # Ia Kla: two poor households, none sponsored; the Front's late registration.
    assert cards["gap_sponsored"]["value"] == "0" and cards["gap_sponsored"]["target"].startswith(
        "Chỉ tiêu: 2"
    )
    assert cards["gap_sponsored"]["status"] == "Chậm tiến độ"
    assert cards["registrations_on_time"]["value"] == "0"
    assert cards["communes_with_outstanding_area"]["target"].startswith("Chỉ tiêu: 1")


@pytest.mark.parametrize("commune", [None, "iakla"])
def test_chart_by_commune_counts_as_the_catalogue_does(data, world, commune):
    """The dashboard's chart by commune takes its communes from the rule 2 check and its
    models from the initiatives' breakdown: the same rows as the catalogue's own."""
    f = Filters(program=data.program, years=[YEAR], commune=getattr(world, commune) if commune else None)
    user = world.lanhdao
    rows = selectors.by_commune(
        user,
        f,
        communes=[row["commune"] for row in selectors.outstanding_rule(user, f)],
        initiatives=selectors.initiative_breakdowns(user, f)["by_commune"],
    )
    assert rows == selectors.by_commune(user, f)
    assert sum(row["initiatives"] for row in rows) > 0
