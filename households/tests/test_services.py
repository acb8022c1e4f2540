import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from households import services
from households.models import EntryKind, FundEntry, Gender, Household, Status
from households.tests.factories import household
from organizations.models import OrgKind
from programs.models import Campaign, Program

TODAY = datetime.date(2017, 10, 17)


@pytest.fixture
def program(world):
    campaign = Campaign.objects.create(name="Toàn dân đoàn kết")
    return Program.objects.create(
        campaign=campaign, owner_unit=world.district, title="CTPH", start_year=2017, end_year=2021
    )


def test_create_household_normalizes_and_flags_duplicate(world):
    area = world.iadom_areas[0]
    h = services.create_household(
        area=area,
        head_name="  Rơ Mah   Jin ",
        birth_year=1989,
        gender=Gender.MALE,
        members=4,
        by=world.mttq_iadom,
    )
    assert h.head_name == "Rơ Mah Jin"
    assert h.name_normalized == "ro mah jin"
    with pytest.raises(ValidationError) as exc:
        services.create_household(
            area=area, head_name="RO MAH JIN", birth_year=1989, members=2, by=world.mttq_iadom
        )
    assert exc.value.error_dict["head_name"][0].code == "duplicate"
    services.create_household(
        area=area,
        head_name="Rơ Mah Jin",
        birth_year=1989,
        members=2,
        allow_duplicate=True,
        by=world.mttq_iadom,
    )
    assert Household.objects.count() == 2


def test_create_household_outside_scope_is_404_and_viewer_403(world):
    with pytest.raises(Http404):
        services.create_household(area=world.iakla_areas[0], head_name="A", members=1, by=world.mttq_iadom)
    with pytest.raises(PermissionDenied):
        services.create_household(area=world.iadom_areas[0], head_name="A", members=1, by=world.lanhdao)


def test_update_household_optimistic_concurrency(world):
    h = household(world.iadom_areas[0])
    services.update_household(household=h, version=1, head_name="Rơ Mah Jin", members=5, by=world.mttq_iadom)
    h.refresh_from_db()
    assert h.version == 2 and h.members == 5
    with pytest.raises(ValidationError):
        services.update_household(
            household=h, version=1, head_name="Rơ Mah Jin", members=6, by=world.mttq_iadom
        )


def test_update_household_national_id_checked(world):
    h = household(world.iadom_areas[0])
    with pytest.raises(ValidationError):
        services.update_household(
            household=h, version=1, head_name="X", national_id="12ab", by=world.mttq_iadom
        )


def test_set_status_records_standard_and_replaces(world):
    h = household(world.iadom_areas[0], status=None)
    record = services.set_status(household=h, year=2017, status=Status.POOR, by=world.mttq_iadom)
    assert record.standard.code == "QĐ 59/2015/QĐ-TTg"
    services.set_status(household=h, year=2017, status=Status.ESCAPED, by=world.mttq_iadom)
    assert h.statuses.get().status == Status.ESCAPED
    # Poor under NĐ 07/2021 needs 3 deprivations of its indicators (households/standards.py).
    deprivations = ["Việc làm", "Dinh dưỡng", "Bảo hiểm y tế"]
    assert services.set_status(
        household=h, year=2023, status=Status.POOR, deprivations=deprivations, by=world.mttq_iadom
    ).standard.code == ("NĐ 07/2021/NĐ-CP")


def test_sponsor_rule_max_from_program(world, program):
    area = world.iadom_areas[0]
    branch = world.org(area, OrgKind.WOMEN)
    hs = [household(area, name=f"Hộ {i}") for i in range(5)]
    for h in hs[:3]:
        services.sponsor(household=h, organization=branch, year=2017, by=world.mttq_iadom)
    with pytest.raises(ValidationError) as exc:
        services.sponsor(household=hs[3], organization=branch, year=2017, by=world.mttq_iadom)
    assert "3" in str(exc.value)
    program.max_households_per_branch = 4
    program.save()
    services.sponsor(household=hs[3], organization=branch, year=2017, by=world.mttq_iadom)
    # Another year has its own count.
    services.sponsor(household=hs[4], organization=branch, year=2018, by=world.mttq_iadom)


def test_sponsor_rule_counts_per_area_for_commune_organization(world, program):
    program.max_households_per_branch = 1
    program.save()
    commune_org = world.org(world.iadom, OrgKind.FARMERS)
    a = household(world.iadom_areas[0], name="A")
    b = household(world.iadom_areas[1], name="B")
    c = household(world.iadom_areas[1], name="C")
    services.sponsor(household=a, organization=commune_org, year=2017, by=world.mttq_iadom)
    services.sponsor(household=b, organization=commune_org, year=2017, by=world.mttq_iadom)
    with pytest.raises(ValidationError):
        services.sponsor(household=c, organization=commune_org, year=2017, by=world.mttq_iadom)


def test_sponsor_double_needs_note(world, program):
    area = world.iadom_areas[0]
    h = household(area)
    services.sponsor(household=h, organization=world.org(area, OrgKind.WOMEN), year=2017, by=world.mttq_iadom)
    with pytest.raises(ValidationError) as exc:
        services.sponsor(
            household=h, organization=world.org(area, OrgKind.FARMERS), year=2017, by=world.mttq_iadom
        )
    assert "note" in exc.value.error_dict
    s = services.sponsor(
        household=h,
        organization=world.org(area, OrgKind.FARMERS),
        year=2017,
        note="Hội Nông dân hỗ trợ giống",
        by=world.mttq_iadom,
    )
    assert s.note


def test_sponsor_only_own_kind_and_own_area(world, program):
    area = world.iadom_areas[0]
    h = household(area)
    # The Women's Union does not even see the Farmers' Union branch.
    with pytest.raises(Http404):
        services.sponsor(
            household=h, organization=world.org(area, OrgKind.FARMERS), year=2017, by=world.phunu_iadom
        )
    with pytest.raises(PermissionDenied):
        services.sponsor(
            household=h, organization=world.org(area, OrgKind.WOMEN), year=2017, by=world.lanhdao
        )
    services.sponsor(
        household=h, organization=world.org(area, OrgKind.WOMEN), year=2017, by=world.phunu_iadom
    )
    with pytest.raises(ValidationError):
        services.sponsor(
            household=h,
            organization=world.org(world.iadom_areas[1], OrgKind.YOUTH),
            year=2017,
            by=world.mttq_iadom,
        )


def test_record_support_fundings_must_add_up(world):
    h = household(world.iadom_areas[0])
    _receipt(world, 40_000_000)
    support = services.record_support(
        household=h,
        date=TODAY,
        kind="house",
        value=60_000_000,
        fundings={"fund": 40_000_000, "organization": 10_000_000, "family": 10_000_000},
        by=world.mttq_iadom,
    )
    assert support.fundings.count() == 3
    with pytest.raises(ValidationError):
        services.record_support(
            household=h, date=TODAY, kind="cash", value=1_000_000, fundings={"fund": 5}, by=world.mttq_iadom
        )


def _receipt(world, amount, unit=None, by=None):
    return services.record_fund_entry(
        unit=unit or world.iadom,
        kind=EntryKind.RECEIPT,
        date=TODAY,
        amount=amount,
        donor="Công ty TNHH Đức Cơ",
        donor_type="enterprise",
        by=by or world.mttq_iadom,
    )


def test_fund_spending_beyond_balance_refused(world):
    h = household(world.iadom_areas[0])
    _receipt(world, 5_000_000)
    services.record_fund_entry(
        unit=world.iadom,
        kind=EntryKind.SPENDING,
        date=TODAY,
        amount=3_000_000,
        household=h,
        purpose="Bò giống",
        by=world.mttq_iadom,
    )
    with pytest.raises(ValidationError) as exc:
        services.record_fund_entry(
            unit=world.iadom,
            kind=EntryKind.SPENDING,
            date=TODAY,
            amount=2_000_001,
            household=h,
            purpose="Gạo",
            by=world.mttq_iadom,
        )
    assert "2.000.000" in str(exc.value)
    assert services.fund_balance(world.iadom) == 2_000_000


def test_fund_reversal_keeps_both_and_restores_balance(world):
    entry = _receipt(world, 1_000_000)
    reversal = services.reverse_fund_entry(entry=entry, date=TODAY, reason="Nhập sai số", by=world.mttq_iadom)
    assert reversal.reverses == entry
    assert FundEntry.objects.count() == 2
    assert services.fund_balance(world.iadom) == 0
    with pytest.raises(ValidationError):
        services.reverse_fund_entry(entry=entry, date=TODAY, reason="lại", by=world.mttq_iadom)
    with pytest.raises(ValidationError):
        services.reverse_fund_entry(entry=reversal, date=TODAY, reason="lại", by=world.mttq_iadom)


def test_fund_reversal_of_receipt_cannot_overdraw(world):
    h = household(world.iadom_areas[0])
    entry = _receipt(world, 1_000_000)
    services.record_fund_entry(
        unit=world.iadom,
        kind=EntryKind.SPENDING,
        date=TODAY,
        amount=1_000_000,
        household=h,
        purpose="Gạo",
        by=world.mttq_iadom,
    )
    with pytest.raises(ValidationError):
        services.reverse_fund_entry(entry=entry, date=TODAY, reason="sai", by=world.mttq_iadom)


def test_fund_access_only_front(world):
    with pytest.raises(PermissionDenied):
        _receipt(world, 1, by=world.phunu_iadom)
    with pytest.raises(Http404):
        _receipt(world, 1, unit=world.iakla)
    with pytest.raises(PermissionDenied):
        _receipt(world, 1, unit=world.district, by=world.lanhdao)
    with pytest.raises(ValidationError):
        _receipt(world, 0)


def test_household_changes_are_audited_with_masked_id(world):
    from auditlog.models import LogEntry

    h = services.create_household(
        area=world.iadom_areas[0],
        head_name="Nay Blơi",
        national_id="123456789012",
        members=3,
        by=world.mttq_iadom,
    )
    services.update_household(household=h, version=1, head_name="Nay Blơi", members=4, by=world.mttq_iadom)
    entries = LogEntry.objects.get_for_object(h)
    assert entries.count() == 2
    assert "members" in entries.first().changes_dict or "members" in entries.last().changes_dict
    assert "123456789012" not in str(list(entries.values_list("changes", flat=True)))


def test_fund_reversal_based_on_an_older_version_is_refused(world):
    """Two officers open the same entry's reversal form; the second save is refused and
    names who changed it, and nothing is written."""
    entry = _receipt(world, 1_000_000)
    seen = entry.version
    services.reverse_fund_entry(entry=entry, date=TODAY, reason="Nhập sai", version=seen, by=world.mttq_iadom)
    entry.refresh_from_db()
    assert entry.version == seen + 1 and entry.updated_by == world.mttq_iadom
    with pytest.raises(ValidationError) as refused:
        services.reverse_fund_entry(entry=entry, date=TODAY, reason="Lại", version=seen, by=world.mttq_huyen)
    assert refused.value.code == "stale"
    assert "mttq.iadom" in refused.value.messages[0]
    assert FundEntry.objects.count() == 2
    entry.refresh_from_db()
    assert entry.version == seen + 1 and entry.updated_by == world.mttq_iadom
    assert services.fund_balance(world.iadom) == 0
