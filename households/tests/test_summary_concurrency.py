"""Two officers write in two residential areas of one commune at the same moment: the
second one's refresh waits for the first one's commune rows, then adds up both areas.
Without the commune rows' lock it would add up without the first one's area rows, or
collide with the rows the first one wrote."""

import datetime
import threading

import pytest
from django.db import connection, transaction

from households import aid, gaps, services
from households.models import AidCommuneSummary, GapCommuneSummary, Status
from households.tests import test_aid, test_gaps

YEAR = 2017


def _support(household, by):
    services.record_support(
        household=household, date=datetime.date(YEAR, 6, 1), kind="cash", value=100, by=by
    )


def _poor(household, by):
    services.set_status(household=household, year=YEAR, status=Status.POOR, by=by)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two writers at once need row locks (SELECT … FOR UPDATE): SQLite locks the whole file",
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("write", [_support, _poor])
def test_two_writers_in_one_commune_add_up_in_turn(world, write):
    officer = world.mttq_iadom
    households = [
        services.create_household(area=area, by=officer, head_name=name)
        for area, name in zip(world.iadom_areas, ["Rơ Mah Jin", "Ksor Nhí"], strict=True)
    ]
    first_done, errors = threading.Event(), []

    def second_writer():
        try:
            first_done.wait(5)
            write(households[1], officer)  # waits here for the first writer's commit
        except Exception as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=second_writer)
    thread.start()
    with transaction.atomic():
        write(households[0], officer)
        first_done.set()
        thread.join(1)  # the second writer is blocked on the commune's rows meanwhile
        assert thread.is_alive()
    thread.join(10)
    assert not errors
    assert aid.stored() == test_aid.independent_recount()
    assert gaps.stored() == test_gaps.independent_recount()
    if write is _support:
        cash = AidCommuneSummary.objects.get(commune=world.iadom, year=YEAR, figure="supports", key="cash")
        assert (cash.count, cash.value) == (2, 200)
    else:
        assert GapCommuneSummary.objects.get(commune=world.iadom, year=YEAR).poor == 2
