"""A household's yearly status follows the poverty standard in force and the calendar
(households/standards.py, through services.set_status and the status form)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from devdata.testing import select_options
from households import gaps, services
from households.models import Household, HouseholdStatus, PovertyStandard, Status
from households.standards import check_status
from households.tests.factories import household

# The day these tests are read on: NĐ 07/2021 in force, 2026 being the year NĐ 351/2025
# continues it; 2027 (NĐ 351/2025's first year) has not come.
TODAY = datetime.date(2026, 12, 7)
ND_07 = "NĐ 07/2021/NĐ-CP"
QD_59 = "QĐ 59/2015/QĐ-TTg"


@pytest.fixture(autouse=True)
def today(monkeypatch):
    real = timezone.localdate
    monkeypatch.setattr(
        timezone, "localdate", lambda value=None, timezone=None: real(value, timezone) if value else TODAY
    )


def indicators(year, count):
    return PovertyStandard.for_year(year).indicators[:count]


def refused(world, field, **kwargs):
    """The message of the field ``set_status`` refuses, and nothing written."""
    # Another household at each call: one area holds one household of a name and year of birth.
    h = household(world.iadom_areas[0], name=f"Rơ Mah Jin {Household.objects.count()}", status=None)
    with pytest.raises(ValidationError) as exc:
        services.set_status(household=h, by=world.mttq_iadom, **kwargs)
    assert not h.statuses.exists()
    assert list(exc.value.message_dict) == [field]
    return exc.value.message_dict[field][0]


def test_standards_status_for_a_later_year_refused(world):
    message = refused(world, "year", year=2028, status=Status.POOR, deprivations=indicators(2028, 0))
    assert message == "Chưa thể ghi tình trạng cho năm 2028: năm đó chưa đến (năm nay là 2026)."
    assert "2027" in refused(world, "year", year=2027, status=Status.NONE)


def test_standards_this_years_status_under_nd_07_continued(world):
    h = household(world.iadom_areas[0], status=None)
    record = services.set_status(household=h, year=2026, status=Status.NEAR_POOR, by=world.mttq_iadom)
    assert record.standard.code == ND_07
    assert "351/2025" in record.standard.name


def test_standards_year_without_standard_refused_unless_not_classified(world):
    message = refused(world, "year", year=2012, status=Status.POOR)
    assert (
        message == "Năm 2012 không có chuẩn nghèo nào áp dụng: năm đó chỉ có thể ghi hộ là “Chưa phân loại”."
    )
    for status in (Status.NEAR_POOR, Status.ESCAPED, Status.ESCAPED_NEAR, Status.AVERAGE):
        refused(world, "year", year=2012, status=status)
    h = household(world.iadom_areas[1], status=None)
    record = services.set_status(household=h, year=2012, status=Status.NONE, by=world.mttq_iadom)
    assert record.standard is None


def test_standards_poor_under_nd_07_needs_three_deprivations(world):
    message = refused(world, "deprivations", year=2023, status=Status.POOR, deprivations=indicators(2023, 1))
    assert message.startswith("Theo NĐ 07/2021/NĐ-CP (áp dụng năm 2023), hộ nghèo thiếu hụt từ 3 chỉ số")
    h = household(world.iadom_areas[0], status=None)
    record = services.set_status(
        household=h, year=2023, status=Status.POOR, deprivations=indicators(2023, 3), by=world.mttq_iadom
    )
    assert record.standard.code == ND_07 and len(record.deprivations) == 3


def test_standards_near_poor_under_nd_07_with_three_deprivations_refused(world):
    message = refused(
        world, "deprivations", year=2023, status=Status.NEAR_POOR, deprivations=indicators(2023, 3)
    )
    assert "hộ cận nghèo thiếu hụt không quá 2 chỉ số" in message
    h = household(world.iadom_areas[0], status=None)
    services.set_status(
        household=h, year=2023, status=Status.NEAR_POOR, deprivations=indicators(2023, 2), by=world.mttq_iadom
    )
    assert h.statuses.get().status == Status.NEAR_POOR


def test_standards_qd_59_statuses_accepted_as_before(world):
    """Income alone can make a household poor under QĐ 59/2015: no count is required."""
    area = world.iadom_areas[0]
    for i, (status, count) in enumerate([(Status.POOR, 0), (Status.POOR, 1), (Status.NEAR_POOR, 3)]):
        h = household(area, name=f"Hộ {i}", status=None)
        record = services.set_status(
            household=h, year=2017, status=status, deprivations=indicators(2017, count), by=world.mttq_iadom
        )
        assert record.standard.code == QD_59


def test_standards_rule_is_the_standards_data(world, django_assert_num_queries):
    standard = PovertyStandard.objects.get(code=ND_07)
    assert standard.thresholds["poor_min_deprivations"] == 3
    assert standard.thresholds["near_poor_max_deprivations"] == 2
    standard.thresholds = {**standard.thresholds, "poor_min_deprivations": 4}
    standard.save()
    with pytest.raises(ValidationError):
        check_status(year=2023, status=Status.POOR, deprivations=indicators(2023, 3))
    assert check_status(year=2023, status=Status.POOR, deprivations=indicators(2023, 4)) == standard
    assert "poor_min_deprivations" not in PovertyStandard.objects.get(code=QD_59).thresholds
    # The import checks its rows with the year's standard fetched once: no query a row.
    with django_assert_num_queries(0):
        check_status(year=2023, status=Status.POOR, deprivations=standard.indicators[:4], standard=standard)


def test_status_form_offers_the_standards_years_up_to_this_one(client_for, world):
    h = household(world.iadom_areas[0], status=Status.POOR, year=2023)
    client = client_for(world.mttq_iadom)
    url = reverse("households:status", args=[h.pk])
    body = client.get(url).content.decode()
    assert select_options(body, "year") == [str(y) for y in range(2026, 2015, -1)]
    assert '<option value="2023" selected>' in body
    # The standard in force in the form's year, with its rule, beside the deprivations.
    assert (
        "Áp dụng năm 2023: NĐ 07/2021/NĐ-CP (hộ nghèo: thiếu hụt từ 3 chỉ số trở lên; "
        "hộ cận nghèo: thiếu hụt không quá 2 chỉ số)."
    ) in body
    assert "phân loại theo thu nhập" in body  # QĐ 59/2015's row of the table
    response = client.post(url, {"year": 2027, "status": Status.NONE})
    assert response.status_code == 200 and "year" in response.context["form"].errors
    response = client.post(url, {"year": 2024, "status": Status.POOR, "deprivations": indicators(2024, 1)})
    assert "hộ nghèo thiếu hụt từ 3 chỉ số" in response.content.decode()
    assert "Áp dụng năm 2024: NĐ 07/2021/NĐ-CP" in response.content.decode()
    assert not h.statuses.filter(year=2024).exists()


def test_household_list_default_year_ignores_a_status_recorded_for_next_year(client_for, world):
    area = world.iadom_areas[0]
    h = household(area, status=Status.POOR, year=2021)
    # Written by a bulk path that bypasses set_status, like the loaders.
    HouseholdStatus.objects.create(household=h, year=2027, status=Status.POOR)
    gaps.refresh(areas=[area.pk], years=[2027])
    client = client_for(world.mttq_iadom)
    body = client.get(reverse("households:list")).content.decode()
    assert "Danh sách hộ năm 2021" in body and "năm 2027" not in body
    form = client.get(reverse("households:status", args=[h.pk])).context["form"]
    assert form["year"].value() == 2021
