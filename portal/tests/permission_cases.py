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
3. a write gives ``data=`` a valid form and ``writes=True``, so that "allowed" (``DONE``)
   is checked to have changed rows (each case is rolled back) and a refusal is checked to
   change nothing (test_permission_matrix.snapshot lists the tables compared).

A URL name whose actions need other objects (``registration_transition``) gets more cases
under keys ``"<name>#<variant>"``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from activities.models import (
    ExampleKind,
    ExemplaryExample,
    Initiative,
    InitiativeStatus,
    OutstandingArea,
    Supervision,
    SupervisionArea,
    SupervisionKind,
)
from households import aid, fund, gaps
from households.models import EntryKind, FundEntry, Household, ReviewImport, Sponsorship
from organizations.models import Membership, Organization, OrgKind, Role, Unit, UnitLevel, User
from organizations.services import ensure_organizations
from programs.models import Campaign, ContentKind, DocumentDirection, Program, ProgramContent, ProgramDocument
from registrations import excel, tallies
from registrations.models import (
    ItemKind,
    ItemResult,
    Registration,
    RegistrationItem,
    RegistrationPeriod,
    RegistrationStatus,
)

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
# Who reviews registrations (return, accept, confirm results): the Front's reviewers.
REVIEWERS = USER_MANAGERS
# Who keeps the Front's records (registration periods, commune programs, documents):
# the Front's editors and reviewers in scope.
FRONT_WRITERS = frozenset({ADMIN, "mttq.huyen", "mttq.iadom", "mttq.iakla"})
# Who writes a registration: the editors of the registering organization itself (the
# target registration is that of the role's own organization kind in the commune, so the
# district roles, whose organization is the district's, only read it).
OWN_EDITORS = frozenset({ADMIN, "mttq.iadom", "phunu.iadom", "mttq.iakla"})
# Who writes the records of an organization in scope (initiatives, supervision, examples,
# outstanding areas): any editor or reviewer whose scope covers it; not the leaders.
SCOPE_WRITERS = LOGGED_IN - {"lanhdao"}

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
    organization: Organization  # of the role's kind in the commune
    area2: Unit
    period: RegistrationPeriod  # 2017: draft registrations
    registration: Registration  # draft, one item
    submitted: Registration  # 2018, submitted
    accepted: Registration  # 2019, accepted, one item with evidence
    item: RegistrationItem  # the accepted registration's item (evidence attached)
    unexpected: Organization  # of the commune, not expected to register in ``period``
    model_field: ProgramContent
    content: ProgramContent
    initiative: Initiative
    supervision: Supervision
    example: ExemplaryExample
    outstanding: OutstandingArea
    document: ProgramDocument
    province_program: Program
    household: Household  # of the commune's first area
    member: Organization  # the role's kind, or the Youth Union's for the Front
    sponsorship: Sponsorship  # ``member`` sponsors ``household`` (2023)
    fund_entry: FundEntry  # a receipt in the commune Front's ledger
    batch: ReviewImport  # a review list the superuser uploaded, not applied


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
        # The province's program: the one a commune program sits under.
        self.province_program = Program.objects.create(
            campaign=campaign,
            owner_unit=world.province,
            title="Chương trình phối hợp của tỉnh (ma trận quyền)",
            start_year=2017,
            end_year=2021,
        )
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
            self._records(slug, commune, self.programs[slug], world.admin)

    def _records(self, slug: str, commune: Unit, program: Program, admin: User) -> None:
        """A year of registrations and the activity records of each organization kind."""
        now = timezone.now()
        contents = {
            kind: ProgramContent.objects.create(program=program, kind=kind, order=1, title=f"{kind} {slug}")
            for kind in ContentKind.values
        }
        periods = [
            RegistrationPeriod.objects.create(
                program=program,
                year=year,
                opens_on=datetime.date(year, 1, 1),
                registration_deadline=datetime.date(year, 3, 31),
                results_deadline=datetime.date(year, 12, 15),
            )
            for year in (2017, 2018, 2019)
        ]
        areas = list(Unit.objects.filter(parent=commune, level=UnitLevel.AREA).order_by("pk"))
        ProgramDocument.objects.create(
            program=program,
            direction=DocumentDirection.INCOMING,
            number=f"VB-{slug}/KH",
            issued_on=datetime.date(2018, 2, 1),
            issuing_body="Ủy ban MTTQ",
            subject=f"Văn bản ma trận {slug}",
            attachment=ContentFile(b"%PDF-1.4 ma tran", name=f"vb-{slug}.pdf"),
        )
        household = Household.objects.create(
            area=areas[0], head_name=f"Chủ hộ ma trận {slug}", name_normalized=f"chu ho ma tran {slug}"
        )
        # Written without the services: count the household in the area's summary too.
        gaps.refresh(areas=[areas[0].pk], years=[gaps.EVERY_YEAR])
        FundEntry.objects.create(
            unit=commune,
            kind=EntryKind.RECEIPT,
            date=datetime.date(2021, 11, 18),
            amount=5_000_000,
            donor=f"Nhà hảo tâm {slug}",
        )
        ReviewImport.objects.create(
            commune=commune,
            year=2024,
            file_name="ra-soat.xlsx",
            sha256="0" * 64,
            uploaded_by=admin,
        )
        for year_offset, kind in enumerate(ACCOUNT_KINDS):
            organization = Organization.objects.get(unit=commune, kind=kind)
            draft = Registration.objects.create(period=periods[0], organization=organization)
            RegistrationItem.objects.create(
                registration=draft, order=1, kind=ItemKind.OTHER, description="Tuyên truyền"
            )
            Registration.objects.create(
                period=periods[1],
                organization=organization,
                status=RegistrationStatus.SUBMITTED,
                submitted_at=now,
            )
            accepted = Registration.objects.create(
                period=periods[2],
                organization=organization,
                status=RegistrationStatus.ACCEPTED,
                submitted_at=now,
                accepted_at=now,
            )
            RegistrationItem.objects.create(
                registration=accepted,
                order=1,
                kind=ItemKind.OTHER,
                description="Tuyên truyền",
                evidence=ContentFile(b"%PDF-1.4 minh chung", name=f"minh-chung-{slug}-{kind}.pdf"),
            )
            # Initiatives belong to the five member organizations: the Front's target is the Youth Union's.
            member = (
                organization
                if kind != OrgKind.FRONT
                else Organization.objects.get(unit=commune, kind=OrgKind.YOUTH)
            )
            Initiative.objects.create(
                organization=member,
                field=contents[ContentKind.MODEL_FIELD],
                name=f"Mô hình ma trận {slug} {kind}",
                name_normalized=f"mo hinh ma tran {slug} {kind}",
                start_year=2018,
                status=InitiativeStatus.PLANNED,
            )
            Supervision.objects.create(
                kind=SupervisionKind.SUPERVISION,
                topic=f"Giám sát ma trận {slug} {kind}",
                program_area=SupervisionArea.POVERTY,
                subject="Ủy ban nhân dân",
                held_on=datetime.date(2018, 5, 1),
                lead_organization=organization,
            )
            ExemplaryExample.objects.create(
                kind=ExampleKind.PERSON,
                name=f"Gương ma trận {slug} {kind}",
                name_normalized=f"guong ma tran {slug} {kind}",
                organization=organization,
                field=contents[ContentKind.CONTENT],
                year=2018,
                achievement="Tiêu biểu",
            )
            OutstandingArea.objects.create(
                program=program,
                area=areas[0],
                year=2017 + year_offset,
                organization=organization,
                decision_number=f"QĐ-ma-tran-{slug}-{kind}",
            )
            Sponsorship.objects.create(organization=member, household=household, year=2023)
        # Written without the services: the summaries that the reports and lists read are
        # counted here, as the services count them in their transactions.
        tallies.refresh(
            registrations=Registration.objects.filter(organization__unit=commune).values_list("pk", flat=True)
        )
        gaps.refresh(areas=[areas[0].pk], years=[2023])
        aid.refresh(areas=[areas[0].pk], years=[2023])
        fund.refresh(unit_id=commune.pk, years=[2023])

    def target(self, role: str, in_scope: bool) -> Target:
        slug = ROLE_COMMUNES[role][0 if in_scope else 1]
        key = (slug, ROLE_KIND[role])
        if key not in self._targets:
            self._targets[key] = self._target(slug, ROLE_KIND[role])
        return self._targets[key]

    def _target(self, slug: str, kind: str) -> Target:
        commune = self.communes[slug]
        program = self.programs[slug]
        organization = Organization.objects.get(unit=commune, kind=kind)
        areas = list(Unit.objects.filter(parent=commune, level=UnitLevel.AREA).order_by("pk"))
        registrations = {
            r.period.year: r
            for r in Registration.objects.filter(
                organization=organization, period__program=program
            ).select_related("period")
        }
        member_kind = kind if kind != OrgKind.FRONT else OrgKind.YOUTH
        return Target(
            slug=slug,
            commune=commune,
            area=areas[0],
            program=program,
            account=self.accounts[(slug, kind)],
            front=Organization.objects.get(unit=commune, kind=OrgKind.FRONT),
            organization=organization,
            area2=areas[-1],
            period=registrations[2017].period,
            registration=registrations[2017],
            submitted=registrations[2018],
            accepted=registrations[2019],
            item=registrations[2019].items.get(),
            unexpected=Organization.objects.get(unit=commune, kind=OrgKind.VETERANS),
            model_field=ProgramContent.objects.get(program=program, kind=ContentKind.MODEL_FIELD),
            content=ProgramContent.objects.get(program=program, kind=ContentKind.CONTENT),
            initiative=Initiative.objects.get(organization__unit=commune, organization__kind=member_kind),
            supervision=Supervision.objects.get(lead_organization=organization),
            example=ExemplaryExample.objects.get(organization=organization),
            outstanding=OutstandingArea.objects.get(organization=organization),
            document=ProgramDocument.objects.get(program=program),
            province_program=self.province_program,
            household=Household.objects.get(area__parent=commune),
            member=Organization.objects.get(unit=commune, kind=member_kind),
            sponsorship=Sponsorship.objects.get(
                household__area__parent=commune, organization__kind=member_kind
            ),
            fund_entry=FundEntry.objects.get(unit=commune),
            batch=ReviewImport.objects.get(commune=commune),
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


def form_post(allowed: frozenset) -> ExpectFn:
    """A create form whose posted data names an object of the target's commune: outside
    the scope it is not among the form's choices, so the form comes back with an error."""

    def expect(role: str, in_scope: bool) -> Expect:
        if role == ANON:
            return LOGIN
        if role not in allowed:
            return 403
        return DONE if in_scope or role == ADMIN else 200

    return expect


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


def uploader_only(ok: Expect) -> ExpectFn:
    """A review list being imported: only the one who uploaded it (the superuser) sees it."""

    def expect(role: str, in_scope: bool) -> Expect:
        if role == ANON:
            return LOGIN
        return ok if role == ADMIN else 404

    return expect


def _household_data(t: Target) -> dict:
    return {
        "area": t.area.pk,
        "head_name": "Hộ mới (ma trận)",
        "gender": "",
        "birth_year": 1980,
        "ethnicity": "",
        "members": 4,
        "address": "",
        "phone": "",
        "national_id": "",
        "is_policy": "",
        "policy_kind": "",
        "note": "",
        "version": t.household.version,
    }


TODAY = lambda: timezone.localdate().strftime("%d/%m/%Y")  # noqa: E731


def _initiative_data(t: Target) -> dict:
    return {
        "name": "Mô hình mới (ma trận)",
        "organization": t.initiative.organization_id,
        "field": t.model_field.pk,
        "area": "",
        "start_year": 2018,
        "description": "",
    }


def _supervision_data(t: Target) -> dict:
    return {
        "kind": SupervisionKind.CRITICISM,
        "topic": "Giám sát mới (ma trận)",
        "program_area": SupervisionArea.POVERTY,
        "subject": "Dự thảo",
        "held_on": "01/06/2018",
        "lead_organization": t.organization.pk,
        "findings": "",
        "recommendations": "",
        "response": "",
        "follow_up_status": "none",
        "follow_up_due": "",
    }


def _example_data(t: Target) -> dict:
    return {
        "kind": ExampleKind.HOUSEHOLD,
        "name": "Gương mới (ma trận)",
        "organization": t.organization.pk,
        "field": t.content.pk,
        "year": 2018,
        "achievement": "Tiêu biểu",
        "certificate": "",
        "recognition_level": "",
        "decision_number": "",
        "publicised_in": "",
        "publicised_on": "",
    }


def _outstanding_data(t: Target, record: OutstandingArea | None = None) -> dict:
    return {
        "program": t.program.pk,
        "year": record.year if record else 2020,
        "area": (record.area_id if record else t.area2.pk),
        "organization": t.organization.pk,
        "result": "pending",
        "decision_number": "QĐ mới",
        "note": "",
    }


def _commune_program_data(t: Target) -> dict:
    return {
        "parent": t.province_program.pk,
        "number": "",
        "signed_on": "",
        "title": "Chương trình mới (ma trận)",
        "start_year": 2017,
        "end_year": 2021,
        "purpose": "",
        "requirements": "",
        "implementation": "",
    }


def _document_data(t: Target) -> dict:
    return {
        "program": t.program.pk,
        "direction": DocumentDirection.OUTGOING,
        "number": "99/KH-MT",
        "issued_on": "01/03/2018",
        "issuing_body": "Ủy ban MTTQ",
        "subject": "Văn bản mới (ma trận)",
        "received_on": "",
        "forwarded_to": "",
        "file_number": "",
    }


def _items_data(t: Target) -> dict:
    return {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-kind": ItemKind.OTHER,
        "form-0-description": "Nội dung đã sửa (ma trận)",
    }


def _results_data(t: Target) -> dict:
    prefix = f"item-{t.item.pk}"
    return {
        f"{prefix}-result": ItemResult.PARTLY,
        f"{prefix}-achieved_quantity": "3",
        f"{prefix}-achieved_amount": "",
        f"{prefix}-result_note": "Ma trận",
    }


def _upload_data(t: Target) -> dict:
    content = excel.workbook_bytes(t.registration)
    return {"file": SimpleUploadedFile("bang-dang-ky.xlsx", content)}


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
    # The roles whose list must show the in-scope names (all must hide the others).
    shown_to: frozenset = LOGGED_IN
    # The posted data depends on the target even when the URL does not.
    scoped_data: bool = False
    # A POST answered DONE must have changed data (a redirect after a refused write or a
    # failed validation would otherwise pass for a write).
    writes: bool = False

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
    # The superuser's tree starts at the province and shows the districts, not the communes.
    "organizations:unit_list": Case(
        get=logged_in(200),
        post=logged_in(200),
        shows=lambda t: [t.commune.name],
        shown_to=LOGGED_IN - {ADMIN},
    ),
    "organizations:unit_detail": Case(
        get=scoped(200), post=scoped(200), kwargs=_pk("commune"), shows=lambda t: [t.area.name]
    ),
    "organizations:area_create": Case(
        get=post_only,
        post=scoped(DONE, AREA_MANAGERS),
        kwargs=_pk("commune"),
        data=lambda t: {"name": "Thôn Mới Lập", "kind": "thôn"},
    ),
    "organizations:area_update": Case(
        get=scoped(200, AREA_MANAGERS),
        post=scoped(DONE, AREA_MANAGERS),
        kwargs=_pk("area"),
        data=lambda t: {"name": f"{t.area.name} (đổi tên)", "kind": "làng"},
    ),
    "organizations:area_set_active": Case(
        get=post_only, post=scoped(DONE, AREA_MANAGERS), kwargs=_pk("area"), data=lambda t: {"active": "0"}
    ),
    "organizations:profile": Case(get=logged_in(200), post=logged_in(200)),
    "organizations:password_change": Case(get=logged_in(200), post=logged_in(200)),
    "organizations:account_list": Case(
        get=logged_in(200, USER_MANAGERS),
        post=logged_in(200, USER_MANAGERS),
        shows=lambda t: [t.account.username],
    ),
    "organizations:account_create": Case(
        get=logged_in(200, USER_MANAGERS),
        post=account_create_post,
        scoped_data=True,
        data=lambda t: {
            **_account_data(t),
            "username": f"moi.{t.slug}",
            "password": "Tam-thoi-2017!",
        },
    ),
    "organizations:account_update": Case(
        get=scoped(200, USER_MANAGERS),
        post=scoped(DONE, USER_MANAGERS),
        kwargs=_pk("account"),
        data=_account_data,
    ),
    "organizations:account_set_active": Case(
        get=post_only, post=scoped(DONE, USER_MANAGERS), kwargs=_pk("account"), data=lambda t: {"active": "0"}
    ),
    "organizations:account_reset_password": Case(
        get=post_only, post=scoped(200, USER_MANAGERS), kwargs=_pk("account")
    ),
    # campaigns/urls.py
    "programs:program_list": Case(get=logged_in(200), post=logged_in(200), shows=lambda t: [t.program.title]),
    "programs:program_detail": Case(get=scoped(200), post=scoped(200), kwargs=_pk("program")),
    "registrations:period_list": Case(
        get=logged_in(200), post=logged_in(200), shows=lambda t: [t.program.title]
    ),
    "registrations:period_create": Case(
        get=logged_in(200, FRONT_WRITERS),
        post=form_post(FRONT_WRITERS),
        scoped_data=True,
        writes=True,
        data=lambda t: {
            "program": t.program.pk,
            "year": 2020,
            "opens_on": "01/01/2020",
            "registration_deadline": "31/03/2020",
            "results_deadline": "15/12/2020",
        },
    ),
    "registrations:period_detail": Case(
        get=scoped(200), post=scoped(200), kwargs=_pk("period"), shows=lambda t: [t.organization.name]
    ),
    "registrations:period_close": Case(
        get=post_only,
        post=scoped(DONE, FRONT_WRITERS),
        kwargs=_pk("period"),
        writes=True,
        data=lambda t: {"confirm": "1"},  # without it, the confirm step (no write)
    ),
    "registrations:period_expected": Case(
        get=post_only,
        post=scoped(DONE, FRONT_WRITERS),
        kwargs=_pk("period"),
        writes=True,
        data=lambda t: {"organization": t.unexpected.pk, "reason": "Chi hội mới thành lập"},
    ),
    "registrations:period_accept": Case(
        get=post_only,
        post=scoped(DONE, REVIEWERS),
        kwargs=lambda t: {"pk": t.submitted.period_id},
        writes=True,
        data=lambda t: {"registration": [t.submitted.pk], "confirm": "1"},  # the confirmation step posted
    ),
    "registrations:tracking": Case(get=logged_in(DONE), post=logged_in(DONE)),
    "registrations:registration_list": Case(
        get=logged_in(200), post=logged_in(200), shows=lambda t: [t.organization.name]
    ),
    "registrations:registration_detail": Case(get=scoped(200), post=scoped(200), kwargs=_pk("registration")),
    "registrations:registration_edit": Case(
        get=scoped(200, OWN_EDITORS),
        post=scoped(DONE, OWN_EDITORS),
        kwargs=_pk("registration"),
        writes=True,
        data=_items_data,
    ),
    "registrations:results_edit": Case(
        get=scoped(200, OWN_EDITORS),
        post=scoped(DONE, OWN_EDITORS),
        kwargs=_pk("accepted"),
        writes=True,
        data=_results_data,
    ),
    "registrations:registration_xlsx": Case(get=scoped(200), post=scoped(200), kwargs=_pk("registration")),
    "registrations:registration_print": Case(get=scoped(200), post=scoped(200), kwargs=_pk("registration")),
    "registrations:registration_docx": Case(get=scoped(200), post=scoped(200), kwargs=_pk("registration")),
    "registrations:evidence_download": Case(
        get=scoped(200),
        post=scoped(200),
        kwargs=lambda t: {"pk": t.accepted.pk, "item_pk": t.item.pk},
    ),
    "registrations:registration_upload": Case(
        get=post_only,
        post=scoped(DONE, OWN_EDITORS),
        kwargs=_pk("registration"),
        writes=True,
        data=_upload_data,
    ),
    # Accepting and returning are the Front reviewers'; submitting is the organization's own
    # editors'. ("name#variant" is another case of the same URL name.)
    "registrations:registration_transition": Case(
        get=post_only,
        post=scoped(DONE, REVIEWERS),
        kwargs=lambda t: {"pk": t.submitted.pk, "action": "accept"},
        writes=True,
        data=lambda t: {"confirm": "1"},  # without it, the confirm step (no write)
    ),
    "registrations:registration_transition#return": Case(
        get=post_only,
        post=scoped(DONE, REVIEWERS),
        kwargs=lambda t: {"pk": t.submitted.pk, "action": "return"},
        writes=True,
        data=lambda t: {"reason": "Thiếu nội dung"},
    ),
    "registrations:registration_transition#submit": Case(
        get=post_only,
        post=scoped(DONE, OWN_EDITORS),
        kwargs=lambda t: {"pk": t.registration.pk, "action": "submit"},
        writes=True,
        data=lambda t: {"acknowledge_warnings": "1"},
    ),
    # campaigns/urls_activities.py
    "activities:initiative_list": Case(
        get=logged_in(200), post=logged_in(200), shows=lambda t: [t.initiative.name]
    ),
    "activities:initiative_create": Case(
        get=logged_in(200, SCOPE_WRITERS),
        post=form_post(SCOPE_WRITERS),
        scoped_data=True,
        writes=True,
        data=lambda t: {**_initiative_data(t), "status": InitiativeStatus.RUNNING},
    ),
    "activities:initiative_check": Case(
        get=logged_in(200), post=logged_in(200), shows=lambda t: [t.commune.name]
    ),
    "activities:initiative_detail": Case(get=scoped(200), post=scoped(200), kwargs=_pk("initiative")),
    "activities:initiative_update": Case(
        get=scoped(200, SCOPE_WRITERS),
        post=scoped(DONE, SCOPE_WRITERS),
        kwargs=_pk("initiative"),
        writes=True,
        data=_initiative_data,
    ),
    "activities:initiative_status": Case(
        get=post_only,
        post=scoped(DONE, SCOPE_WRITERS),
        kwargs=_pk("initiative"),
        writes=True,
        data=lambda t: {"status": InitiativeStatus.RUNNING, "changed_on": TODAY(), "reason": ""},
    ),
    "activities:initiative_year": Case(
        get=post_only,
        post=scoped(DONE, SCOPE_WRITERS),
        kwargs=_pk("initiative"),
        writes=True,
        data=lambda t: {"year": 2020, "participants": 12, "households": 5, "value_vnd": 1000000},
    ),
    "activities:supervision_list": Case(
        get=logged_in(200), post=logged_in(200), shows=lambda t: [t.supervision.topic]
    ),
    "activities:supervision_create": Case(
        get=logged_in(200, SCOPE_WRITERS),
        post=form_post(SCOPE_WRITERS),
        scoped_data=True,
        writes=True,
        data=_supervision_data,
    ),
    "activities:supervision_detail": Case(get=scoped(200), post=scoped(200), kwargs=_pk("supervision")),
    "activities:supervision_update": Case(
        get=scoped(200, SCOPE_WRITERS),
        post=scoped(DONE, SCOPE_WRITERS),
        kwargs=_pk("supervision"),
        writes=True,
        data=_supervision_data,
    ),
    "activities:example_list": Case(
        get=logged_in(200), post=logged_in(200), shows=lambda t: [t.example.name]
    ),
    "activities:example_create": Case(
        get=logged_in(200, SCOPE_WRITERS),
        post=form_post(SCOPE_WRITERS),
        scoped_data=True,
        writes=True,
        data=_example_data,
    ),
    "activities:example_detail": Case(get=scoped(200), post=scoped(200), kwargs=_pk("example")),
    "activities:example_update": Case(
        get=scoped(200, SCOPE_WRITERS),
        post=scoped(DONE, SCOPE_WRITERS),
        kwargs=_pk("example"),
        writes=True,
        data=_example_data,
    ),
    "activities:outstanding_list": Case(
        get=logged_in(200), post=logged_in(200), shows=lambda t: [t.outstanding.decision_number]
    ),
    "activities:outstanding_create": Case(
        get=logged_in(200, SCOPE_WRITERS),
        post=form_post(SCOPE_WRITERS),
        scoped_data=True,
        writes=True,
        data=_outstanding_data,
    ),
    # The form is the record's page: those who only read it see it too.
    "activities:outstanding_update": Case(
        get=scoped(200),
        post=scoped(DONE, SCOPE_WRITERS),
        kwargs=_pk("outstanding"),
        writes=True,
        data=lambda t: _outstanding_data(t, t.outstanding),
    ),
    "programs:commune_program_list": Case(
        get=logged_in(200), post=logged_in(200), shows=lambda t: [t.commune.name]
    ),
    "programs:commune_program_create": Case(
        get=scoped(200, FRONT_WRITERS),
        post=scoped(DONE, FRONT_WRITERS),
        kwargs=lambda t: {"commune_pk": t.commune.pk},
        writes=True,
        data=_commune_program_data,
    ),
    "programs:commune_program_update": Case(
        get=scoped(200, FRONT_WRITERS),
        post=scoped(DONE, FRONT_WRITERS),
        kwargs=_pk("program"),
        writes=True,
        data=_commune_program_data,
    ),
    "programs:document_list": Case(
        get=logged_in(200), post=logged_in(200), shows=lambda t: [t.document.subject]
    ),
    "programs:document_create": Case(
        get=logged_in(200, FRONT_WRITERS),
        post=form_post(FRONT_WRITERS),
        scoped_data=True,
        writes=True,
        data=_document_data,
    ),
    "programs:document_update": Case(
        get=scoped(200),
        post=scoped(DONE, FRONT_WRITERS),
        kwargs=_pk("document"),
        writes=True,
        data=_document_data,
    ),
    "programs:document_file": Case(get=scoped(200), post=scoped(200), kwargs=_pk("document")),
    # households/urls.py
    "households:list": Case(get=logged_in(200), post=logged_in(200), shows=lambda t: [t.household.head_name]),
    "households:export": Case(get=logged_in(200), post=logged_in(200)),
    "households:create": Case(
        get=logged_in(200, SCOPE_WRITERS),
        post=form_post(SCOPE_WRITERS),
        scoped_data=True,
        writes=True,
        data=_household_data,
    ),
    "households:detail": Case(get=scoped(200), post=scoped(200), kwargs=_pk("household")),
    "households:update": Case(
        get=scoped(200, SCOPE_WRITERS),
        post=scoped(DONE, SCOPE_WRITERS),
        kwargs=_pk("household"),
        writes=True,
        data=_household_data,
    ),
    "households:status": Case(
        get=scoped(200, SCOPE_WRITERS),
        post=scoped(DONE, SCOPE_WRITERS),
        kwargs=_pk("household"),
        writes=True,
        data=lambda t: {"year": 2024, "status": "near_poor"},
    ),
    "households:sponsor": Case(
        get=scoped(200, SCOPE_WRITERS),
        post=scoped(DONE, SCOPE_WRITERS),
        kwargs=_pk("household"),
        writes=True,
        data=lambda t: {"organization": t.member.pk, "year": 2024, "note": ""},
    ),
    # Sponsors beyond the organizations: the Front of the household's commune mobilizes them.
    "households:other_sponsor": Case(
        get=scoped(200, FRONT_WRITERS),
        post=scoped(DONE, FRONT_WRITERS),
        kwargs=_pk("household"),
        writes=True,
        data=lambda t: {
            "sponsor_name": "Công ty TNHH Cà phê Đức Cơ",
            "sponsor_type": "enterprise",
            "year": 2024,
        },
    ),
    "households:support": Case(
        get=scoped(200, SCOPE_WRITERS),
        post=scoped(DONE, SCOPE_WRITERS),
        kwargs=_pk("household"),
        writes=True,
        data=lambda t: {"kind": "cash", "value": 500000, "sponsorship": "", "note": "", "date": TODAY()},
    ),
    "households:assign": Case(
        get=post_only,
        post=scoped(DONE, SCOPE_WRITERS),
        kwargs=_pk("household"),
        writes=True,
        data=lambda t: {"organization": t.member.pk, "year": 2024},
    ),
    "households:gaps": Case(get=logged_in(200), post=logged_in(200)),
    # A valid review list is the households tests' business; here the form comes back.
    "households:import": Case(get=logged_in(200, SCOPE_WRITERS), post=logged_in(200, SCOPE_WRITERS)),
    "households:import_template": Case(get=logged_in(200), post=logged_in(200)),
    "households:import_preview": Case(get=uploader_only(200), post=uploader_only(200), kwargs=_pk("batch")),
    # The empty file fails to apply: the superuser is sent back to the preview.
    "households:import_confirm": Case(get=post_only, post=uploader_only(DONE), kwargs=_pk("batch")),
    "households:access_log": Case(get=logged_in(200, REVIEWERS), post=logged_in(200, REVIEWERS)),
    # The user's own ledger (a redirect); the superuser, who has none, gets the list.
    "households:fund_home": Case(
        get=lambda role, in_scope: LOGIN if role == ANON else 200 if role == ADMIN else DONE,
        post=lambda role, in_scope: LOGIN if role == ANON else 200 if role == ADMIN else DONE,
    ),
    "households:fund": Case(
        get=scoped(200),
        post=scoped(DONE, FRONT_WRITERS),
        kwargs=lambda t: {"unit": t.commune.pk},
        writes=True,
        # Within the program's years (2017–2021), as the ledger requires.
        data=lambda t: {
            "kind": "receipt",
            "amount": 200000,
            "donor": "Nhà hảo tâm mới",
            "date": "20/12/2021",
        },
        shows=lambda t: [t.fund_entry.donor],
    ),
    "households:fund_export": Case(
        get=scoped(200), post=scoped(200), kwargs=lambda t: {"unit": t.commune.pk}
    ),
    "households:fund_reverse": Case(
        get=scoped(200, FRONT_WRITERS),
        post=scoped(DONE, FRONT_WRITERS),
        kwargs=_pk("fund_entry"),
        writes=True,
        data=lambda t: {"reason": "Ghi nhầm", "date": "20/12/2021"},
    ),
    # reports/urls.py: read-only pages of the user's own scope; a commune filter outside it
    # answers 404 (reports/tests/test_views.py); POST shows the same page.
    "reports:dashboard": Case(get=logged_in(200), post=logged_in(200)),
    "reports:compliance": Case(get=logged_in(200), post=logged_in(200)),
    "reports:report": Case(get=logged_in(200), post=logged_in(200)),
    "reports:report_export": Case(get=logged_in(200), post=logged_in(200)),
    "reports:review": Case(get=logged_in(200), post=logged_in(200), kwargs=lambda t: {"length": 5}),
    "reports:review_export": Case(get=logged_in(200), post=logged_in(200), kwargs=lambda t: {"length": 5}),
    "reports:report_print": Case(get=logged_in(200), post=logged_in(200)),
    "reports:report_docx": Case(get=logged_in(200), post=logged_in(200)),
    "reports:review_print": Case(get=logged_in(200), post=logged_in(200), kwargs=lambda t: {"length": 5}),
    "reports:review_docx": Case(get=logged_in(200), post=logged_in(200), kwargs=lambda t: {"length": 5}),
    # The indicator catalogue: definitions only, the same for everyone logged in.
    "reports:indicators": Case(get=logged_in(200), post=logged_in(200)),
    # The change log: the Front's staff (and the superuser), of the records in their subtree.
    # The newest page of a commune's officer shows its commune's sponsorships (named after
    # the household); a district's newest page is another commune's, so only hidden is checked.
    "reports:audit_log": Case(
        get=logged_in(200, FRONT_WRITERS),
        post=logged_in(200, FRONT_WRITERS),
        shows=lambda t: [t.household.head_name],
        shown_to=frozenset({"mttq.iadom", "mttq.iakla"}),
    ),
}


# ---------------------------------------------------------------- api/urls.py


def _api_token(t: Target) -> dict:
    """A token of the target's organization (of the role's kind in the commune), issued on
    first use by the superuser: the page revokes it."""
    from api import services as api_services
    from api.models import ApiToken

    token = ApiToken.objects.filter(organization=t.organization).first()
    if token is None:
        token, _text = api_services.issue_token(
            name=f"Hệ thống ma trận {t.slug}",
            organization=t.organization,
            expires_on=timezone.localdate() + datetime.timedelta(days=30),
            personal_data=False,
            by=User.objects.get(username=ADMIN),
        )
    return {"pk": token.pk}


# The token pages: the Front's reviewers (and the superuser), for the organizations of their
# subtree. Issuing leads to the page that shows the token once; with no token just issued,
# that page sends back to the list.
CASES["api:token_list"] = Case(get=logged_in(200, REVIEWERS), post=logged_in(200, REVIEWERS))
CASES["api:token_issued"] = Case(get=logged_in(DONE, REVIEWERS), post=post_only)
CASES["api:token_create"] = Case(
    get=logged_in(200, REVIEWERS),
    post=form_post(REVIEWERS),
    scoped_data=True,
    writes=True,
    data=lambda t: {
        "name": "Cơ sở dữ liệu giảm nghèo (ma trận)",
        "organization": t.organization.pk,
        "expires_on": (timezone.localdate() + datetime.timedelta(days=30)).strftime("%d/%m/%Y"),
        "personal_data": "",
    },
)
CASES["api:token_revoke"] = Case(get=post_only, post=scoped(DONE, REVIEWERS), kwargs=_api_token, writes=True)
# The API itself answers a token, not a session: without one every route answers 401 in
# JSON, whoever is logged in (api/tests/test_api_matrix.py checks every route with tokens of
# each scope); it is read-only, so any POST answers 405 (its schema and docs page too).
# The schema, the docs page and the root (which says where they are) are public.
API_ROUTES: dict[str, Callable[[Target], dict] | None] = {
    "units": None,
    "unit": lambda t: {"unit_id": t.commune.pk},
    "organizations": None,
    "organization": lambda t: {"organization_id": t.organization.pk},
    "indicators": None,
    "indicator_values": None,
    "indicator_by_commune": None,
    "indicator": lambda t: {"code": "poor"},
    "programs": None,
    "program": lambda t: {"program_id": t.program.pk},
    "registration_periods": None,
    "registrations": None,
    "registration": lambda t: {"registration_id": t.registration.pk},
    "households": None,
    "household": lambda t: {"household_id": t.household.pk},
    "sponsorships": None,
    "fund_entries": None,
    "initiatives": None,
    "examples": None,
    "outstanding_areas": None,
    "supervisions": None,
}
for _name, _kwargs in API_ROUTES.items():
    CASES[f"api_v1:{_name}"] = Case(get=everyone(401), post=everyone(405), kwargs=_kwargs)
CASES["api_v1:openapi-json"] = Case(get=everyone(200), post=everyone(405))
CASES["api_v1:openapi-view"] = Case(get=everyone(200), post=everyone(405))
CASES["api_v1:api-root"] = Case(get=everyone(200), post=everyone(405))


# ---------------------------------------------------------------- jobs/ (Tệp của tôi)
def _job(status: str):
    """A background file of the target's own account: nobody else may reach it, not even
    the superuser (404 for all), since a file is its owner's alone."""

    def kwargs(t: Target) -> dict:
        from jobs.models import Job

        job, _created = Job.objects.get_or_create(
            user=t.account,
            status=status,
            defaults={
                "runner": "households.jobs.household_list",
                "title": f"Danh sách hộ ({t.slug})",
                "file": "jobs/ma-tran.xlsx" if status == "done" else "",
            },
        )
        return {"pk": job.pk}

    return kwargs


def _owner_only(role: str, in_scope: bool) -> Expect:
    return LOGIN if role == ANON else 404


CASES["jobs:my_files"] = Case(get=logged_in(200), post=logged_in(200))
CASES["jobs:status"] = Case(get=logged_in(200), post=logged_in(200))
# Owner-only: no role of the table owns the target's files (portal/tests/test_request_ids.py
# leaves them to jobs/tests, which send bad ids as the owner).
OWNER_ONLY = frozenset({"jobs:download", "jobs:retry"})
CASES["jobs:download"] = Case(get=_owner_only, post=_owner_only, kwargs=_job("done"))
CASES["jobs:retry"] = Case(get=post_only, post=_owner_only, kwargs=_job("failed"))
