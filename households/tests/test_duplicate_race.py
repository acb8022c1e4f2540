"""Duplicate households are impossible by timing: two identical creates
sent together both passed the services' read check and were both saved on PostgreSQL. The
database now refuses a second household with the same head (without accents), year of
birth and area unless the user confirmed it is another one, and the user whose save
comes second gets the read check's own message."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from households import services
from households.models import Household
from households.tests.factories import household
from portal.tests.test_sqlite_concurrency import (
    browser,
    file_database,  # noqa: F401 - the fixture
    page,
    race,
)

DUPLICATE = "Đã có hộ trùng họ tên chủ hộ, năm sinh và khu dân cư"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("file_database")
def test_two_identical_creates_at_once_save_one_household(world):
    url = reverse("households:create")
    form = {"area": world.iadom_areas[0].pk, "head_name": "Nay Blơi", "birth_year": 1980, "members": 4}
    one, two = browser(world.mttq_iadom), browser(world.mttq_iadom)

    first, second = race(lambda: one.post(url, form), lambda: two.post(url, form))

    assert first.status_code == 302
    assert second.status_code == 200 and DUPLICATE in page(second)
    assert Household.objects.filter(name_normalized="nay bloi").count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("file_database")
def test_two_households_renamed_alike_at_once_keep_apart(world):
    area = world.iadom_areas[0]
    homes = [household(area, name=name, birth_year=1980) for name in ("Nay Blơi", "Ksor Nhí")]
    form = {"area": area.pk, "head_name": "Rơ Mah Jin", "birth_year": 1980, "members": 3, "version": 1}
    one, two = browser(world.mttq_iadom), browser(world.mttq_iadom)

    def rename(client, home):
        return client.post(reverse("households:update", args=[home.pk]), form)

    first, second = race(lambda: rename(one, homes[0]), lambda: rename(two, homes[1]))

    assert first.status_code == 302
    assert second.status_code == 200 and DUPLICATE in page(second)
    assert sorted(Household.objects.values_list("name_normalized", flat=True)) == ["ksor nhi", "ro mah jin"]


def test_the_database_refuses_a_second_household_with_the_same_identity(world):
    area, other_area = world.iadom_areas
    Household.objects.create(area=area, head_name="Rơ Mah Jin", birth_year=1989)
    Household.objects.create(area=area, head_name="Siu H'Nga")
    for same in (
        {"area": area, "head_name": "RO MAH JIN", "birth_year": 1989},  # the same without accents
        {"area": area, "head_name": "Siu H'Nga"},  # no year of birth twice
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Household.objects.create(**same)
    # Another year, another area, or a household the user confirmed as another one.
    Household.objects.create(area=area, head_name="Rơ Mah Jin", birth_year=1990)
    Household.objects.create(area=other_area, head_name="Rơ Mah Jin", birth_year=1989)
    Household.objects.create(area=area, head_name="Rơ Mah Jin", birth_year=1989, duplicate_allowed=True)
    assert Household.objects.filter(name_normalized="ro mah jin").count() == 4


def test_only_a_needed_confirmation_takes_a_household_out_of_the_guard(world):
    area = world.iadom_areas[0]
    officer = world.mttq_iadom
    first = services.create_household(
        area=area, head_name="Rơ Mah Jin", birth_year=1989, allow_duplicate=True, by=officer
    )
    assert not first.duplicate_allowed  # nothing to confirm: it keeps the guard
    twin = services.create_household(
        area=area, head_name="Rơ Mah Jin", birth_year=1989, allow_duplicate=True, by=officer
    )
    assert twin.duplicate_allowed
    # Renamed apart, the confirmed one is guarded again.
    services.update_household(household=twin, version=1, head_name="Rơ Mah Jơn", birth_year=1989, by=officer)
    twin.refresh_from_db()
    assert not twin.duplicate_allowed
    with pytest.raises(IntegrityError), transaction.atomic():
        Household.objects.create(area=area, head_name="Ro Mah Jon", birth_year=1989)


def test_a_save_the_database_refuses_gets_the_read_checks_message(world):
    # On PostgreSQL the race above reaches this refusal; on SQLite the second create waits
    # for the first one's commit and its read check answers, so it is shown here directly.
    area = world.iadom_areas[0]
    Household.objects.create(area=area, head_name="Rơ Mah Jin", birth_year=1989)
    with pytest.raises(ValidationError) as refused:
        services._save_household(Household(area=area, head_name="Ro Mah Jin", birth_year=1989))
    assert refused.value.error_dict["head_name"][0].code == "duplicate"
    assert DUPLICATE in refused.value.message_dict["head_name"][0]
    assert Household.objects.count() == 1


def test_a_household_added_while_a_list_is_applied_stops_the_import_with_a_message(world):
    """Another officer saves one of the list's new households between the import's reading of
    the commune and its insert: the database refuses the list's copy, the import changes
    nothing and says what to do. The rival save is made right before the import's INSERT
    reaches the database (on the same connection, so the test's rollback takes it too)."""
    from django.db import connection

    from households import imports
    from households.tests.factories import review_list, row

    content = review_list([row(1, "Nay Blơi", area=world.iadom_areas[0].name), row(2, "Rơ Mah Hlim")])
    rival = {"done": False}

    def save_rival_first(execute, sql, params, many, context):
        if not rival["done"] and sql.startswith('INSERT INTO "households_household"'):
            rival["done"] = True
            services.create_household(
                area=world.iadom_areas[0],
                by=world.mttq_iadom,
                head_name="Nay Blơi",
                birth_year=1980,
                members=2,
            )
        return execute(sql, params, many, context)

    with connection.execute_wrapper(save_rival_first), pytest.raises(ValidationError) as refused:
        imports.apply_plan(content=content, commune=world.iadom, year=2017, by=world.mttq_iadom)

    assert rival["done"]
    assert "vừa được người khác thêm vào" in str(refused.value)
    assert not Household.objects.filter(head_name="Rơ Mah Hlim").exists()
