"""The 2017 coordination program of Đức Cơ district (seed document), as demo data."""

import datetime
import random

from django.utils import timezone

from organizations.models import Organization, OrgKind, Unit, User
from programs.models import Assignment, Campaign, ContentKind, Program, ProgramContent, ProgramParty
from registrations import tallies
from registrations.models import (
    InitiativeNovelty,
    ItemKind,
    ItemResult,
    Registration,
    RegistrationAction,
    RegistrationEvent,
    RegistrationItem,
    RegistrationPeriod,
    RegistrationStatus,
    ResultsStatus,
)
from registrations.services import expected_organizations, snapshot

CAMPAIGN = "Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh"

LEGAL_BASES = """Công văn số 1002/MTTQ-BTT, ngày 12/5/2017 của Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh Gia Lai về việc đăng ký nội dung thực hiện Cuộc vận động "Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh"
Chương trình phối hợp số 926/CTPH-MTTQ-TCCTXH, ngày 02/3/2017 của Ủy ban MTTQ Việt Nam và các tổ chức Chính trị - Xã hội tỉnh Gia Lai
Kế hoạch số 95/KH-UBND, ngày 24/10/2016 của Ủy ban nhân dân huyện Đức Cơ về phong trào thi đua Đức Cơ chung sức xây dựng nông thôn mới giai đoạn 2016 - 2020
Kế hoạch số 38/KH-MTTQ-BTT, ngày 17/3/2017 của Ban Thường trực Ủy ban MTTQ Việt Nam huyện về triển khai Cuộc vận động"""

PURPOSE = """Tạo sự thống nhất giữa Mặt trận Tổ quốc với các tổ chức Chính trị - Xã hội trong phối hợp thực hiện Cuộc vận động, tránh chồng chéo và đảm bảo thiết thực, hiệu quả.
Thống nhất phân công từng tổ chức Chính trị - Xã hội đảm nhiệm phụ trách từng nội dung cụ thể gắn với các phong trào, cuộc vận động và các hoạt động do các tổ chức chủ trì thực hiện ở địa bàn dân cư.
Thông qua việc phối hợp tổ chức thực hiện góp phần nâng cao chất lượng, hiệu quả Cuộc vận động."""

REQUIREMENTS = """Phát huy tính chủ động, tính sáng tạo của Ban Thường trực Ủy ban MTTQ Việt Nam và các tổ chức Chính trị - Xã hội các cấp trong việc tổ chức triển khai thực hiện Cuộc vận động.
Thông qua hiệp thương thống nhất để có cơ sở đánh giá nội dung, nhiệm vụ và đóng góp cụ thể của mỗi tổ chức; Ủy ban MTTQ Việt Nam cùng cấp theo dõi, tổng hợp và đánh giá kết quả thực hiện."""

IMPLEMENTATION = """Ban Thường trực Ủy ban MTTQ Việt Nam huyện và các tổ chức Chính trị - xã hội chủ động hướng dẫn trong hệ thống của mình phối hợp triển khai Chương trình.
Hàng năm các đơn vị xây dựng kế hoạch, lựa chọn nội dung đăng ký và báo cáo kết quả về Ban Thường trực Ủy ban MTTQ Việt Nam huyện (có bảng đăng ký kèm theo). Sơ kết 3 năm, tổng kết 5 năm.
Ban Thường trực Ủy ban MTTQ Việt Nam các xã, thị trấn chủ trì hiệp thương với các tổ chức Chính trị - xã hội cùng cấp xây dựng chương trình phối hợp tại cơ sở.
Văn phòng Ủy ban MTTQ Việt Nam huyện và các tổ chức Chính trị - xã hội huyện theo dõi, tham mưu, hướng dẫn, kiểm tra việc thực hiện."""

# The campaign's five official contents (Thông tri 10/TTr-MTTW-BTT, 08/07/2016).
CONTENTS = [
    (
        "Đoàn kết phát triển kinh tế, giúp nhau giảm nghèo bền vững, làm giàu hợp pháp",
        'Thực phẩm an toàn, Quỹ "Vì người nghèo", hợp tác xã kiểu mới, chuỗi liên kết sản xuất.',
    ),
    (
        "Đoàn kết xây dựng đời sống văn hóa ở khu dân cư",
        "Giáo dục, y tế, gia đình văn hóa, đền ơn đáp nghĩa, tương thân tương ái.",
    ),
    ("Đoàn kết bảo vệ môi trường, ứng phó với biến đổi khí hậu", "Sáng - xanh - sạch - đẹp."),
    ("Đoàn kết chấp hành pháp luật, giữ gìn trật tự an toàn xã hội", ""),
    ("Đoàn kết phát huy dân chủ, tăng cường giám sát và phản biện xã hội", ""),
]

# The seed's "05 nội dung" for models (II.1.3).
MODEL_FIELDS = [
    "Nuôi trồng, sản xuất, kinh doanh, sử dụng thực phẩm an toàn",
    "Liên kết sản xuất, kinh doanh",
    "Giúp nhau phát triển kinh tế",
    "Xây dựng hợp tác xã kiểu mới",
    "Bảo vệ môi trường, an ninh trật tự",
]

ASSIGNMENTS = {
    OrgKind.LABOR: (
        "Triển khai Cuộc vận động tại các cơ quan, đơn vị, doanh nghiệp. Xây dựng mô hình gắn với xây dựng đời sống văn hóa trong các cơ quan, đơn vị, doanh nghiệp. Hướng dẫn chỉ đạo mỗi cấp công đoàn xây dựng các mô hình trong thực hiện Cuộc vận động.",
        "Mái ấm Công đoàn",
    ),
    OrgKind.FARMERS: (
        "Thực hiện Phong trào nông dân thi đua sản xuất kinh doanh giỏi, đoàn kết giúp nhau làm giàu và giảm nghèo bền vững; phối hợp với Liên minh hợp tác xã và các cơ quan chuyên môn của huyện vận động xây dựng các mô hình liên kết sản xuất, mô hình hợp tác xã kiểu mới; xây dựng mô hình phát triển kinh tế bền vững.",
        "Nông dân sản xuất kinh doanh giỏi\nHợp tác xã kiểu mới\nChuỗi liên kết sản xuất",
    ),
    OrgKind.WOMEN: (
        'Vận động hội viên phụ nữ phát huy giá trị truyền thống tốt đẹp, thực hiện chiến lược gia đình Việt Nam, xây dựng gia đình no ấm, tiến bộ, hạnh phúc và Cuộc vận động "Xây dựng gia đình 5 không, 3 sạch" gắn với xây dựng nông thôn mới, đô thị văn minh. Hướng dẫn các cơ sở Hội xây dựng mô hình "Hàng rào xanh", "Con đường hoa".',
        "Gia đình 5 không, 3 sạch\nHàng rào xanh\nCon đường hoa",
    ),
    OrgKind.YOUTH: (
        "Thực hiện các hoạt động bảo vệ môi trường; giữ gìn an ninh trật tự. Hướng dẫn các cấp bộ đoàn và chi đoàn ở khu dân cư xây dựng các mô hình về bảo vệ môi trường, về phòng, chống tội phạm và tệ nạn xã hội ở khu dân cư.",
        "Tuổi trẻ chung tay xây dựng nông thôn mới\nNgày chủ nhật xanh",
    ),
    OrgKind.VETERANS: (
        'Tuyên truyền, giáo dục pháp luật, truyền thống quê hương, đất nước; thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc, gắn với Phong trào "Cựu chiến binh gương mẫu", "Cựu chiến binh giúp nhau giảm nghèo, làm kinh tế giỏi"; nhận giúp đỡ cảm hóa con, em hội viên vi phạm pháp luật tiến bộ, hoàn lương.',
        "CCB giúp nhau giảm nghèo, làm kinh tế giỏi\nQuỹ đồng đội",
    ),
}

PARTIES = [
    (OrgKind.LABOR, "TM. Ban Thường vụ Liên đoàn Lao động huyện", "Lê Tuấn Hoạch"),
    (OrgKind.FRONT, "TM. Ban Thường trực Ủy ban MTTQ Việt Nam huyện", "Rơ Lan Châu"),
    (OrgKind.FARMERS, "TM. Ban Thường vụ Hội Nông dân huyện", "Nô Minh Khôi"),
    (OrgKind.WOMEN, "TM. Ban Thường vụ Hội Liên hiệp Phụ nữ huyện", "Rơ Ô H' Rin"),
    (OrgKind.YOUTH, "TM. Ban Thường vụ Đoàn TNCS HCM huyện", "Lê Trọng Phước"),
    (OrgKind.VETERANS, "TM. Ban Thường vụ Hội Cựu chiến binh huyện", "Trần Văn Sỹ"),
]


def load(context: dict) -> None:
    district = context["district"]
    campaign, _ = Campaign.objects.get_or_create(
        name=CAMPAIGN,
        defaults={
            "launched_by": "Ủy ban Trung ương MTTQ Việt Nam",
            "legal_basis": "Thông tri số 10/TTr-MTTW-BTT ngày 08/07/2016",
        },
    )
    program, created = Program.objects.get_or_create(
        owner_unit=district,
        number="01/CTPH-MTTQ-TCCTXH",
        defaults={
            "campaign": campaign,
            "signed_on": datetime.date(2017, 7, 21),
            "title": f'Chương trình phối hợp triển khai thực hiện Cuộc vận động "{CAMPAIGN}"',
            "legal_bases": LEGAL_BASES,
            "purpose": PURPOSE,
            "requirements": REQUIREMENTS,
            "implementation": IMPLEMENTATION,
            "start_year": 2017,
            "end_year": 2021,
            "received_on": datetime.date(2017, 7, 21),
        },
    )
    context["program"] = program
    if created:
        _load_program_lists(program, district)
    _load_registrations(program)
    tallies.rebuild()  # the items were bulk-created past the services
    _load_activities(context)
    _records_from_registrations(program)


def add_contents_and_assignments(program) -> None:
    """The 2017 program's contents, model fields and assignments (the benchmark's too)."""
    ProgramContent.objects.bulk_create(
        [
            ProgramContent(program=program, kind=ContentKind.CONTENT, order=i, title=t, description=d)
            for i, (t, d) in enumerate(CONTENTS, start=1)
        ]
        + [
            ProgramContent(program=program, kind=ContentKind.MODEL_FIELD, order=i, title=t)
            for i, t in enumerate(MODEL_FIELDS, start=1)
        ]
    )
    Assignment.objects.bulk_create(
        [
            Assignment(program=program, organization_kind=kind, text=text, suggested_models=models)
            for kind, (text, models) in ASSIGNMENTS.items()
        ]
    )


def _load_program_lists(program, district) -> None:
    add_contents_and_assignments(program)
    orgs = {o.kind: o for o in Organization.objects.filter(unit=district)}
    ProgramParty.objects.bulk_create(
        [
            ProgramParty(program=program, organization=orgs[kind], signing_body=body, signatory=name, order=i)
            for i, (kind, body, name) in enumerate(PARTIES)
        ]
    )


# ---------------------------------------------------------------- registrations 2017–2021

# Closed years are fully reviewed; 2020 is in its results round; 2021 is being registered.
CLOSED_YEARS = (2017, 2018, 2019)
DEMO_YEARS = range(2017, 2022)
# The journey of the browser test starts from this empty draft.
EMPTY_DRAFT = (2021, "Xã Ia Dom", OrgKind.WOMEN)
NO_OUTSTANDING_AREA = (2021, 23881)  # (year, commune code)

CONTENT_WORK = [
    "Vận động hội viên phát triển kinh tế hộ gia đình, giúp nhau giảm nghèo",
    "Xây dựng gia đình văn hóa, khu dân cư văn hóa",
    "Ra quân vệ sinh môi trường, trồng cây xanh trên các tuyến đường",
    "Tuyên truyền pháp luật, phòng chống tội phạm và tệ nạn xã hội",
    "Tham gia giám sát việc bình xét hộ nghèo, hộ cận nghèo",
]
COMMUNICATION = "Tuyên truyền gương điển hình tiên tiến trên loa truyền thanh xã"
SUPERVISION = "Giám sát việc sử dụng vốn hỗ trợ sản xuất cho hộ nghèo"


def _at(year: int, month: int, day: int, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour, 0))


def _demo_items(registration, program, contents, fields, areas, rng) -> list[RegistrationItem]:
    org = registration.organization
    suggested = [
        m
        for m in (
            Assignment.objects.filter(program=program, organization_kind=org.kind)
            .values_list("suggested_models", flat=True)
            .first()
            or ""
        ).splitlines()
        if m
    ]
    items = []

    def add(**kw):
        items.append(RegistrationItem(registration=registration, order=len(items) + 1, **kw))

    content = contents[rng.randrange(len(contents))]
    add(
        kind=ItemKind.CONTENT,
        description=CONTENT_WORK[content.order - 1],
        content=content,
        target_quantity=rng.choice([2, 4, 6]),
        target_unit="buổi",
    )
    if org.kind != OrgKind.FRONT:
        add(
            kind=ItemKind.INITIATIVE,
            description="Duy trì và nhân rộng mô hình",
            initiative_name=suggested[rng.randrange(len(suggested))]
            if suggested
            else "Mô hình tự quản khu dân cư",
            novelty=rng.choice([InitiativeNovelty.NEW, InitiativeNovelty.CONTINUING]),
            initiative_field=fields[rng.randrange(len(fields))],
            area=areas[0] if areas else None,
            target_quantity=1,
            target_unit="mô hình",
        )
    if areas:
        area = areas[rng.randrange(len(areas))]
        # Ia Pnôn registers no outstanding area for 2021: the rule-2 check shows the gap.
        if (registration.period.year, org.unit.official_code) != NO_OUTSTANDING_AREA:
            add(kind=ItemKind.OUTSTANDING_AREA, description="Xây dựng khu dân cư kiểu mẫu", area=area)
        for area in areas[: rng.choice([1, 2])]:
            add(
                kind=ItemKind.SPONSORSHIP_PLEDGE,
                description=f"Nhận giúp đỡ hộ nghèo tại {area.name}",
                area=area,
                households_pledged=rng.randint(
                    program.min_households_per_branch, program.max_households_per_branch
                ),
            )
    add(
        kind=ItemKind.FUND_TARGET,
        description='Vận động ủng hộ Quỹ "Vì người nghèo"',
        amount=rng.choice([5, 10, 15, 20]) * 1_000_000,
    )
    if rng.random() < 0.5:
        add(
            kind=ItemKind.COMMUNICATION, description=COMMUNICATION, target_quantity=12, target_unit="tin, bài"
        )
    if org.kind == OrgKind.FRONT or rng.random() < 0.3:
        add(kind=ItemKind.SUPERVISION, description=SUPERVISION, target_quantity=1, target_unit="cuộc")
    return items


def _give_results(items, rng, unmet_share=0.2) -> None:
    for item in items:
        roll = rng.random()
        item.result = (
            ItemResult.NOT_ACHIEVED
            if roll < unmet_share / 2
            else ItemResult.PARTLY
            if roll < unmet_share
            else ItemResult.ACHIEVED
        )
        share = {ItemResult.ACHIEVED: 1, ItemResult.PARTLY: 0.5, ItemResult.NOT_ACHIEVED: 0}[item.result]
        if item.amount is not None:
            item.achieved_amount = int(item.amount * share)
        elif item.target_quantity is not None:
            item.achieved_quantity = int(item.target_quantity * share)
        item.result_note = (
            "Hoàn thành theo kế hoạch"
            if item.result == ItemResult.ACHIEVED
            else "Chưa hoàn thành do thiếu nguồn lực"
        )


def _load_registrations(program: Program) -> None:
    if program.contents.count() == 0:
        return
    reviewer = User.objects.filter(username="mttq.huyen").first()
    contents = list(program.contents.filter(kind=ContentKind.CONTENT))
    fields = list(program.contents.filter(kind=ContentKind.MODEL_FIELD))
    for year in DEMO_YEARS:
        if program.start_year > year or program.end_year < year:
            continue
        if RegistrationPeriod.objects.filter(program=program, year=year).exists():
            continue  # idempotent: a year is loaded whole or not at all
        deadline = datetime.date(year, 3, 31)
        period = RegistrationPeriod.objects.create(
            program=program,
            year=year,
            opens_on=datetime.date(year, 1, 15),
            registration_deadline=deadline,
            results_deadline=datetime.date(year, 12, 15),
            closed_at=_at(year + 1, 1, 20) if year in CLOSED_YEARS else None,
            closed_by=reviewer if year in CLOSED_YEARS else None,
        )
        orgs = list(expected_organizations(program).select_related("unit"))
        areas_by_unit: dict[int, list[Unit]] = {}
        for area in (
            Unit.objects.areas().active().filter(parent__in={o.unit_id for o in orgs}).order_by("name")
        ):
            areas_by_unit.setdefault(area.parent_id, []).append(area)
        registrations, all_items, events = [], [], []
        for org in orgs:
            rng = random.Random(f"{year}-{org.unit.name}-{org.kind}")
            reg = Registration(period=period, organization=org, updated_by=reviewer)
            if (year, org.unit.name, org.kind) == EMPTY_DRAFT:
                registrations.append((reg, [], []))
                continue
            roll = rng.random()
            submitted_at = (
                _at(year, 3, rng.randint(1, 31)) if roll < 0.85 else _at(year, 4, rng.randint(1, 20))
            )
            if roll > 0.95:
                registrations.append((reg, [], []))  # never submitted: still missing
                continue
            items = _demo_items(reg, program, contents, fields, areas_by_unit.get(org.unit_id, []), rng)
            history = [
                (RegistrationAction.SAVED, "draft", "draft", "", submitted_at - datetime.timedelta(days=3))
            ]
            state = rng.random()
            if year == 2021 and state < 0.3:
                registrations.append((reg, items, history))  # a draft with items
                continue
            reg.submitted_at = reg.first_submitted_at = submitted_at
            reg.is_late = submitted_at.date() > deadline
            reg.status = RegistrationStatus.SUBMITTED
            history.append((RegistrationAction.SUBMITTED, "draft", "submitted", "", submitted_at))
            if year == 2021 and state < 0.6:
                registrations.append((reg, items, history))
                continue
            if year == 2021 and state < 0.75:
                reg.status = RegistrationStatus.RETURNED
                reg.return_reason = "Đề nghị bổ sung chỉ tiêu cụ thể cho nội dung vận động quỹ."
                history.append(
                    (
                        RegistrationAction.RETURNED,
                        "submitted",
                        "returned",
                        reg.return_reason,
                        submitted_at + datetime.timedelta(days=5),
                    )
                )
                registrations.append((reg, items, history))
                continue
            reg.status = RegistrationStatus.ACCEPTED
            reg.accepted_at = submitted_at + datetime.timedelta(days=7)
            history.append((RegistrationAction.ACCEPTED, "submitted", "accepted", "", reg.accepted_at))
            if year == 2021:
                registrations.append((reg, items, history))
                continue
            results_roll = rng.random()
            if year == 2020 and results_roll < 0.2:
                registrations.append((reg, items, history))  # results not entered yet
                continue
            _give_results(items, rng)
            reg.results_submitted_at = _at(year, 12, rng.randint(1, 20))
            reg.results_is_late = reg.results_submitted_at.date() > period.results_deadline
            reg.results_status = ResultsStatus.SUBMITTED
            history.append(
                (RegistrationAction.RESULTS_SUBMITTED, "draft", "submitted", "", reg.results_submitted_at)
            )
            if year == 2020 and results_roll < 0.5:
                registrations.append((reg, items, history))
                continue
            if year == 2020 and results_roll < 0.6:
                reg.results_status = ResultsStatus.RETURNED
                reg.results_return_reason = "Đề nghị gửi kèm minh chứng cho kết quả vận động quỹ."
                history.append(
                    (
                        RegistrationAction.RESULTS_RETURNED,
                        "submitted",
                        "returned",
                        reg.results_return_reason,
                        reg.results_submitted_at + datetime.timedelta(days=3),
                    )
                )
                registrations.append((reg, items, history))
                continue
            reg.results_status = ResultsStatus.CONFIRMED
            history.append(
                (
                    RegistrationAction.RESULTS_CONFIRMED,
                    "submitted",
                    "confirmed",
                    "",
                    reg.results_submitted_at + datetime.timedelta(days=5),
                )
            )
            registrations.append((reg, items, history))
        Registration.objects.bulk_create([r for r, _i, _h in registrations])
        for reg, items, history in registrations:
            for item in items:
                item.registration = reg
            all_items.extend(items)
            for action, before, after, reason, at in history:
                events.append(
                    RegistrationEvent(
                        registration=reg,
                        by=reviewer
                        if action
                        in (
                            RegistrationAction.RETURNED,
                            RegistrationAction.ACCEPTED,
                            RegistrationAction.RESULTS_RETURNED,
                            RegistrationAction.RESULTS_CONFIRMED,
                        )
                        else None,
                        action=action,
                        from_status=before,
                        to_status=after,
                        reason=reason,
                        at=at,
                        snapshot=snapshot(items),
                    )
                )
        RegistrationItem.objects.bulk_create(all_items)
        RegistrationEvent.objects.bulk_create(events)


def _records_from_registrations(program: Program) -> None:
    """What the accepted registrations registered, as the acceptance makes it: the new
    initiatives (or a link to the one already recorded under that name) and the outstanding
    areas, then the result of each area whose registration's results are confirmed. Runs
    after the hand-recorded initiatives and areas, and is idempotent like the acceptance."""
    from registrations import services as registration_services

    reviewer = User.objects.filter(username="mttq.huyen").first()
    accepted = (
        Registration.objects.filter(period__program=program, status=RegistrationStatus.ACCEPTED)
        .select_related("period__program", "organization__unit")
        .order_by("period__year", "pk")
    )
    for registration in accepted:
        registration_services.records_from_accepted_registration(registration=registration, by=reviewer)
        if registration.results_status == ResultsStatus.CONFIRMED:
            registration_services.outstanding_results_from_registration(
                registration=registration, by=reviewer
            )


def _load_activities(context: dict) -> None:
    """Initiatives, supervision, examples, outstanding areas, commune programs, documents."""
    from devdata.demo import activities

    activities.load(context)
