"""Fixtures shared by every app's tests: a small but real Đức Cơ world."""

import pytest
from django.core.cache import caches

from organizations.models import Membership, Organization, OrgKind, Role, Unit, UnitLevel, User
from organizations.services import ensure_organizations

PASSWORD = "DucCo@2017"


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


@pytest.fixture
def world(db, settings):
    # Argon2 is deliberately slow; tests hash many passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return World()


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
