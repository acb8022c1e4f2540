"""The fund ledger adds up: its balance is never negative on any day, its entries fall in
the program's years, and support paid from the fund is the ledger's own spending, which
report (c) shows as "from the fund"."""

import datetime
from collections import defaultdict

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from households import services
from households.models import EntryKind, FundEntry, FundingSource, Support, SupportFunding
from households.selectors import fund_years
from households.tests.factories import household
from organizations.models import Unit, UnitLevel, User
from reports import selectors as report_selectors
from reports.labels import labels

FROM_FUND = "Quỹ “Vì người nghèo”"


def day(d, m, y=2017):
    return datetime.date(y, m, d)


def receipt(world, date, amount, unit=None, by=None):
    return services.record_fund_entry(
        unit=unit or world.iadom,
        kind=EntryKind.RECEIPT,
        date=date,
        amount=amount,
        donor="Nhân dân trong xã",
        by=by or world.mttq_iadom,
    )


def spending(world, date, amount, h, unit=None):
    return services.record_fund_entry(
        unit=unit or world.iadom,
        kind=EntryKind.SPENDING,
        date=date,
        amount=amount,
        household=h,
        purpose="Bò giống",
        by=world.mttq_iadom,
    )


def house(world, h, date, from_fund, by=None):
    """A 60 million great-unity house, ``from_fund`` of it paid from the fund."""
    return services.record_support(
        household=h,
        date=date,
        kind="house",
        value=60_000_000,
        fundings={"fund": from_fund, "organization": 10_000_000, "family": 50_000_000 - from_fund},
        note="Nhà Đại đoàn kết 36 m²",
        by=by or world.mttq_iadom,
    )


def refused(call, field):
    with pytest.raises(ValidationError) as exc:
        call()
    return exc.value.message_dict[field]


def report_c_fund(user, years, commune=None):
    """The "from the fund" row(s) of report (c) by funding source: {year: amount}."""
    f = report_selectors.Filters(program=report_selectors.default_program(user), years=years, commune=commune)
    *_, by_source = report_selectors.poverty_tables(user, f, labels())
    return {row[0]: row[2] for row in by_source.rows if row[1] == FROM_FUND}


def ledger_paid_supports(units, year) -> int:
    """What the ledgers of ``units`` spent on supports in ``year``, reversed entries left out."""
    return FundEntry.objects.filter(
        unit__in=units,
        kind=EntryKind.SPENDING,
        confirmed=True,
        support__isnull=False,
        reverses__isnull=True,
        reversed_by__isnull=True,
        date__year=year,
    ).aggregate(s=Sum("amount", default=0))["s"]


def daily_balances(unit) -> dict:
    """Day → the ledger's balance at the end of it, entry by entry."""
    change = defaultdict(int)
    for e in FundEntry.objects.filter(unit=unit, confirmed=True):
        change[e.date] += e.signed_amount
    balances, balance = {}, 0
    for date in sorted(change):
        balance += change[date]
        balances[date] = balance
    return balances


# ---------------------------------------------------------------- balance on every day


@pytest.fixture
def autumn(world):
    """Ia Dom's fund in 2017: 35 million in on 01/10, 15 million out on 05/12, 30 million in
    on 15/12; 50 million today."""
    h = household(world.iadom_areas[0])
    receipt(world, day(1, 10), 35_000_000)
    spending(world, day(5, 12), 15_000_000, h)
    receipt(world, day(15, 12), 30_000_000)
    return h


def test_fund_backdated_spending_that_overdraws_a_later_day_refused(world, autumn):
    # Today's balance (50 million) would pay it, but on 05/12/2017 the fund was 5 million short.
    assert services.fund_balance(world.iadom) == 50_000_000
    messages = refused(lambda: spending(world, day(1, 12), 25_000_000, autumn), "amount")
    assert messages == ["Ngày 05/12/2017 quỹ chỉ còn 20.000.000 đ; thiếu 5.000.000 đ."]
    assert FundEntry.objects.count() == 3
    assert all(y["closing"] >= 0 for y in fund_years(world.iadom))


def test_fund_backdated_spending_beyond_that_day_balance_refused(world, autumn):
    messages = refused(lambda: spending(world, day(20, 11), 36_000_000, autumn), "amount")
    assert messages == ["Ngày 20/11/2017 quỹ chỉ còn 35.000.000 đ; thiếu 1.000.000 đ."]


def test_fund_spending_before_any_receipt_refused(world, autumn):
    messages = refused(lambda: spending(world, day(30, 9), 1_000, autumn), "amount")
    assert messages == ["Ngày 30/09/2017 quỹ chỉ còn 0 đ; thiếu 1.000 đ."]


def test_fund_backdated_spending_keeping_every_day_covered_accepted(world, autumn):
    spending(world, day(1, 12), 20_000_000, autumn)
    balances = daily_balances(world.iadom)
    assert balances[day(5, 12)] == 0 and min(balances.values()) == 0
    assert services.fund_balance(world.iadom) == 30_000_000


def test_fund_reversal_of_a_receipt_that_overdraws_a_later_day_refused(world):
    h = household(world.iadom_areas[0])
    first = receipt(world, day(1, 10), 10_000_000)
    receipt(world, day(1, 11), 10_000_000)
    spending(world, day(5, 12), 15_000_000, h)
    receipt(world, day(10, 1, 2018), 20_000_000)
    # Reversed on 01/11/2017 the first receipt leaves 5 million short on 05/12/2017.
    messages = refused(
        lambda: services.reverse_fund_entry(entry=first, date=day(1, 11), reason="Sai", by=world.mttq_iadom),
        "date",
    )
    assert messages == ["Ngày 05/12/2017 quỹ chỉ còn 5.000.000 đ; thiếu 5.000.000 đ."]
    assert not FundEntry.objects.filter(reverses=first).exists()
    # Reversed after the 2018 receipt, every day stays covered.
    services.reverse_fund_entry(entry=first, date=day(10, 1, 2018), reason="Sai", by=world.mttq_iadom)
    assert min(daily_balances(world.iadom).values()) == 5_000_000
    assert services.fund_balance(world.iadom) == 15_000_000


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize("date", [day(1, 1, 2000), day(31, 12, 2016), day(1, 1, 2022)])
def test_fund_entry_outside_the_program_years_refused(world, program, date):
    messages = refused(lambda: receipt(world, date, 1_000_000), "date")
    assert "2017–2021" in messages[0]
    assert not FundEntry.objects.exists()


@pytest.mark.parametrize("date", [timezone.localdate() + datetime.timedelta(days=1), day(1, 1, 2099)])
def test_fund_entry_in_the_future_refused(world, date):
    messages = refused(lambda: receipt(world, date, 1_000_000), "date")
    assert messages == [f"Ngày không được sau hôm nay ({timezone.localdate():%d/%m/%Y})."]


def test_fund_entry_without_a_program_starts_in_2016(world):
    messages = refused(lambda: receipt(world, day(31, 12, 2015), 1_000_000), "date")
    assert "01/01/2016" in messages[0]
    receipt(world, day(1, 1, 2016), 1_000_000)
    assert services.fund_balance(world.iadom) == 1_000_000


def test_fund_reversal_dated_before_its_entry_or_in_the_future_refused(world, program):
    entry = receipt(world, day(17, 10), 1_000_000)

    def reverse(date):
        return services.reverse_fund_entry(entry=entry, date=date, reason="Sai", by=world.mttq_iadom)

    assert "17/10/2017" in refused(lambda: reverse(day(16, 10)), "date")[0]
    refused(lambda: reverse(timezone.localdate() + datetime.timedelta(days=1)), "date")
    refused(lambda: reverse(day(2, 1, 2022)), "date")
    assert reverse(day(17, 10)).reverses == entry


# ---------------------------------------------------------------- support paid from the fund


def test_support_from_the_fund_is_a_spending_of_the_commune_ledger(world):
    h = household(world.iadom_areas[0])
    receipt(world, day(17, 10), 50_000_000)
    support = house(world, h, day(20, 12), 40_000_000)
    entry = FundEntry.objects.get(support=support)
    assert (entry.unit, entry.kind, entry.date, entry.amount, entry.household) == (
        world.iadom,
        EntryKind.SPENDING,
        day(20, 12),
        40_000_000,
        h,
    )
    assert entry.purpose == "Nhà Đại đoàn kết 36 m²"
    assert services.fund_balance(world.iadom) == 10_000_000
    assert fund_years(world.iadom)[-1]["spending"] == 40_000_000


def test_support_from_the_fund_refused_when_the_fund_cannot_pay(world):
    h = household(world.iadom_areas[0])
    receipt(world, day(17, 10), 30_000_000)
    messages = refused(lambda: house(world, h, day(20, 12), 40_000_000), "source_fund")
    assert messages == ["Ngày 20/12/2017 quỹ chỉ còn 30.000.000 đ; thiếu 10.000.000 đ."]
    # Nor back-dated before the money came in.
    refused(lambda: house(world, h, day(16, 10), 20_000_000), "source_fund")
    assert not Support.objects.exists() and FundEntry.objects.count() == 1


def test_support_from_the_fund_refused_outside_the_program_years(world, program):
    h = household(world.iadom_areas[0])
    receipt(world, day(17, 10), 50_000_000)
    assert "2017–2021" in refused(lambda: house(world, h, day(20, 12, 2016), 40_000_000), "source_fund")[0]
    assert not Support.objects.exists()


def test_support_from_the_fund_refused_to_an_organization_officer(world):
    """The Women's Union records its own support, but only the Front spends the fund."""
    h = household(world.iadom_areas[0])
    receipt(world, day(17, 10), 50_000_000)
    refused(lambda: house(world, h, day(20, 12), 40_000_000, by=world.phunu_iadom), "source_fund")
    assert not Support.objects.exists()


def test_report_c_fund_row_follows_the_ledger_through_a_reversal(world):
    h = household(world.iadom_areas[0])
    receipt(world, day(17, 10), 50_000_000)
    support = house(world, h, day(20, 12), 40_000_000)
    for user in (world.mttq_iadom, world.mttq_huyen):
        assert (
            report_c_fund(user, [2017])
            == {2017: 40_000_000}
            == {2017: ledger_paid_supports([world.iadom], 2017)}
        )
    # The entry reversed, the fund paid nothing for the support: report (c) says the same.
    services.reverse_fund_entry(
        entry=FundEntry.objects.get(support=support),
        date=day(28, 12),
        reason="Nhà chưa xây",
        by=world.mttq_iadom,
    )
    assert ledger_paid_supports([world.iadom], 2017) == 0
    assert report_c_fund(world.mttq_iadom, [2017]) == {}
    assert services.fund_balance(world.iadom) == 50_000_000


# ---------------------------------------------------------------- the demo


def test_demo_report_c_fund_row_equals_the_ia_dom_ledger(demo):
    iadom = Unit.objects.get(level=UnitLevel.COMMUNE, official_code=23872)
    officer = User.objects.get(username="mttq.iadom")
    spent = {y["year"]: y["spending"] for y in fund_years(iadom)}
    # Everything Ia Dom's fund spent in 2017 went to supports, and report (c) shows it all.
    assert (
        report_c_fund(officer, [2017]) == {2017: ledger_paid_supports([iadom], 2017)} == {2017: spent[2017]}
    )
    # The district's report, for each commune and for the whole district, alike.
    leader = User.objects.get(username="mttq.huyen")
    assert report_c_fund(leader, [2017], commune=iadom) == {2017: spent[2017]}
    communes = Unit.objects.filter(level=UnitLevel.COMMUNE, parent__official_code=iadom.parent.official_code)
    assert report_c_fund(leader, [2017]) == {2017: ledger_paid_supports(communes, 2017)}


def test_demo_backdated_spending_on_ia_dom_fund_refused(demo):
    """The spending of 25 million dated 01/12/2017 that once left 2017 closing at −5 million."""
    iadom = Unit.objects.get(level=UnitLevel.COMMUNE, official_code=23872)
    h = iadom.children.first().households.first()
    before = fund_years(iadom)
    with pytest.raises(ValidationError) as exc:
        services.record_fund_entry(
            unit=iadom,
            kind=EntryKind.SPENDING,
            date=day(1, 12),
            amount=25_000_000,
            household=h,
            purpose="Hỗ trợ",
            by=User.objects.get(username="mttq.iadom"),
        )
    assert exc.value.message_dict["amount"] == [
        "Ngày 05/12/2017 quỹ chỉ còn 20.000.000 đ; thiếu 5.000.000 đ."
    ]
    assert fund_years(iadom) == before


def test_demo_every_support_from_the_fund_has_its_ledger_entry(demo):
    from_fund = SupportFunding.objects.filter(source=FundingSource.FUND).select_related(
        "support__household__area"
    )
    entries = {e.support_id: e for e in FundEntry.objects.filter(support__isnull=False)}
    assert from_fund and len(entries) == len(from_fund)
    for funding in from_fund:
        entry = entries[funding.support_id]
        assert entry.amount == funding.amount and entry.date == funding.support.date
        assert entry.unit_id == funding.support.household.area.parent_id


def test_demo_no_ledger_day_has_a_negative_balance(demo):
    ledgers = Unit.objects.filter(level__in=[UnitLevel.DISTRICT, UnitLevel.COMMUNE])
    for unit in ledgers:
        assert all(balance >= 0 for balance in daily_balances(unit).values()), unit.name
        assert all(year["closing"] >= 0 for year in fund_years(unit)), unit.name


def test_support_form_shows_the_fund_shortfall_on_its_field(world, client_for):
    h = household(world.iadom_areas[0])
    receipt(world, day(17, 10), 30_000_000)
    client = client_for(world.mttq_iadom)
    data = {"date": "20/12/2017", "kind": "house", "value": 60000000}
    response = client.post(
        reverse("households:support", args=[h.pk]),
        {**data, "source_fund": 40000000, "source_family": 20000000},
    )
    assert response.status_code == 200 and not Support.objects.exists()
    assert response.context["form"].errors["source_fund"] == [
        "Ngày 20/12/2017 quỹ chỉ còn 30.000.000 đ; thiếu 10.000.000 đ."
    ]
    response = client.post(
        reverse("households:support", args=[h.pk]),
        {**data, "source_fund": 30000000, "source_family": 30000000},
    )
    assert response.status_code == 302
    entry = FundEntry.objects.get(support__household=h)
    page = client.get(reverse("households:fund_reverse", args=[entry.pk])).content.decode()
    assert 'id="reverse-support"' in page
