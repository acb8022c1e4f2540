"""Two people save the same thing at the same moment: one save
succeeds, the other gets the answer a stale form gets, never a 500. On SQLite the second
one waits for the first one's write lock (transactions begun IMMEDIATE), as PostgreSQL's
row locks make it wait; a wait longer than the lock timeout answers a "try again" page.

The requests go through the test client, each in its own thread with its own database
connection. On SQLite the test database is copied to a file first: the in-memory test
database that threads share locks by table and never waits, unlike the portal's file."""

import datetime
import sqlite3
import threading

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from households import services
from households.models import EntryKind, FundEntry, Household
from households.tests.factories import household
from registrations.models import RegistrationStatus

SECOND_WAITS = 1  # seconds the first save keeps its transaction open while the second one waits


@pytest.fixture
def file_database(world, tmp_path):
    """The test database where each thread's connection locks as the portal's do: on
    SQLite a copy of the in-memory test database in a file, which every connection opened
    during the test uses (the main thread's too); on PostgreSQL the test database itself."""
    if connection.vendor != "sqlite":
        yield world
        return
    memory = connections["default"]
    memory.ensure_connection()
    path = tmp_path / "portal.sqlite3"
    target = sqlite3.connect(path)
    memory.connection.backup(target)
    target.close()
    # New connections, in any thread, are opened from this dict (the one the test
    # database's name was written into).
    shared = connections.settings["default"]
    name = shared["NAME"]
    shared["NAME"] = str(path)
    connections["default"] = connections.create_connection("default")
    try:
        yield world
    finally:
        connections["default"].close()
        connections["default"] = memory  # kept open: closing it would drop the in-memory database
        shared["NAME"] = name


def browser(user) -> Client:
    """A logged-in client; its errors are raised into the test, as a 500 would be."""
    client = Client()
    client.force_login(user)
    return client


def race(first, second):
    """``first()`` in a transaction kept open while ``second()`` runs in another thread;
    then ``first`` commits and ``second`` goes on. Returns both responses."""
    outcome = {}

    def run_second():
        try:
            outcome["second"] = second()
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            outcome["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run_second)
    with transaction.atomic():
        outcome["first"] = first()
        thread.start()
        thread.join(SECOND_WAITS)
        assert thread.is_alive(), outcome  # the second save waits for the first one's commit
    thread.join(60)
    assert not thread.is_alive()
    assert "error" not in outcome, outcome["error"]
    return outcome["first"], outcome["second"]


def page(response) -> str:
    return response.content.decode()


def flash(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.mark.django_db(transaction=True)
def test_same_household_edited_twice_at_once(file_database):
    world = file_database
    home = household(world.iadom_areas[0], name="Rơ Mah Jin", birth_year=1989)
    url = reverse("households:update", args=[home.pk])
    form = {"area": home.area_id, "head_name": "Rơ Mah Jin", "birth_year": 1989, "version": 1}
    one, two = browser(world.mttq_iadom), browser(world.mttq_iadom)

    first, second = race(
        lambda: one.post(url, {**form, "members": 5}), lambda: two.post(url, {**form, "members": 7})
    )

    assert first.status_code == 302
    assert second.status_code == 200
    assert "Người khác vừa sửa hộ này trong lúc bạn đang sửa" in page(second)
    home.refresh_from_db()
    assert (home.members, home.version) == (5, 2)


@pytest.mark.django_db(transaction=True)
def test_two_fund_spends_at_once_never_overdraw(file_database):
    world = file_database
    home = household(world.iadom_areas[0])
    services.record_fund_entry(
        unit=world.iadom,
        kind=EntryKind.RECEIPT,
        date=datetime.date(2017, 10, 17),
        amount=10_000_000,
        donor="Nhân dân trong xã",
        by=world.mttq_iadom,
    )
    url = reverse("households:fund", args=[world.iadom.pk])
    spend = {"kind": "spending", "date": "18/10/2017", "amount": 6_000_000, "household": home.pk}
    one, two = browser(world.mttq_iadom), browser(world.mttq_iadom)

    first, second = race(
        lambda: one.post(url, {**spend, "purpose": "Bò giống"}),
        lambda: two.post(url, {**spend, "purpose": "Heo giống"}),
    )

    assert first.status_code == 302
    assert second.status_code == 200
    assert "Ngày 18/10/2017 quỹ chỉ còn 4.000.000 đ; thiếu 2.000.000 đ." in page(second)
    assert services.fund_balance(world.iadom) == 4_000_000


@pytest.mark.django_db(transaction=True)
def test_one_fund_entry_reversed_twice_at_once(file_database):
    world = file_database
    entry = services.record_fund_entry(
        unit=world.iadom,
        kind=EntryKind.RECEIPT,
        date=datetime.date(2017, 10, 17),
        amount=10_000_000,
        donor="Nhân dân trong xã",
        by=world.mttq_iadom,
    )
    url = reverse("households:fund_reverse", args=[entry.pk])
    form = {"date": "19/10/2017", "version": entry.version}
    one, two = browser(world.mttq_iadom), browser(world.mttq_iadom)

    first, second = race(
        lambda: one.post(url, {**form, "reason": "Ghi trùng"}),
        lambda: two.post(url, {**form, "reason": "Sai số tiền"}),
    )

    assert first.status_code == 302
    assert second.status_code == 200
    assert "Bút toán này đã được" in page(second) and "chưa có gì được lưu" in page(second)
    assert FundEntry.objects.filter(reverses=entry).count() == 1
    assert services.fund_balance(world.iadom) == 0


@pytest.mark.django_db(transaction=True)
def test_accept_and_return_of_one_registration_at_once(file_database, submitted):
    world = file_database
    one, two = browser(world.mttq_huyen), browser(world.mttq_huyen)

    def act(client, action, **data):
        url = reverse("registrations:registration_transition", args=[submitted.pk, action])
        return client.post(url, data, follow=True)

    first, second = race(
        lambda: act(one, "accept", confirm="1"), lambda: act(two, "return", reason="Bổ sung chỉ tiêu")
    )

    assert flash(first) == ["Đã tiếp nhận bảng đăng ký."]
    assert second.status_code == 200
    assert len(flash(second)) == 1 and flash(second)[0].startswith("Không thể trả lại bảng đăng ký")
    submitted.refresh_from_db()
    assert submitted.status == RegistrationStatus.ACCEPTED


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's write lock timeout")
@pytest.mark.django_db(transaction=True)
def test_a_save_that_waits_past_the_lock_timeout_is_told_to_try_again(file_database):
    world = file_database
    home = household(world.iadom_areas[0], name="Rơ Mah Jin", birth_year=1989)
    url = reverse("households:update", args=[home.pk])
    form = {"area": home.area_id, "head_name": "Rơ Mah Jin", "birth_year": 1989, "version": 1}
    one, two = browser(world.mttq_iadom), browser(world.mttq_iadom)
    options = connections.settings["default"]["OPTIONS"]
    timeout = options["timeout"]
    options["timeout"] = 0.2  # for the second one's connection, opened in its thread
    try:
        outcome = {}

        def second():
            try:
                outcome["response"] = two.post(url, {**form, "members": 7})
            except BaseException as error:  # noqa: BLE001 - reported by the assertion below
                outcome["error"] = error
            finally:
                connection.close()

        with transaction.atomic():
            assert one.post(url, {**form, "members": 5}).status_code == 302
            thread = threading.Thread(target=second)
            thread.start()
            thread.join(30)  # it gives up while the first save still holds the lock
    finally:
        options["timeout"] = timeout

    assert "error" not in outcome, outcome["error"]  # a 500 is raised into the test
    response = outcome["response"]
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    text = page(response)
    assert "Có người khác đang lưu dữ liệu cùng lúc" in text
    assert "Dữ liệu bạn vừa gửi chưa được lưu." in text
    home.refresh_from_db()
    assert (home.members, home.version) == (5, 2)
    assert not Household.objects.filter(members=7).exists()
