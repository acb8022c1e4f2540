"""Fixtures shared by every app's tests: a small but real Đức Cơ world, and the demo."""

import io
import os

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from devdata import snapshot
from organizations.models import Membership, Organization, OrgKind, Role, Unit, UnitLevel, User
from organizations.services import ensure_organizations

PASSWORD = "DucCo@2017"

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
hypothesis_settings.register_profile("thorough", max_examples=400, **_HYPOTHESIS)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


class World:
    """Gia Lai > Đức Cơ > {Ia Dom, Ia Kla} > two areas each, organizations everywhere,
    and the demo accounts with the demo roles."""

    def __init__(self):
        self.province = Unit.objects.create(name="Tỉnh Gia Lai", level=UnitLevel.PROVINCE, official_code=64)
        self.district = Unit.objects.create(
            name="Huyện Đức Cơ", level=UnitLevel.DISTRICT, official_code=631, parent=self.province
        )
        self.iadom = Unit.objects.create(
            name="Xã Ia Dom", level=UnitLevel.COMMUNE, official_code=23872, parent=self.district, kind="xã"
        )
        self.iakla = Unit.objects.create(
            name="Xã Ia Kla", level=UnitLevel.COMMUNE, official_code=23869, parent=self.district, kind="xã"
        )
        self.iadom_areas = [
            Unit.objects.create(name=n, level=UnitLevel.AREA, parent=self.iadom) for n in ("Làng 1", "Thôn 3")
        ]
        self.iakla_areas = [
            Unit.objects.create(name=n, level=UnitLevel.AREA, parent=self.iakla)
            for n in ("Làng Ia Kla", "Thôn Sơn Hà")
        ]
        for unit in Unit.objects.all():
            ensure_organizations(unit)
        self.users = {}
        self.admin = self._user("admin", superuser=True)
        self.mttq_huyen = self._member("mttq.huyen", self.district, OrgKind.FRONT, Role.REVIEWER)
        self.nongdan_huyen = self._member("nongdan.huyen", self.district, OrgKind.FARMERS, Role.EDITOR)
        self.mttq_iadom = self._member("mttq.iadom", self.iadom, OrgKind.FRONT, Role.EDITOR)
        self.phunu_iadom = self._member("phunu.iadom", self.iadom, OrgKind.WOMEN, Role.EDITOR)
        self.mttq_iakla = self._member("mttq.iakla", self.iakla, OrgKind.FRONT, Role.EDITOR)
        self.lanhdao = self._member("lanhdao", self.district, OrgKind.FRONT, Role.VIEWER)

    def org(self, unit: Unit, kind: str) -> Organization:
        return Organization.objects.get(unit=unit, kind=kind)

    def _user(self, username, superuser=False) -> User:
        user = User(username=username, full_name=username, is_superuser=superuser, is_staff=superuser)
        user.set_password(PASSWORD)
        user.save()
        self.users[username] = user
        return user

    def _member(self, username, unit, kind, role) -> User:
        user = self._user(username)
        Membership.objects.create(user=user, organization=self.org(unit, kind), role=role)
        return user


# Argon2 is deliberately slow; tests hash many passwords.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db, settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    return World()


@pytest.fixture(scope="session")
def demo_snapshots(django_db_setup, django_db_blocker):
    """(empty, demo): every row of the test database before and after ``seed_demo``.

    The demo is seeded once per test session (per xdist worker) in a transaction rolled back
    at once; the tests that need it get its rows back from memory."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        empty = snapshot.take()
        with transaction.atomic():
            call_command("seed_demo", verbosity=0, stdout=io.StringIO())
            demo = snapshot.take()
            transaction.set_rollback(True)
    return empty, demo


@pytest.fixture(scope="session")
def demo_pages(demo_snapshots, django_db_blocker):
    """{username: (paths, problems)}: every page each demo account reaches by links from its
    home, crawled once per session with the test client and checked for English words,
    dates, numbers and broken links (``e2e.checks.client_crawl``)."""
    from e2e.checks import client_crawl
    from organizations.demo import ACCOUNTS

    pages = {}
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        with transaction.atomic():
            snapshot.restore(demo_snapshots[1])
            for username in ["admin", *(account[0] for account in ACCOUNTS)]:
                client = Client()
                client.force_login(User.objects.get(username=username))
                pages[username] = client_crawl(client, superuser=username == "admin")
            transaction.set_rollback(True)
        snapshot.clear_caches()
    return pages


@pytest.fixture
def demo(db, settings, demo_snapshots):
    """The full demo data set, as `make run` shows it, inside the test's transaction."""
    settings.PASSWORD_HASHERS = FAST_HASHERS
    snapshot.restore(demo_snapshots[1])
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


@pytest.fixture(autouse=True)
def _no_figures_kept_from_another_test():
    """Figures kept by portal.figures live in the process's memory, across tests."""
    caches["figures"].clear()
