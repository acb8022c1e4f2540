"""The benchmark's generator and table (timings are measured by `make bench`, not here)."""

import pytest
from django.core.management import CommandError, call_command

from bench.run import format_table
from organizations.models import Organization, Unit, UnitLevel, User


@pytest.mark.django_db
def test_seed_bench_tiny_builds_a_scoped_world(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_bench", scale="tiny", verbosity=0)
    communes = Unit.objects.filter(level=UnitLevel.COMMUNE)
    assert communes.count() == 10
    areas = Unit.objects.filter(level=UnitLevel.AREA)
    assert areas.count() == 20
    area = areas.first()
    assert area.path == f"{area.parent.path}{area.pk}/"
    assert Organization.objects.filter(unit=area).count() == 5
    assert set(User.objects.filter(username__startswith="bench.").values_list("username", flat=True)) == {
        "bench.front",
        "bench.leader",
        "bench.farmers",
        "bench.commune",
    }


@pytest.mark.django_db
def test_seed_bench_refuses_a_database_with_data(world):
    with pytest.raises(CommandError, match="empty database"):
        call_command("seed_bench", scale="tiny", verbosity=0)


def test_bench_table_judges_each_page_against_the_floor():
    rows = [
        {
            "label": "login page (floor)",
            "median_ms": 10.0,
            "p95_ms": 12.0,
            "queries": 0,
            "target_ratio": None,
        },
        {"label": "home", "median_ms": 40.0, "p95_ms": 60.0, "queries": 12, "target_ratio": 5},
        {"label": "slow report", "median_ms": 200.0, "p95_ms": 300.0, "queries": 8, "target_ratio": 10},
        {"label": "chatty list", "median_ms": 20.0, "p95_ms": 30.0, "queries": 21, "target_ratio": 5},
    ]
    lines, failures = format_table(rows)
    assert lines[0].split() == ["page", "median", "ms", "p95", "ms", "×", "floor", "queries", "result"]
    assert "pass" in lines[2] and "4.0" in lines[2]
    assert "FAIL" in lines[3] and "20.0" in lines[3]
    assert "FAIL" in lines[4]
    assert failures == 2
