"""The permission matrix's table (used by test_permission_matrix.py).

For every URL name of the project: how to build its kwargs from an object inside or
outside a role's scope, what to POST, and the answer each role gets for GET and POST.
A URL name missing here fails the matrix with "add a case for <name>", so a new view
cannot be forgotten: when you add a view, add its line to ``CASES``.

Expected answers:

- ``200``, ``403``, ``404``, ``405``: that status code;
- ``LOGIN``: a redirect to the login page;
- ``DONE``: a redirect elsewhere (a write that succeeded, a logged-in user sent home).

Each role has a target inside its scope and one outside (``MatrixWorld.target``): the
commune, one of its residential areas, its Front's program, and an account of the role's
own organization kind there. The district roles' outside target is a commune of another
district (Chư Prông), which the ``world`` fixture alone does not have.

Adding a view (say ``registration_detail`` on a registration):

1. in ``MatrixWorld.__init__`` make one registration per commune (``self.communes``), of
   the kinds the roles need, and give ``Target`` a ``registration`` field filled in
   ``_target``;
2. add ``"registration_detail": Case(get=scoped(200), post=..., kwargs=_pk("registration"))``;
   a list gives ``shows=lambda t: [t.registration.<name shown in the list>]`` so that the
   out-of-scope one is checked absent and the in-scope one present;
3. a write gives ``data=`` a valid form, so that "allowed" means the write really happens
   (each case is rolled back) and a refusal is checked to change nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from campaigns.models import Campaign, Program
from organizations.models import Membership, Organization, OrgKind, Role, Unit, UnitLevel, User
from organizations.services import ensure_organizations

LOGIN = "LOGIN"
DONE = "DONE"

ANON = "anonymous"
ADMIN = "admin"
ROLES = [ANON, ADMIN, "mttq.huyen", "nongdan.huyen", "mttq.iadom", "phunu.iadom", "mttq.iakla", "lanhdao"]
LOGGED_IN = frozenset(ROLES) - {ANON}
# Who may add, rename and retire the residential areas of a commune in their scope.
AREA_MANAGERS = frozenset({ADMIN, "mttq.huyen", "mttq.iadom", "phunu.iadom", "mttq.iakla"})
# Who manages accounts: the Front's reviewers (and the superuser).
USER_MANAGERS = frozenset({ADMIN, "mttq.huyen"})

# The organization kind of each role; a role's target account belongs to that kind.
ROLE_KIND = {
    ANON: OrgKind.FRONT,
    ADMIN: OrgKind.FRONT,
    "mttq.huyen": OrgKind.FRONT,
    "nongdan.huyen": OrgKind.FARMERS,
    "mttq.iadom": OrgKind.FRONT,
    "phunu.iadom": OrgKind.WOMEN,
    "mttq.iakla": OrgKind.FRONT,
    "lanhdao": OrgKind.FRONT,
}
# (commune inside the scope, commune outside it), by the World's attribute or "iapuch".
ROLE_COMMUNES = {
    ANON: ("iadom", "iakla"),
    ADMIN: ("iadom", "iapuch"),
    "mttq.huyen": ("iadom", "iapuch"),
    "nongdan.huyen": ("iadom", "iapuch"),
    "mttq.iadom": ("iadom", "iakla"),
    "phunu.iadom": ("iadom", "iakla"),
    "mttq.iakla": ("iakla", "iadom"),
    "lanhdao": ("iadom", "iapuch"),
}
ACCOUNT_KINDS = {OrgKind.FRONT: "front", OrgKind.FARMERS: "farmers", OrgKind.WOMEN: "women"}


@dataclass(frozen=True)
class Target:
    """The objects of one commune that a URL can point at."""

    slug: str
    commune: Unit
    area: Unit
    program: Program
    account: User
    front: Organization


class MatrixWorld:
    """The ``world`` fixture plus another district, a program and accounts per commune."""

    def __init__(self, world):
        self.world = world
        self._targets: dict[tuple[str, str], Target] = {}
        other_district = Unit.objects.create(
            name="Huyện Chư Prông", level=UnitLevel.DISTRICT, parent=world.province
        )
        iapuch = Unit.objects.create(
            name="Xã Ia Púch", level=UnitLevel.COMMUNE, parent=other_district, kind="xã"
        )
        Unit.objects.create(name="Làng Bang", level=UnitLevel.AREA, parent=iapuch)
        for unit in (other_district, *Unit.objects.filter(parent=iapuch), iapuch):
            ensure_organizations(unit)
        campaign = Campaign.objects.create(name="Cuộc vận động (ma trận quyền)")
        self.communes = {"iadom": world.iadom, "iakla": world.iakla, "iapuch": iapuch}
        self.accounts: dict[tuple[str, str], User] = {}
        self.programs: dict[str, Program] = {}
        for slug, commune in self.communes.items():
            self.programs[slug] = Program.objects.create(
                campaign=campaign,
                owner_unit=commune,
                title=f"Chương trình phối hợp của {commune.name}",
                start_year=2017,
                end_year=2021,
            )
            for kind, prefix in ACCOUNT_KINDS.items():
                account = User.objects.create_user(
                    username=f"{prefix}.{slug}", full_name=f"Cán bộ {prefix}.{slug}", password=None
                )
                organization = Organization.objects.get(unit=commune, kind=kind)
                Membership.objects.create(user=account, organization=organization, role=Role.EDITOR)
                self.accounts[(slug, kind)] = account

    def target(self, role: str, in_scope: bool) -> Target:
        slug = ROLE_COMMUNES[role][0 if in_scope else 1]
        key = (slug, ROLE_KIND[role])
        if key not in self._targets:
            self._targets[key] = self._target(slug, ROLE_KIND[role])
        return self._targets[key]

    def _target(self, slug: str, kind: str) -> Target:
        commune = self.communes[slug]
        return Target(
            slug=slug,
            commune=commune,
            area=Unit.objects.filter(parent=commune, level=UnitLevel.AREA).order_by("pk").first(),
            program=self.programs[slug],
            account=self.accounts[(slug, kind)],
            front=Organization.objects.get(unit=commune, kind=OrgKind.FRONT),
        )


# ---------------------------------------------------------------- expectations

Expect = int | str
ExpectFn = Callable[[str, bool], Expect]


def scoped(ok: Expect, allowed: frozenset = LOGGED_IN) -> ExpectFn:
    """A view on one object: login first, then 404 outside scope, then 403 unless allowed."""

    def expect(role: str, in_scope: bool) -> Expect:
        if role == ANON:
            return LOGIN
        if not in_scope and role != ADMIN:
            return 404
        return ok if role in allowed else 403

    return expect


def logged_in(ok: Expect, allowed: frozenset = LOGGED_IN) -> ExpectFn:
    """A view on no object: login first, then 403 unless allowed."""

    def expect(role: str, in_scope: bool) -> Expect:
        if role == ANON:
            return LOGIN
        return ok if role in allowed else 403

    return expect


def post_only(role: str, in_scope: bool) -> Expect:
    """A GET to a POST-only view: login first, then 405 (before any lookup)."""
    return LOGIN if role == ANON else 405


def everyone(answer: Expect) -> ExpectFn:
    return lambda role, in_scope: answer


def anonymous_or(anonymous: Expect, others: Expect) -> ExpectFn:
    return lambda role, in_scope: anonymous if role == ANON else others


def account_create_post(role: str, in_scope: bool) -> Expect:
    """The organization is posted, not in the URL: one outside the reviewer's scope is not
    among the form's choices, so the form is shown again with an error (200)."""
    if role == ANON:
        return LOGIN
    if role not in USER_MANAGERS:
        return 403
    return DONE if in_scope or role == ADMIN else 200


# ---------------------------------------------------------------- the table


def _pk(attr: str) -> Callable[[Target], dict]:
    return lambda t: {"pk": getattr(t, attr).pk}


def _account_data(t: Target) -> dict:
    return {
        "full_name": "Họ và tên mới",
        "email": "",
        "organization": t.front.pk,
        "role": Role.EDITOR,
        "title": "",
    }


@dataclass(frozen=True)
class Case:
    get: ExpectFn
    post: ExpectFn
    # URL kwargs from a target; None when the URL takes none.
    kwargs: Callable[[Target], dict] | None = None
    # What to POST (a valid form, so that "allowed" means the write happens).
    data: Callable[[Target], dict] = field(default=lambda t: {})
    # A list: names it shows of a target; those of the out-of-scope target must not appear.
    shows: Callable[[Target], list[str]] | None = None
    # The posted data depends on the target even when the URL does not.
    scoped_data: bool = False

    @property
    def scoped(self) -> bool:
        return self.kwargs is not None or self.scoped_data

    def expect(self, method: str, role: str, in_scope: bool) -> Expect:
        return (self.get if method == "get" else self.post)(role, in_scope)


CASES: dict[str, Case] = {
    # portal/urls.py
    "home": Case(
        get=logged_in(200),
        post=logged_in(200),
        shows=lambda t: [t.commune.name, t.program.title],
    ),
    "healthz": Case(get=everyone(200), post=everyone(200)),
    "login": Case(get=anonymous_or(200, DONE), post=anonymous_or(200, DONE)),
    "logout": Case(get=everyone(405), post=everyone(LOGIN)),
    # organizations/urls.py
    "unit_list": Case(get=logged_in(200), post=logged_in(200), shows=lambda t: [t.commune.name]),
    "unit_detail": Case(
        get=scoped(200), post=scoped(200), kwargs=_pk("commune"), shows=lambda t: [t.area.name]
    ),
    "area_create": Case(
        get=post_only,
        post=scoped(DONE, AREA_MANAGERS),
        kwargs=_pk("commune"),
        data=lambda t: {"name": "Thôn Mới Lập", "kind": "thôn"},
    ),
    "area_update": Case(
        get=scoped(200, AREA_MANAGERS),
        post=scoped(DONE, AREA_MANAGERS),
        kwargs=_pk("area"),
        data=lambda t: {"name": f"{t.area.name} (đổi tên)", "kind": "làng"},
    ),
    "area_set_active": Case(
        get=post_only, post=scoped(DONE, AREA_MANAGERS), kwargs=_pk("area"), data=lambda t: {"active": "0"}
    ),
    "profile": Case(get=logged_in(200), post=logged_in(200)),
    "password_change": Case(get=logged_in(200), post=logged_in(200)),
    "account_list": Case(
        get=logged_in(200, USER_MANAGERS),
        post=logged_in(200, USER_MANAGERS),
        shows=lambda t: [t.account.username],
    ),
    "account_create": Case(
        get=logged_in(200, USER_MANAGERS),
        post=account_create_post,
        scoped_data=True,
        data=lambda t: {
            **_account_data(t),
            "username": f"moi.{t.slug}",
            "password": "Tam-thoi-2017!",
        },
    ),
    "account_update": Case(
        get=scoped(200, USER_MANAGERS),
        post=scoped(DONE, USER_MANAGERS),
        kwargs=_pk("account"),
        data=_account_data,
    ),
    "account_set_active": Case(
        get=post_only, post=scoped(DONE, USER_MANAGERS), kwargs=_pk("account"), data=lambda t: {"active": "0"}
    ),
    "account_reset_password": Case(get=post_only, post=scoped(200, USER_MANAGERS), kwargs=_pk("account")),
    # campaigns/urls.py
    "program_list": Case(get=logged_in(200), post=logged_in(200), shows=lambda t: [t.program.title]),
    "program_detail": Case(get=scoped(200), post=scoped(200), kwargs=_pk("program")),
    # reports/urls.py: read-only pages of the user's own scope; a commune filter outside it
    # answers 404 (reports/tests/test_views.py); POST shows the same page.
    "dashboard": Case(get=logged_in(200), post=logged_in(200)),
    "compliance": Case(get=logged_in(200), post=logged_in(200)),
    "report": Case(get=logged_in(200), post=logged_in(200)),
    "report_export": Case(get=logged_in(200), post=logged_in(200)),
    "review": Case(get=logged_in(200), post=logged_in(200), kwargs=lambda t: {"length": 5}),
    "review_export": Case(get=logged_in(200), post=logged_in(200), kwargs=lambda t: {"length": 5}),
}
