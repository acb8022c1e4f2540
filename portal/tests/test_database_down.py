"""While the database cannot be reached, every page answers 503 with
Retry-After and a plain Vietnamese page: the system is briefly interrupted, nothing was
lost, try again in a moment; a form's POST is told its data was not saved. Never a 500.

The database is made unreachable for real: the requests' connection is opened to a file
that cannot be created (SQLite) or to a port nobody listens on (PostgreSQL)."""

import contextlib
import copy
import socket

import pytest
from django.db import OperationalError, connection, connections
from django.test import Client
from django.urls import reverse

from core.middleware import database_trouble
from households.models import Household

INTERRUPTED = "Hệ thống tạm thời gián đoạn"
NOTHING_LOST = "Dữ liệu đã lưu trước đó không bị mất."
TRY_AGAIN = "Vui lòng thử lại sau giây lát."
NOT_SAVED = "Dữ liệu bạn vừa gửi chưa được lưu."


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # free again once closed: nobody listens there


@contextlib.contextmanager
def database_unreachable():
    """The requests of the block find the database gone (the test's own connection is
    put back afterwards, to roll the test back)."""
    real = connections["default"]
    unreachable = copy.deepcopy(real.settings_dict)
    if real.vendor == "sqlite":
        unreachable["NAME"] = "/nonexistent-folder/portal.sqlite3"
    else:
        unreachable.update(HOST="127.0.0.1", PORT=str(closed_port()))
    connections["default"] = real.__class__(unreachable, "default")
    try:
        yield
    finally:
        connections["default"] = real


def browser(user=None) -> Client:
    # The database failing outside a view (the session read by the middleware) reaches
    # Django's handler500; the test client would raise the exception it logged instead of
    # returning the response the user gets.
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def assert_interrupted(response, *, posted: bool) -> str:
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode()
    assert INTERRUPTED in text and NOTHING_LOST in text
    assert (NOT_SAVED in text) is posted
    assert (TRY_AGAIN in text) is not posted
    return text


def test_every_page_answers_503_while_the_database_is_down(world):
    client = browser(world.mttq_iadom)
    pages = [
        reverse("home"),
        reverse("households:list"),
        reverse("households:detail", args=[1]),
        reverse("households:fund", args=[world.iadom.pk]),
        reverse("registrations:registration_list"),
    ]
    with database_unreachable():
        for path in pages:
            text = assert_interrupted(client.get(path), posted=False)
            assert f'href="{path}"' in text  # "Try again" reloads the page
            assert "Internal Server Error" not in text


def test_a_form_sent_while_the_database_is_down_is_told_it_was_not_saved(world):
    client = browser(world.mttq_iadom)
    form = {"area": world.iadom_areas[0].pk, "head_name": "Nay Blơi", "birth_year": 1980, "members": 4}
    with database_unreachable():
        assert_interrupted(client.post(reverse("households:create"), form), posted=True)
    assert not Household.objects.exists()


@pytest.mark.parametrize("debug", [False, True], ids=["production", "make run"])
def test_a_login_while_the_database_is_down_answers_503(world, settings, debug):
    # The view itself meets the database here (the password check), with DEBUG on too.
    settings.DEBUG = debug
    client = browser()
    with database_unreachable():
        response = client.post(reverse("login"), {"username": "mttq.iadom", "password": "x"})
    assert_interrupted(response, posted=True)


def test_the_page_is_in_vietnamese_and_standalone(world):
    client = browser(world.mttq_iadom)
    with database_unreachable():
        text = client.get(reverse("home")).content.decode()
    assert '<html lang="vi">' in text
    for english in ("Service Unavailable", "database", "Try again", "Home"):
        assert english not in text
    # Drawn without the menu and the user's name, which live in the database.
    assert "mttq.iadom" not in text


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite reports a bug as an OperationalError")
def test_a_bug_is_not_taken_for_a_database_outage(db):
    with pytest.raises(OperationalError) as bug:
        with connection.cursor() as cursor:
            cursor.execute("SELECT nothing FROM no_such_table")
    assert database_trouble(bug.value) is None
