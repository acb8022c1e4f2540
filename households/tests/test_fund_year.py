"""The fund's yearly figures (households/fund.py) never drift from the ledgers.

After each kind of write a service does, the stored rows equal a recount done here entry by
entry; the fund report read from them gives each ledger's balances; a write that fails
leaves them as they were."""

import datetime
from collections import defaultdict

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction

from households import fund, services
from households.models import EntryKind, FundEntry, FundYear, Household
from reports import selectors as report_selectors
from reports.labels import labels


def independent_recount() -> dict:
    """(unit, year) → entries, receipts, spending, a reversing entry counted negative."""
    figures = defaultdict(lambda: {"entries": 0, "receipts": 0, "spending": 0})
    for e in FundEntry.objects.filter(confirmed=True):
        row = figures[(e.unit_id, e.date.year)]
        row["entries"] += 1
        sign = -1 if e.reverses_id else 1
        row["receipts" if e.kind == EntryKind.RECEIPT else "spending"] += sign * e.amount
    return {key: dict(row) for key, row in figures.items()}


def receipt(world, unit, date, amount, by=None):
    return services.record_fund_entry(
        unit=unit,
        kind=EntryKind.RECEIPT,
        date=date,
        amount=amount,
        donor="Nhân dân",
        by=by or world.mttq_iadom,
    )


def spending(world, unit, date, amount, household):
    return services.record_fund_entry(
        unit=unit, kind=EntryKind.SPENDING, date=date, amount=amount, household=household, purpose="Bò giống",
        by=world.mttq_iadom,
    )  # fmt: skip


@pytest.fixture
def ledgers(world):
    """Ia Dom's fund over two years and the district's over one."""
    h = Household.objects.create(area=world.iadom_areas[0], head_name="Rơ Mah Jin")
    first = receipt(world, world.iadom, datetime.date(2018, 10, 17), 10_000_000)
    spending(world, world.iadom, datetime.date(2018, 12, 1), 4_000_000, h)
    receipt(world, world.iadom, datetime.date(2019, 10, 17), 7_000_000)
    receipt(world, world.district, datetime.date(2019, 10, 17), 50_000_000, by=world.mttq_huyen)
    return first, h


def test_fund_years_follow_every_write(world, ledgers):
    first, h = ledgers
    assert fund.stored() == independent_recount()
    assert fund.stored()[(world.iadom.pk, 2018)] == {
        "entries": 2,
        "receipts": 10_000_000,
        "spending": 4_000_000,
    }

    # A reversal counts in the year of its own date, against the entry's kind (dated after
    # the 2019 receipt: before it, the fund would be short).
    services.reverse_fund_entry(
        entry=first, date=datetime.date(2019, 10, 18), reason="Nhập sai", by=world.mttq_iadom
    )
    assert fund.stored() == independent_recount()
    assert fund.stored()[(world.iadom.pk, 2019)]["receipts"] == 7_000_000 - 10_000_000


def test_fund_years_unchanged_when_a_write_fails(world, ledgers, monkeypatch):
    _, h = ledgers
    before = fund.stored()
    with pytest.raises(ValidationError):  # more than the fund holds
        spending(world, world.iadom, datetime.date(2019, 12, 1), 20_000_000, h)
    real_rows = fund._rows

    def rows_then_fail(*args, **kwargs):
        FundYear.objects.bulk_create(real_rows(*args, **kwargs))
        raise RuntimeError("disk full")

    monkeypatch.setattr(fund, "_rows", rows_then_fail)
    with pytest.raises(RuntimeError):
        receipt(world, world.iadom, datetime.date(2020, 1, 2), 1_000_000)
    monkeypatch.undo()
    assert fund.stored() == before == independent_recount()
    assert not FundEntry.objects.filter(date__year=2020).exists()


def test_fund_rebuild_command_repairs_drift(world, ledgers):
    FundEntry.objects.filter(kind=EntryKind.SPENDING).update(amount=1_000_000)  # bypassing the services
    with pytest.raises(SystemExit):
        call_command("rebuild_summaries", "--check")
    call_command("rebuild_summaries")
    assert fund.stored() == independent_recount()
    call_command("rebuild_summaries", "--check")


def test_fund_loaders_fill_the_summary(world):
    from devdata.demo import households as demo

    with transaction.atomic():
        demo.load({"district": world.district, "program": None})
    assert FundEntry.objects.exists()
    assert fund.stored() == independent_recount()


def test_fund_report_carries_each_ledgers_balance(world, ledgers):
    program = report_selectors.default_program(world.mttq_huyen)
    f = report_selectors.Filters(program=program, years=[2019])
    table = report_selectors.fund_table(world.mttq_huyen, f, labels())
    # place, opening, receipts, spending, closing: the district's ledger first, as the tree reads.
    assert [row[1:] for row in table.rows] == [
        [world.district.name, 0, 50_000_000, 0, 50_000_000],
        [world.iadom.name, 6_000_000, 7_000_000, 0, 13_000_000],
    ]
    # A commune's Front sees its own ledger only.
    table = report_selectors.fund_table(world.mttq_iadom, f, labels())
    assert [row[1] for row in table.rows] == [world.iadom.name]
