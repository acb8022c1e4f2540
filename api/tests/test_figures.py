"""The API's figures are the pages': the indicator catalogue computes both, and a plain
count of the records written here agrees with them."""

from households import services as household_services
from households.models import HouseholdStatus, Status
from organizations.models import OrgKind
from reports import selectors as report_selectors
from reports.selectors import Filters

from .conftest import issue


def _households(world):
    """Ia Dom: three poor households (one taken on by the Women's Union) and one near-poor
    policy household; Ia Kla: one poor household. Written by the services, which keep the
    summaries the figures are read from."""
    by = world.admin
    made = []
    for area, name, status, policy in [
        (world.iadom_areas[0], "Rơ Châm Blơi", Status.POOR, False),
        (world.iadom_areas[0], "Ksor H'Nhi", Status.POOR, False),
        (world.iadom_areas[1], "Siu Thuyên", Status.POOR, False),
        (world.iadom_areas[1], "Nguyễn Văn Lộc", Status.NEAR_POOR, True),
        (world.iakla_areas[0], "Rơ Lan Hiếu", Status.POOR, False),
    ]:
        household = household_services.create_household(area=area, head_name=name, is_policy=policy, by=by)
        household_services.set_status(household=household, year=2017, status=status, by=by)
        made.append(household)
    household_services.sponsor(
        household=made[0], organization=world.org(world.iadom_areas[0], OrgKind.WOMEN), year=2017, by=by
    )
    return made


def test_indicator_values_equal_the_dashboards(world, submitted, api_get):
    _households(world)
    commune_token = issue(world, world.org(world.iadom, OrgKind.FRONT))
    district_token = issue(world, world.org(world.district, OrgKind.FRONT))
    # (token, a user of the same scope on the pages, the commune filter)
    for issued, user, commune in [
        (commune_token, world.mttq_iadom, None),
        (district_token, world.mttq_huyen, None),
        (district_token, world.mttq_huyen, world.iadom),
    ]:
        program = report_selectors.default_program(user)
        filters = Filters(program=program, years=[2017], commune=commune)
        expected = report_selectors.dashboard_values(user, filters)
        params = {"year": 2017, "codes": ",".join(expected), **({"unit": commune.pk} if commune else {})}
        body = api_get(issued, "/indicators/values", **params).json()
        assert body["program_id"] == program.pk
        got = {row["code"]: row["by_year"][0]["value"] for row in body["indicators"]}
        assert got == expected, commune
    # The figures themselves, counted from the records written above.
    district = {row["code"]: row["over_years"] for row in body["indicators"]}
    assert (
        district["poor"]
        == 3
        == HouseholdStatus.objects.filter(
            year=2017, status=Status.POOR, household__area__parent=world.iadom
        ).count()
    )
    assert district["gap_households"] == 4  # the poor and the near-poor policy household
    assert district["gap"] == 3  # one of them is taken on
    assert district["registrations_received"] == 1  # the Women's Union's, submitted


def test_values_by_commune_equal_the_dashboards(world, program, api_get):
    _households(world)
    issued = issue(world, world.org(world.district, OrgKind.FRONT))
    expected = report_selectors.by_commune(world.mttq_huyen, Filters(program=program, years=[2017]))
    body = api_get(issued, "/indicators/by-commune", year=2017).json()
    got = {
        row["commune_id"]: (row["poor"], row["gap"], row["initiatives_running"]) for row in body["communes"]
    }
    assert got == {row["commune"].pk: (row["poor"], row["gap"], row["initiatives"]) for row in expected}
    assert got[world.iadom.pk][:2] == (3, 3) and got[world.iakla.pk][:2] == (1, 1)


def test_a_stock_over_years_is_its_last_year_and_a_flow_its_sum(world, api_get):
    _households(world)
    issued = issue(world, world.org(world.iadom, OrgKind.FRONT))
    body = api_get(issued, "/indicators/values", codes="poor,escaped", year_from=2016, year=2017).json()
    rows = {row["code"]: row for row in body["indicators"]}
    assert body["years"] == [2016, 2017]
    assert rows["poor"]["by_year"] == [{"year": 2016, "value": 0}, {"year": 2017, "value": 3}]
    assert rows["poor"]["over_years"] == 3
    assert rows["escaped"]["over_years"] == sum(v["value"] for v in rows["escaped"]["by_year"])


def test_catalogue_is_the_pages_catalogue(world, api_get):
    from django.utils import translation

    from reports.indicators import CATALOGUE, INDICATORS

    issued = issue(world, world.org(world.iadom, OrgKind.WOMEN))
    rows = api_get(issued, "/indicators").json()
    assert [row["code"] for row in rows] == [i.code for i in CATALOGUE]
    gap = api_get(issued, "/indicators/gap").json()
    with translation.override("vi"):
        assert (gap["name"], gap["definition"]) == (
            str(INDICATORS["gap"].name),
            str(INDICATORS["gap"].definition),
        )
    assert gap["adds"] == "stock"
