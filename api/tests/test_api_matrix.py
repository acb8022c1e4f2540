"""Every API route × every token scope: the Front of the district, the Front of a commune,
the Women's Union of the same commune, and an expired token.

For each route and scope, a record inside the scope and one outside it: a list shows the
one and not the other, a record's own route answers 200 for the one and 404 for the other
(nobody learns it exists), and the expired token gets 401 everywhere. The route names come
from the resolver: a new route without a line in ``ROUTES`` fails with "add a route"."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Model
from django.urls import get_resolver, reverse

from activities.models import ExemplaryExample, Initiative, OutstandingArea, Supervision
from households.models import FundEntry, Household, Sponsorship
from organizations.models import Organization, OrgKind, Unit
from programs.models import Program
from registrations.models import Registration, RegistrationPeriod

# (commune slug of the MatrixWorld, organization kind) of the record each scope must see,
# and of one it must not: a district sees another commune of its own, not one of another
# district; a commune's Front not another commune's; a commune's Women's Union not the
# Front's records of its own commune (for records of one kind), nor another commune's.
SCOPES = {
    "district_front": (("iakla", OrgKind.FRONT), ("iapuch", OrgKind.FRONT)),
    "commune_front": (("iadom", OrgKind.FRONT), ("iakla", OrgKind.FRONT)),
    "commune_women": (("iadom", OrgKind.WOMEN), ("iadom", OrgKind.FRONT)),
}


@dataclass(frozen=True)
class Route:
    """What a route lists or shows: its model, the lookup from it to the unit and to the
    organization kind (None: records of every kind, seen by every organization of the
    unit), the path parameter of a record's own route, and a query string its list needs."""

    model: type[Model] | None = None
    unit: str = ""
    kind: str | None = None
    param: str | None = None
    ids: str = "items"  # where a list answer keeps its records ("communes": the by-commune table)
    query: dict | None = None


ROUTES: dict[str, Route] = {
    "units": Route(Unit, "", None),
    "unit": Route(Unit, "", None, param="unit_id"),
    "organizations": Route(Organization, "unit", "kind"),
    "organization": Route(Organization, "unit", "kind", param="organization_id"),
    "indicators": Route(),
    "indicator": Route(),
    # The figures of a unit: the unit must be in scope (404 outside, as a page's filter).
    "indicator_values": Route(Unit, "", None, param="unit"),
    "indicator_by_commune": Route(Unit, "", None, ids="communes", query={"year": 2023}),
    "programs": Route(Program, "owner_unit", None),
    "program": Route(Program, "owner_unit", None, param="program_id"),
    "registration_periods": Route(RegistrationPeriod, "program__owner_unit", None),
    "registrations": Route(Registration, "organization__unit", "organization__kind"),
    "registration": Route(Registration, "organization__unit", "organization__kind", param="registration_id"),
    "households": Route(Household, "area__parent", None),
    "household": Route(Household, "area__parent", None, param="household_id"),
    "sponsorships": Route(Sponsorship, "household__area__parent", "organization__kind"),
    "fund_entries": Route(FundEntry, "unit", None),
    "initiatives": Route(Initiative, "organization__unit", "organization__kind"),
    "examples": Route(ExemplaryExample, "organization__unit", "organization__kind"),
    "outstanding_areas": Route(OutstandingArea, "area__parent", "organization__kind"),
    "supervisions": Route(Supervision, "lead_organization__unit", "lead_organization__kind"),
}

# The MatrixWorld gives the Front's initiatives and sponsorships to the Youth Union.
MEMBER_OF = {OrgKind.FRONT: OrgKind.YOUTH}


def api_route_names() -> list[str]:
    """The names of the API's routes (namespace api_v1), from the resolver itself."""
    namespace = get_resolver().namespace_dict["api_v1"][1]
    return sorted(
        name
        for name in namespace.reverse_dict
        if isinstance(name, str) and name not in {"openapi-json", "openapi-view", "api-root"}
    )


def record(matrix, route: Route, slug: str, kind: str):
    """The route's record of the commune ``slug`` (of ``kind`` for records of one kind)."""
    commune = matrix.communes[slug]
    if route.model is Unit:
        return commune
    qs = route.model.objects.filter(
        **{f"{route.unit}__path__startswith" if route.unit else "path__startswith": commune.path}
    )
    if route.kind:
        wanted = kind if qs.filter(**{route.kind: kind}).exists() else MEMBER_OF.get(kind, kind)
        qs = qs.filter(**{route.kind: wanted})
    found = qs.order_by("pk").first()
    assert found is not None, f"no {route.model.__name__} of {slug} ({kind}) in the world"
    return found


def test_every_api_route_has_a_line():
    names = api_route_names()
    missing = [f"add a route for {name}" for name in names if name not in ROUTES]
    assert not missing, "\n".join(missing)
    assert not set(ROUTES) - set(names), "lines for routes that no longer exist"


def _ids(body: dict | list, route: Route) -> set[int]:
    rows = body[route.ids] if isinstance(body, dict) else body
    return {row["commune_id" if route.ids == "communes" else "id"] for row in rows}


def check(api_get, matrix, issued, name: str, scope: str) -> list[str]:
    route = ROUTES[name]
    problems = []
    label = f"{name} with the {scope} token"
    (inside_slug, inside_kind), (outside_slug, outside_kind) = SCOPES[scope]
    if route.model is not None and route.kind is None and inside_slug == outside_slug:
        # Records of every kind: the Women's Union sees its commune's, not another commune's.
        outside_slug = "iakla"
    path = (
        reverse(f"api_v1:{name}", kwargs={"code": "poor"} if name == "indicator" else None)
        if (route.param is None or route.param == "unit")
        else None
    )
    if route.model is None:
        response = api_get(issued, path.removeprefix("/api/v1"))
        return [] if response.status_code == 200 else [f"{label}: {response.status_code}"]
    inside = record(matrix, route, inside_slug, inside_kind)
    outside = record(matrix, route, outside_slug, outside_kind)
    if route.param and route.param != "unit":
        for found, expected in ((inside, 200), (outside, 404)):
            url = reverse(f"api_v1:{name}", kwargs={route.param: found.pk}).removeprefix("/api/v1")
            response = api_get(issued, url)
            if response.status_code != expected:
                problems.append(f"{label}: {url} answered {response.status_code}, expected {expected}")
            elif expected == 200 and response.json()["id"] != found.pk:
                problems.append(f"{label}: {url} showed another record")
            elif expected == 404 and response.json()["code"] != "not_found":
                problems.append(f"{label}: {url} answered {response.json()}")
        return problems
    if route.param == "unit":
        for found, expected in ((inside, 200), (outside, 404)):
            response = api_get(issued, path.removeprefix("/api/v1"), unit=found.pk)
            if response.status_code != expected:
                problems.append(f"{label}: unit {found} answered {response.status_code}, expected {expected}")
        return problems
    response = api_get(issued, path.removeprefix("/api/v1"), page_size=500, **(route.query or {}))
    if response.status_code != 200:
        return [f"{label}: answered {response.status_code}"]
    shown = _ids(response.json(), route)
    if inside.pk not in shown:
        problems.append(f"{label}: does not list {route.model.__name__} {inside} inside the scope")
    if outside.pk in shown:
        problems.append(f"{label}: lists {route.model.__name__} {outside} outside the scope")
    return problems


def test_api_matrix(tokens, api_get, matrix, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 10_000
    problems: list[str] = []
    checked = 0
    for name in api_route_names():
        for scope in SCOPES:
            problems += check(api_get, matrix, tokens[scope], name, scope)
            checked += 1
        # The expired token: 401 on every route, before any lookup.
        route = ROUTES[name]
        kwargs = {route.param: 1} if route.param and route.param != "unit" else None
        kwargs = {"code": "poor"} if name == "indicator" else kwargs
        url = reverse(f"api_v1:{name}", kwargs=kwargs).removeprefix("/api/v1")
        response = api_get(tokens["expired"], url)
        if response.status_code != 401 or response.json()["code"] != "token_expired":
            problems.append(f"{name} with the expired token: {response.status_code}")
        checked += 1
    assert not problems, f"{len(problems)} of {checked} cases wrong:\n" + "\n".join(problems)
    assert checked == len(ROUTES) * (len(SCOPES) + 1)
