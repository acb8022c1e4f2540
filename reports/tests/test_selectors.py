"""Each figure against an independent count over the fixtures."""

from django.db.models import Q

from households.models import Household, HouseholdStatus, Sponsorship, Status
from organizations.models import OrgKind, Role
from registrations.models import Registration
from reports import selectors
from reports.labels import labels
from reports.selectors import Filters

from .conftest import YEAR


def _filters(data, **kw):
    return Filters(program=data.program, years=kw.pop("years", [YEAR]), **kw)


def _figures(pairs):
    return {key: value for key, value, _url in pairs}


def _values(user, f):
    return selectors.dashboard_values(user, f)


def test_registration_figures_match_an_independent_count(data, world):
    f = _filters(data)
    found = selectors.registration_figures(world.lanhdao, f, _values(world.lanhdao, f))
    figures = _figures(found["figures"])
    regs = Registration.objects.filter(period=data.period)
    assert figures["registrations_expected"] == regs.count() == 6
    assert (
        figures["registrations_on_time"]
        == regs.filter(submitted_at__isnull=False, is_late=False).count()
        == 3
    )
    assert figures["registrations_late"] == regs.filter(is_late=True).count() == 1
    assert figures["registrations_missing"] == regs.filter(submitted_at__isnull=True).count() == 2
    assert figures["registrations_accepted"] == regs.filter(status="accepted").count() == 3
    assert figures["results_confirmed"] == 2


def test_household_figures_match_an_independent_count(data, world):
    f = _filters(data)
    figures = _figures(selectors.household_figures(world.lanhdao, f, _values(world.lanhdao, f)))
    statuses = HouseholdStatus.objects.filter(year=YEAR)
    sponsored = Sponsorship.objects.filter(year=YEAR).values("household")
    assert figures["poor"] == statuses.filter(status=Status.POOR).count() == 6
    assert figures["near_poor"] == 1
    gap_households = statuses.filter(
        Q(status=Status.POOR) | Q(status=Status.NEAR_POOR, household__is_policy=True)
    ).values("household")
    assert figures["gap_households"] == gap_households.count() == 6
    assert figures["gap_sponsored"] == gap_households.filter(household__in=sponsored).count() == 4
    assert (
        figures["gap"]
        == Household.objects.filter(pk__in=gap_households).exclude(pk__in=sponsored).count()
        == 2
    )
    # The near-poor household (not a policy household) is watched beside the gap.
    assert figures["near_poor_unsponsored"] == 1
    assert figures["escaped"] == 1


def test_household_figures_of_a_commune_count_only_it(data, world):
    f = _filters(data, commune=world.iakla)
    figures = _figures(selectors.household_figures(world.lanhdao, f, _values(world.lanhdao, f)))
    assert figures["poor"] == 2
    assert figures["gap"] == 2


def test_initiative_breakdowns_count_initiatives_running_in_the_year(data, world):
    found = selectors.initiative_breakdowns(world.lanhdao, _filters(data))
    by_status = {label: n for label, n, _url in found["status"]}
    # Six running since 2018; the planned one does not run.
    assert sum(by_status.values()) == 6
    assert sum(n for _l, n, _u in found["kind"]) == 6
    assert {label: n for label, n, _u in found["field"]} == {"Thực phẩm an toàn": 6}
    assert (
        sum(
            n
            for _l, n, _u in selectors.initiative_breakdowns(world.lanhdao, _filters(data, years=[2017]))[
                "kind"
            ]
        )
        == 0
    )


def test_fund_figures_roll_the_balance_over(data, world):
    f = _filters(data)
    fund = selectors.fund_figures(world.lanhdao, f, _values(world.lanhdao, f))
    assert (fund["opening"], fund["receipts"], fund["spending"], fund["closing"]) == (
        6_000_000,
        7_000_000,
        5_000_000,
        8_000_000,
    )


def test_supervision_figures(data, world):
    f = _filters(data)
    figures = _figures(selectors.supervision_figures(world.lanhdao, f, _values(world.lanhdao, f)))
    assert figures == {"supervisions_held": 2, "supervisions": 1, "criticisms": 1, "supervisions_open": 1}


def test_compliance_green_only_when_true(data, world):
    rows = {r.commune.pk: r for r in selectors.compliance(world.lanhdao, data.program, YEAR)}
    iadom, iakla = rows[world.iadom.pk], rows[world.iakla.pk]
    assert [iadom.checks[k].ok for k in ("contents", "outstanding", "gap")] == [True, True, True]
    assert [iakla.checks[k].ok for k in ("contents", "outstanding", "gap")] == [False, False, False]
    assert iakla.checks["gap"].value == "2"
    orgs = {o.organization.kind: o.checks for o in iadom.organizations}
    assert orgs[OrgKind.WOMEN]["households"].ok is True
    assert orgs[OrgKind.WOMEN]["households"].value == "2/2"
    assert orgs[OrgKind.FARMERS]["results"].ok is False
    assert orgs[OrgKind.FARMERS]["households"].ok is False
    assert orgs[OrgKind.FRONT]["initiative"].ok is None
    assert orgs[OrgKind.LABOR]["registered"].ok is None
    assert orgs[OrgKind.LABOR]["initiative"].ok is True
    # The Labour Federation has no branch at residential areas: the 1–3 rule does not apply.
    assert orgs[OrgKind.LABOR]["households"].ok is None
    kla = {o.organization.kind: o.checks for o in iakla.organizations}
    assert kla[OrgKind.FRONT]["registered"].ok is False  # late
    assert kla[OrgKind.WOMEN]["registered"].ok is False  # never submitted
    assert kla[OrgKind.YOUTH]["initiative"].ok is False  # planned is not running
    assert kla[OrgKind.WOMEN]["initiative"].ok is True


def test_compliance_rules_come_from_the_program(data, world):
    data.program.min_outstanding_areas_per_commune = 2
    data.program.save()
    rows = {r.commune.pk: r for r in selectors.compliance(world.lanhdao, data.program, YEAR)}
    assert rows[world.iadom.pk].checks["outstanding"].ok is False


def test_report_tables_totals(data, world):
    tables = {
        t.key: t
        for t in selectors.report_tables(world.lanhdao, _filters(data, years=[2017, 2018, 2019]), labels())
    }
    assert tables["registrations"].totals[3:] == [6, 4, 1, 3, 2]
    # Household counts of 2019 (stocks are not added over years); escapes of 2018 and 2019.
    assert tables["poverty"].totals[2:] == [6, 1, 6, 4, 2, 1, 2, 0]
    assert tables["sponsorships"].totals[2:] == [4, 0]
    assert tables["support"].totals[2:] == [1, 60_000_000]
    assert tables["funding"].totals[2:] == [60_000_000]
    assert tables["initiatives"].totals[2:] == [6, 60, 24, 6_000_000]
    assert tables["examples"].totals[1:] == [1, 1, 1]
    fund = tables["fund"]
    # The district's ledger, then Ia Dom's (the house paid from its fund).
    assert [(r[0], r[1]) for r in fund.rows] == [
        (2018, world.district.name),
        (2019, world.district.name),
        (2019, world.iadom.name),
    ]
    assert fund.rows[1][2:] == [6_000_000, 7_000_000, 5_000_000, 8_000_000]
    assert fund.totals[3:5] == [57_000_000, 49_000_000]
    assert tables["supervision"].totals[3:] == [2, 1, 0]
    assert tables["results"].totals[2:] == [1, 1, 0, 0, 0]


def test_review_summary_adds_flows_and_keeps_stocks_over_the_years(data, world):
    years = selectors.review_years(data.program, 5)
    assert years == [2017, 2018, 2019, 2020, 2021]
    f = _filters(data, years=years)
    summary = selectors.review_summary(world.lanhdao, f, labels())
    rows = {code: row[1:] for code, row in zip(selectors.REVIEW_INDICATORS, summary.rows, strict=True)}
    # Year by year, the whole period, the change from the first year to the last.
    assert rows["poor"] == [0, 0, 6, 0, 0, 0, 0]  # a stock: the last year's count
    assert rows["fund_receipts"] == [0, 10_000_000, 7_000_000, 0, 0, 17_000_000, 0]  # a flow: summed
    three = selectors.review_summary(world.lanhdao, _filters(data, years=[2017, 2018, 2019]), labels())
    assert dict(zip(selectors.REVIEW_INDICATORS, three.rows, strict=True))["poor"][1:] == [0, 0, 6, 6, 6]


def test_a_commune_user_sees_only_its_commune(data, world):
    f = _filters(data)
    figures = _figures(selectors.household_figures(world.mttq_iakla, f, _values(world.mttq_iakla, f)))
    assert figures["poor"] == 2
    rows = selectors.compliance(world.mttq_iakla, data.program, YEAR)
    assert [r.commune for r in rows] == [world.iakla]
    tables = {t.key: t for t in selectors.report_tables(world.mttq_iakla, f, labels())}
    assert {r[1] for r in tables["registrations"].rows} == {world.iakla.name}


def test_poverty_table_matches_the_statuses_record_by_record(data, world):
    """The per-commune poverty rows come from the gap summary: the same communes and years,
    the same figures as counting the statuses one by one. A year with only a sponsorship
    and no status is not listed; a year whose statuses are all 'average' is, with zeros."""
    from collections import defaultdict

    from households import gaps

    only_average = Household.objects.filter(area__parent=world.iakla).first()
    HouseholdStatus.objects.create(household=only_average, year=YEAR + 2, status=Status.AVERAGE)
    sponsored_only = Household.objects.filter(area__parent=world.iadom).first()
    Sponsorship.objects.create(
        organization=world.org(world.iadom, OrgKind.WOMEN), household=sponsored_only, year=YEAR + 3
    )
    gaps.refresh(areas=[only_average.area_id, sponsored_only.area_id], years=[YEAR + 2, YEAR + 3])

    years = [YEAR - 1, YEAR, YEAR + 1, YEAR + 2, YEAR + 3]
    table = selectors.poverty_tables(world.lanhdao, _filters(data, years=years), labels())[0]
    sponsored = set(Sponsorship.objects.values_list("household_id", "year"))
    expected = defaultdict(lambda: [0] * 8)
    for s in HouseholdStatus.objects.filter(year__in=years).select_related("household__area__parent"):
        row = expected[(s.year, s.household.area.parent.name)]
        in_gap = s.status == Status.POOR or (s.status == Status.NEAR_POOR and s.household.is_policy)
        is_sponsored = (s.household_id, s.year) in sponsored
        row[0] += s.status == Status.POOR
        row[1] += s.status == Status.NEAR_POOR
        row[2] += in_gap
        row[3] += in_gap and is_sponsored
        row[4] += in_gap and not is_sponsored
        row[5] += s.status == Status.NEAR_POOR and not s.household.is_policy and not is_sponsored
        row[6] += s.status == Status.ESCAPED
        row[7] += s.status == Status.ESCAPED_NEAR
    assert {(r[0], r[1]): r[2:] for r in table.rows} == dict(expected)
    assert (YEAR + 2, world.iakla.name) in expected
    assert expected[(YEAR + 2, world.iakla.name)] == [0] * 8
    assert all(year != YEAR + 3 for year, _name in expected)


def test_a_province_report_has_a_row_per_district_with_the_same_totals(data, world):
    """The province's Front reads the district's figures added up under the district's name
    (its communes included); the totals are the district's own; a commune chosen shows it."""
    province = world.add_member("mttq.tinh", world.province, OrgKind.FRONT, Role.VIEWER)
    years = [2017, 2018, 2019]
    names = labels()
    district = {t.key: t for t in selectors.report_tables(world.lanhdao, _filters(data, years=years), names)}
    tables = {t.key: t for t in selectors.report_tables(province, _filters(data, years=years), names)}
    for key in ("registrations", "poverty", "fund"):
        assert {r[1] for r in tables[key].rows} == {world.district.name}, key
        assert tables[key].columns[1] == "Huyện"
        assert tables[key].note
        assert tables[key].totals == district[key].totals, key
    assert len(district["registrations"].rows) > len(tables["registrations"].rows)
    assert {r[1] for r in district["poverty"].rows} == {world.iadom.name, world.iakla.name}
    # The fund: the district's ledger and the communes' in one row a year, balances carried on.
    assert [r[0] for r in tables["fund"].rows] == [2018, 2019]
    assert tables["fund"].rows[-1][2:] == [6_000_000, 47_000_000, 45_000_000, 8_000_000]

    one = {
        t.key: t
        for t in selectors.report_tables(province, _filters(data, years=years, commune=world.iadom), names)
    }
    assert {r[1] for r in one["poverty"].rows} == {world.iadom.name}
    assert one["poverty"].columns[1] == "Xã, thị trấn" and not one["poverty"].note
