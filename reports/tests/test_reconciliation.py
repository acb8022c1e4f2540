"""Every figure shown in two places shows the same number, equal to an independent count.

On the demo data, for the demo roles' scopes (the district as its leader and as its Front,
Ia Dom as its Front, the district's leader choosing Ia Dom) and two years: each indicator is
counted here from the records with plain queries and a loop, and compared with what the
dashboard, the report (c) page and its Excel file, the compliance panel, the gap list, the
home page and the review show. Then the invariants: the communes add up to the district,
the gap's households split into sponsored and unsponsored, a stock is not added over years.
"""

import html
import io
import re

import pytest
from openpyxl import load_workbook

from activities.models import Initiative, InitiativeStatus, Supervision
from households.models import EntryKind, FundEntry, Household, HouseholdStatus, Sponsorship, Status
from organizations.models import Unit, User
from programs.models import Program
from registrations import selectors as registration_selectors
from registrations.models import Registration
from reports import indicators, selectors
from reports.labels import labels
from reports.selectors import Filters

YEARS = [2017, 2021]
# (user, commune chosen in the filters)
SCOPES = [("lanhdao", None), ("mttq.huyen", None), ("mttq.iadom", None), ("lanhdao", "Xã Ia Dom")]
HOUSEHOLD_CODES = [
    "poor",
    "near_poor",
    "gap_households",
    "gap_sponsored",
    "gap",
    "near_poor_unsponsored",
    "escaped",
]


def count_households(unit: Unit, year: int) -> dict[str, int]:
    """Rule 3's figures of the unit's subtree in the year, household by household."""
    households = {h.pk: h for h in Household.objects.filter(area__path__startswith=unit.path)}
    statuses = dict(
        HouseholdStatus.objects.filter(year=year, household__in=households).values_list("household", "status")
    )
    sponsored = set(
        Sponsorship.objects.filter(year=year, household__in=households).values_list("household", flat=True)
    )
    found = dict.fromkeys(HOUSEHOLD_CODES, 0)
    for pk, status in statuses.items():
        in_gap = status == Status.POOR or (status == Status.NEAR_POOR and households[pk].is_policy)
        found["poor"] += status == Status.POOR
        found["near_poor"] += status == Status.NEAR_POOR
        found["gap_households"] += in_gap
        found["gap_sponsored"] += in_gap and pk in sponsored
        found["gap"] += in_gap and pk not in sponsored
        found["near_poor_unsponsored"] += (
            status == Status.NEAR_POOR and not households[pk].is_policy and pk not in sponsored
        )
        found["escaped"] += status == Status.ESCAPED
    return found


def count_registrations(program: Program, unit: Unit, year: int) -> dict[str, int]:
    found = dict.fromkeys(
        ["registrations_expected", "registrations_on_time", "registrations_late", "registrations_missing",
         "registrations_accepted", "results_confirmed"], 0)  # fmt: skip
    for r in Registration.objects.filter(
        period__program=program, period__year=year, organization__unit__path__startswith=unit.path
    ):
        found["registrations_expected"] += 1
        found["registrations_on_time"] += r.submitted_at is not None and not r.is_late
        found["registrations_late"] += r.is_late
        found["registrations_missing"] += r.submitted_at is None
        found["registrations_accepted"] += r.status == "accepted"
        found["results_confirmed"] += r.results_status == "confirmed"
    return found


def count_fund(unit: Unit, year: int) -> dict[str, int]:
    """The unit's own ledger: reversals count against the entry they reverse."""
    found = {"receipts": 0, "spending": 0, "balance": 0}
    for e in FundEntry.objects.filter(unit=unit, confirmed=True, date__year__lte=year):
        sign = -1 if e.reverses_id else 1
        if e.date.year == year:
            found["receipts" if e.kind == EntryKind.RECEIPT else "spending"] += sign * e.amount
        found["balance"] += sign * e.amount * (1 if e.kind == EntryKind.RECEIPT else -1)
    return found


def count_running(unit: Unit, year: int) -> int:
    running = 0
    for i in Initiative.objects.filter(organization__unit__path__startswith=unit.path):
        active = i.status in (InitiativeStatus.RUNNING, InitiativeStatus.RECOGNIZED) or (
            i.status == InitiativeStatus.STOPPED and i.stopped_on and i.stopped_on.year >= year
        )
        running += i.start_year <= year and active
    return running


def _dashboard(client, year, commune):
    query = f"year={year}" + (f"&commune={commune.pk}" if commune else "")
    body = client.get(f"/dashboard/?{query}").content.decode()
    shown = {}
    for key, value in re.findall(r'data-figure="(\w+)">([\d.\-−]+(?:&nbsp;| )?đ?)</a>', body):
        shown[key] = int(re.sub(r"[^\d\-]", "", value.replace("−", "-")))
    return shown


@pytest.fixture
def program(demo):
    return Program.objects.get(number="01/CTPH-MTTQ-TCCTXH")


@pytest.mark.parametrize("username, commune_name", SCOPES, ids=[f"{u}-{c or 'scope'}" for u, c in SCOPES])
def test_every_place_shows_the_independent_count(demo, program, client_for, username, commune_name):
    user = User.objects.get(username=username)
    commune = Unit.objects.get(name=commune_name) if commune_name else None
    unit = commune or user.memberships.get().organization.unit
    client = client_for(user)
    for year in YEARS:
        f = Filters(program=program, years=[year], commune=commune)
        households = count_households(unit, year)
        registrations = count_registrations(program, unit, year)
        fund = count_fund(unit, year)

        shown = _dashboard(client, year, commune)
        for code, expected in {**households, **registrations}.items():
            assert shown[code] == expected, (year, code)
        assert (shown["receipts"], shown["spending"], shown["balance"]) == (
            fund["receipts"], fund["spending"], fund["balance"],
        ), year  # fmt: skip

        # Report (c): its totals row for one year, on the page's tables and in the Excel file.
        poverty = {t.key: t for t in selectors.report_tables(user, f, labels())}["poverty"]
        codes = [
            "poor",
            "near_poor",
            "gap_households",
            "gap_sponsored",
            "gap",
            "near_poor_unsponsored",
            "escaped",
        ]
        assert poverty.totals[2:9] == [households[c] for c in codes], year
        query = f"year_from={year}&year={year}" + (f"&commune={commune.pk}" if commune else "")
        workbook = load_workbook(io.BytesIO(client.get(f"/reports/export.xlsx?{query}").content))
        sheet = workbook.worksheets[2]
        last = [[c.value for c in row] for row in sheet.iter_rows() if row[0].value == "Tổng cộng"][-1]
        assert last[2:9] == poverty.totals[2:9], year

        # The compliance panel's gap cells add up to the gap; the gap list is as long.
        rows = selectors.compliance(
            user, program, year, communes=[commune] if commune else None, with_owner=commune is None
        )
        assert (
            sum(int(r.checks["gap"].value) for r in rows if r.checks["gap"].ok is not None)
            == households["gap"]
        )
        # Its registration checks cover every expected registration, the program unit's too.
        registered = [o.checks["registered"] for r in rows for o in r.organizations]
        assert sum(c.ok is not None for c in registered) == registrations["registrations_expected"], year
        assert sum(c.ok is True for c in registered) == registrations["registrations_on_time"], year
        query = f"year={year}" + (f"&commune={commune.pk}" if commune else "")
        page = html.unescape(client.get(f"/households/gaps/?{query}").content.decode())
        listed = re.search(r'id="gap-count" class="fw-bold">([\d.]+)', page).group(1)
        assert int(listed.replace(".", "")) == households["gap"], year

        # The tracking view counts the year's registrations as the catalogue does.
        period = selectors.period_for(user, program, year)
        tracked = registration_selectors.tracking_summary(
            registration_selectors.tracking_registrations(
                period, user, {"commune": commune.pk if commune else None}
            )
        )
        assert (tracked.expected, tracked.on_time, tracked.late, tracked.accepted, tracked.results_confirmed) == (
            registrations["registrations_expected"], registrations["registrations_on_time"],
            registrations["registrations_late"], registrations["registrations_accepted"],
            registrations["results_confirmed"],
        ), year  # fmt: skip

        # The catalogue itself, and the running models of the dashboard's breakdown.
        values = indicators.values(indicators.Where.of(user, f), [year])
        assert {c: values[c][year] for c in households} == households
        assert values["initiatives_running"][year] == count_running(unit, year)
        assert sum(n for _l, n, _u in selectors.initiative_breakdowns(user, f)["kind"]) == count_running(
            unit, year
        )
        held = Supervision.objects.filter(
            held_on__year=year, lead_organization__unit__path__startswith=unit.path
        )
        assert values["supervisions_held"][year] == held.count()

    if commune is None:
        # The home page's gap: the latest reviewed year's.
        body = client.get("/").content.decode()
        home = int(re.search(r'id="home-gap-count">([\d.]+)<', body).group(1).replace(".", ""))
        assert home == count_households(unit, 2021)["gap"]


def test_communes_add_up_to_the_district(demo, program):
    leader = User.objects.get(username="lanhdao")
    for year in YEARS:
        f = Filters(program=program, years=[year])
        district = indicators.values(indicators.Where.of(leader, f), [year])
        rows = selectors.by_commune(leader, f)
        # The dashboard's table: the households' rows by commune of its figures, which its
        # totals and trends add up.
        figures = selectors.dashboard_figures(leader, f)
        assert selectors.by_commune(leader, f, figures) == rows
        assert selectors.dashboard_values(leader, f, figures)["gap"] == district["gap"][year]
        for code in ("poor", "gap"):
            assert sum(r[code] for r in rows) == district[code][year], (year, code)
        assert sum(r["initiatives"] for r in rows) == district["initiatives_running"][year]
        assert district["gap"][year] + district["gap_sponsored"][year] == district["gap_households"][year]


def test_stocks_are_not_added_over_years(demo, program):
    leader = User.objects.get(username="lanhdao")
    years = list(program.years)
    f = Filters(program=program, years=years)
    by_year = indicators.values(indicators.Where.of(leader, f), years)
    summary = dict(
        zip(selectors.REVIEW_INDICATORS, selectors.review_summary(leader, f, labels()).rows, strict=True)
    )
    for code, row in summary.items():
        yearly, period = row[1 : 1 + len(years)], row[1 + len(years)]
        assert yearly == [by_year[code][y] for y in years], code
        if indicators.INDICATORS[code].adds == indicators.Adds.FLOW:
            assert period == sum(yearly), code
        else:
            assert period == yearly[-1], code
    # The report's totals row over the five years: the households of the last year.
    poverty = {t.key: t for t in selectors.report_tables(leader, f, labels())}["poverty"]
    assert poverty.totals[2] == by_year["poor"][years[-1]]
    assert poverty.totals[8] == sum(by_year["escaped"][y] for y in years)
