"""Benchmark data for units, organizations and accounts (see seed_bench)."""

from organizations.models import Membership, Organization, OrgKind, Role, Unit, UnitLevel, User, child_path
from organizations.services import load_official_units, organization_name

BENCH_PASSWORD = "Bench@2017"
SCALES = {
    # scale: (official code, level, residential areas per commune)
    "tiny": (631, UnitLevel.DISTRICT, 2),
    "district": (631, UnitLevel.DISTRICT, 8),
    "province": (64, UnitLevel.PROVINCE, 10),
}


def _bulk_areas(communes: list[Unit], per_commune: int) -> list[Unit]:
    areas = [
        Unit(
            parent=c,
            name=f"Thôn {i}",
            name_normalized=f"thon {i}",
            level=UnitLevel.AREA,
            kind="thôn",
            path="",
        )
        for c in communes
        for i in range(1, per_commune + 1)
    ]
    Unit.objects.bulk_create(areas, batch_size=2000)
    # bulk_create skips save(): set the materialized paths here.
    parents = {c.pk: c for c in communes}
    for area in areas:
        area.path = child_path(parents[area.parent_id].path, area.pk)
    Unit.objects.bulk_update(areas, ["path"], batch_size=2000)
    return areas


def load(context: dict) -> None:
    code, level, per_commune = SCALES[context["scale"]]
    load_official_units(code, level=level)
    root = Unit.objects.get(official_code=code, level=level)
    context["root"] = root
    communes = list(Unit.objects.filter(path__startswith=root.path, level=UnitLevel.COMMUNE))
    areas = _bulk_areas(communes, per_commune)
    Organization.objects.bulk_create(
        [
            Organization(unit=area, kind=kind, name=organization_name(kind, area))
            for area in areas
            for kind in OrgKind
            if organization_name(kind, area)
        ],
        batch_size=5000,
    )
    first_commune = min(communes, key=lambda c: c.official_code)
    accounts = [
        ("bench.front", root, OrgKind.FRONT, Role.REVIEWER),
        ("bench.leader", root, OrgKind.FRONT, Role.VIEWER),
        ("bench.farmers", root, OrgKind.FARMERS, Role.EDITOR),
        ("bench.commune", first_commune, OrgKind.FRONT, Role.EDITOR),
    ]
    context["accounts"] = {}
    for username, unit, kind, role in accounts:
        user = User(username=username, full_name=username)
        user.set_password(BENCH_PASSWORD)
        user.save()
        Membership.objects.create(
            user=user, organization=Organization.objects.get(unit=unit, kind=kind), role=role
        )
        context["accounts"][username] = user
    context["communes"] = communes
    context["areas"] = areas


def commune_officers(count: int) -> list[User]:
    """Front editors of the first ``count`` communes (by official code), for the load test's
    simulated officers: ``bench.commune`` for the first, ``bench.commune.<code>`` for the others,
    created when missing, with bench.commune's password (its hash copied: one Argon2 hash
    instead of one per account)."""
    first = User.objects.get(username="bench.commune")
    communes = Unit.objects.filter(level=UnitLevel.COMMUNE).order_by("official_code")[:count]
    officers = []
    for index, commune in enumerate(communes):
        if index == 0:
            officers.append(first)
            continue
        user, created = User.objects.get_or_create(
            username=f"bench.commune.{commune.official_code}",
            defaults={"full_name": f"Cán bộ MTTQ {commune.name}", "password": first.password},
        )
        if created:
            Membership.objects.create(
                user=user,
                organization=Organization.objects.get(unit=commune, kind=OrgKind.FRONT),
                role=Role.EDITOR,
            )
        officers.append(user)
    return officers


def pages(users: dict) -> list[dict]:
    """The foundation's pages for bench/run.py: home of each role, the unit tree."""
    commune = Unit.objects.filter(level=UnitLevel.COMMUNE).order_by("official_code").first()
    return [
        {"label": "home: program-level Front", "url": "/", "user": users["bench.front"], "target": 15},
        {"label": "home: leader", "url": "/", "user": users["bench.leader"], "target": 15},
        {"label": "home: district organization", "url": "/", "user": users["bench.farmers"], "target": 15},
        {"label": "home: commune officer", "url": "/", "user": users["bench.commune"], "target": 15},
        {"label": "unit tree", "url": "/units/", "user": users["bench.front"], "target": 15},
        {"label": "commune page", "url": f"/units/{commune.pk}/", "user": users["bench.front"], "target": 15},
        {"label": "programs", "url": "/programs/", "user": users["bench.commune"], "target": 15},
    ]
