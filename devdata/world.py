"""The tests' small world: Gia Lai > Đức Cơ > {Ia Dom, Ia Kla} > two areas each,
organizations at every unit, the superuser and the demo accounts with the demo roles
(the ``world`` fixture of the root conftest writes it for each test)."""

from devdata.demo.organizations import DEMO_PASSWORD
from organizations.models import Membership, Organization, OrgKind, Role, Unit, UnitLevel, User
from organizations.services import ensure_organizations

# Argon2 is deliberately slow; tests hash many passwords.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The small world's units: (name, level, official code, parent's name, kind).
UNITS = [
    ("Tỉnh Gia Lai", UnitLevel.PROVINCE, 64, None, ""),
    ("Huyện Đức Cơ", UnitLevel.DISTRICT, 631, "Tỉnh Gia Lai", ""),
    ("Xã Ia Dom", UnitLevel.COMMUNE, 23872, "Huyện Đức Cơ", "xã"),
    ("Xã Ia Kla", UnitLevel.COMMUNE, 23869, "Huyện Đức Cơ", "xã"),
    ("Làng 1", UnitLevel.AREA, None, "Xã Ia Dom", ""),
    ("Thôn 3", UnitLevel.AREA, None, "Xã Ia Dom", ""),
    ("Làng Ia Kla", UnitLevel.AREA, None, "Xã Ia Kla", ""),
    ("Thôn Sơn Hà", UnitLevel.AREA, None, "Xã Ia Kla", ""),
]
# The demo accounts with the demo roles: (username, unit, organization kind, role).
MEMBERS = [
    ("mttq.huyen", "Huyện Đức Cơ", OrgKind.FRONT, Role.REVIEWER),
    ("nongdan.huyen", "Huyện Đức Cơ", OrgKind.FARMERS, Role.EDITOR),
    ("mttq.iadom", "Xã Ia Dom", OrgKind.FRONT, Role.EDITOR),
    ("phunu.iadom", "Xã Ia Dom", OrgKind.WOMEN, Role.EDITOR),
    ("mttq.iakla", "Xã Ia Kla", OrgKind.FRONT, Role.EDITOR),
    ("lanhdao", "Huyện Đức Cơ", OrgKind.FRONT, Role.VIEWER),
]


def build_world() -> None:
    """Write the small world: Gia Lai > Đức Cơ > {Ia Dom, Ia Kla} > two areas each,
    organizations everywhere, the superuser ``admin`` and the demo accounts."""
    units = {}
    for name, level, code, parent, kind in UNITS:
        units[name] = Unit.objects.create(
            name=name, level=level, official_code=code, parent=units.get(parent), kind=kind
        )
        ensure_organizations(units[name])
    create_user("admin", superuser=True)
    for username, unit, kind, role in MEMBERS:
        create_member(username, units[unit], kind, role)


def create_user(username: str, superuser: bool = False) -> User:
    user = User(username=username, full_name=username, is_superuser=superuser, is_staff=superuser)
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def create_member(username: str, unit: Unit, kind: str, role: str) -> User:
    user = create_user(username)
    Membership.objects.create(
        user=user, organization=Organization.objects.get(unit=unit, kind=kind), role=role
    )
    return user


class World:
    """The small world of ``build_world``, read back: its units and users as attributes
    (``world.iadom``, ``world.iadom_areas``, ``world.mttq_iadom``, ``world.users[name]``)."""

    def __init__(self):
        units = {unit.name: unit for unit in Unit.objects.all()}
        self.province, self.district = units["Tỉnh Gia Lai"], units["Huyện Đức Cơ"]
        self.iadom, self.iakla = units["Xã Ia Dom"], units["Xã Ia Kla"]
        self.iadom_areas = [units["Làng 1"], units["Thôn 3"]]
        self.iakla_areas = [units["Làng Ia Kla"], units["Thôn Sơn Hà"]]
        self.users = {user.username: user for user in User.objects.all()}
        self.admin = self.users["admin"]
        for username, *_ in MEMBERS:
            setattr(self, username.replace(".", "_"), self.users[username])

    def org(self, unit: Unit, kind: str) -> Organization:
        return Organization.objects.get(unit=unit, kind=kind)

    def add_user(self, username: str) -> User:
        """Another account, with no membership."""
        self.users[username] = create_user(username)
        return self.users[username]

    def add_member(self, username: str, unit: Unit, kind: str, role: str) -> User:
        """Another account, of the organization of that kind at that unit."""
        self.users[username] = create_member(username, unit, kind, role)
        return self.users[username]
