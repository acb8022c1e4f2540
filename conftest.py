"""Fixtures shared by every app's tests: a small but real Đức Cơ world, and the demo."""

import copy
import fcntl
import io
import os
import pickle

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from devdata import snapshot
from devdata.world import FAST_HASHERS, World, build_world
from organizations.models import User

# The program and registration fixtures every app's tests use.
pytest_plugins = ["devdata.fixtures"]

# The hostile-input tests (portal/tests/test_bad_input*.py). "default", for `make test`:
# the same examples on every run (each test's @example cases first), so a failure shows
# again on the next run and the suite takes the same time. "thorough", for `make
# test-thorough`: a long random search, to run before a release or after changing a form.
_HYPOTHESIS = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
hypothesis_settings.register_profile("default", derandomize=True, max_examples=20, **_HYPOTHESIS)
hypothesis_settings.register_profile("thorough", derandomize=False, max_examples=400, **_HYPOTHESIS)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
def _world_rows():
    """What the first ``world`` of the session (per xdist worker) inserted, and the content
    types it saw: its log entries point to them, and a flush makes new ones."""
    return {}


@pytest.fixture
def world(db, settings, _world_rows):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    content_types = list(ContentType.objects.order_by("pk").values_list("pk", "app_label", "model"))
    if _world_rows.get("content_types") == content_types:
        snapshot.insert(_world_rows["rows"])  # one statement per table instead of 76
    else:
        before = snapshot.take()
        build_world()
        _world_rows.update(content_types=content_types, rows=snapshot.added(before, snapshot.take()))
    return World()


def once_per_run(name: str, tmp_path_factory, worker_id: str, compute):
    """``compute()``, run by the first xdist worker that asks and read back by the others
    from a file of the run's temporary folder (pytest-xdist's recipe for session fixtures
    run once). The file is the run's own: nothing is kept from one run to the next."""
    if worker_id == "master":
        return compute()
    path = tmp_path_factory.getbasetemp().parent / f"{name}.pickle"
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.exists():
            return pickle.loads(path.read_bytes())  # noqa: S301 -- written by this run
        value = compute()
        path.write_bytes(pickle.dumps(value))
        return value


@pytest.fixture(scope="session")
def _replays():
    """Per builder of ``replayed``: the rows it inserted, the files it saved, its result."""
    return {}


@pytest.fixture
def replayed(world, _world_rows, _replays):
    """``replayed(name, build, media=None)`` -> what ``build()`` returns. The first test of
    the session (per xdist worker) runs it over its world; the next tests over the same
    world get the rows it inserted written again from memory, the files it saved under
    ``media`` (a MEDIA_ROOT) copied there, and a copy of its result. For builders that only
    insert (an update of a row already there fails loudly, as a duplicate key)."""

    def replay(name, build, media=None):
        kept = _replays.get(name)
        if kept and kept["world"] is _world_rows["rows"]:
            snapshot.insert(kept["rows"])
            for path, content in kept["files"].items():
                (media / path).parent.mkdir(parents=True, exist_ok=True)
                (media / path).write_bytes(content)
            return copy.deepcopy(kept["result"])
        before = snapshot.take()
        result = build()
        _replays[name] = {
            "world": _world_rows["rows"],
            "rows": snapshot.added(before, snapshot.take()),
            "files": {str(p.relative_to(media)): p.read_bytes() for p in media.rglob("*") if p.is_file()}
            if media
            else {},
            "result": copy.deepcopy(result),
        }
        return result

    return replay


# The test database as the migrations leave it (their reference data: poverty standards,
# ethnic groups, content types), per worker; see pytest_runtest_teardown.
MIGRATED: dict = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        MIGRATED.update(rows=snapshot.take(), blocker=django_db_blocker)


@pytest.fixture(scope="session")
def migrated_rows(django_db_setup):
    return MIGRATED["rows"]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a test whose writes committed (django_db(transaction=True)), pytest-django
    flushes every table, the migrations' reference data too, and makes new content types:
    the database is put back as the migrations left it, for the tests that follow."""
    result = yield  # the last test's teardown ends the session: its database is gone
    marker = item.get_closest_marker("django_db")
    committed = marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    if committed and MIGRATED and nextitem is not None:
        with MIGRATED["blocker"].unblock():
            snapshot.restore(MIGRATED["rows"])
    return result


@pytest.fixture(scope="session")
def demo_rows(django_db_setup, django_db_blocker, tmp_path_factory, worker_id):
    """Every row of the test database after ``seed_demo``: seeded once per test run, in a
    transaction rolled back at once; the tests that need it get its rows back from memory,
    every worker the same rows with the same ids (so the pages crawled by one are the pages
    of all)."""

    def seed():
        with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
            with transaction.atomic():
                call_command("seed_demo", verbosity=0, stdout=io.StringIO())
                demo = snapshot.take()
                transaction.set_rollback(True)
        return demo

    return once_per_run("demo-rows", tmp_path_factory, worker_id, seed)


@pytest.fixture(scope="session")
def demo_pages(demo_rows, django_db_blocker, tmp_path_factory, worker_id):
    """{username: (paths, problems)}: every page each demo account reaches by links from its
    home, crawled once per test run with the test client and checked for English words,
    dates, numbers and broken links (``e2e.checks.client_crawl``)."""
    from devdata.demo.organizations import ACCOUNTS
    from e2e.checks import client_crawl

    def crawl():
        pages = {}
        with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
            with transaction.atomic():
                snapshot.restore(demo_rows)
                for username in ["admin", *(account[0] for account in ACCOUNTS)]:
                    client = Client()
                    client.force_login(User.objects.get(username=username))
                    pages[username] = client_crawl(client, superuser=username == "admin")
                transaction.set_rollback(True)
            snapshot.clear_caches()
        return pages

    return once_per_run("demo-pages", tmp_path_factory, worker_id, crawl)


@pytest.fixture
def demo(db, settings, demo_rows):
    """The full demo data set, as `make run` shows it, inside the test's transaction."""
    settings.PASSWORD_HASHERS = FAST_HASHERS
    snapshot.restore(demo_rows)
    yield
    # The rollback puts back rows whose content types may have other ids than the cache's.
    snapshot.clear_caches()


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client logged in as that user."""

    def login(user):
        client.force_login(user)
        return client

    return login
