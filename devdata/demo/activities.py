"""Demo data of 2017–2021: initiatives (mô hình), supervision and criticism,
exemplary examples, outstanding residential areas, commune programs, program documents.

Names follow DOMAIN.md; people are made up. Idempotent: each group is loaded once.
"""

import datetime

from activities.models import (
    ExampleKind,
    ExemplaryExample,
    FollowUpStatus,
    Initiative,
    InitiativeStatus,
    InitiativeStatusChange,
    InitiativeYear,
    OutstandingArea,
    OutstandingResult,
    Supervision,
)
from core.text import normalize
from organizations.models import Organization, OrgKind, Unit, UnitLevel, User
from programs import services as program_services
from programs.models import ContentKind, Program, ProgramDocument

YEARS = range(2017, 2022)

# kind: [(initiative name, model field order)]; field orders follow demo.MODEL_FIELDS.
INITIATIVES = {
    OrgKind.LABOR: [("Mái ấm Công đoàn", 3)],
    OrgKind.FARMERS: [
        ("Nông dân sản xuất kinh doanh giỏi", 3),
        ("Chuỗi liên kết sản xuất cà phê sạch", 2),
        ("Hợp tác xã kiểu mới trồng hồ tiêu", 4),
    ],
    OrgKind.WOMEN: [
        ("Gia đình 5 không, 3 sạch", 5),
        ("Hàng rào xanh", 5),
        ("Con đường hoa", 5),
        ("Mỗi hộ một vườn rau xanh và cây ăn quả", 1),
        ("Thôn, làng phụ nữ kiểu mẫu", 5),
    ],
    OrgKind.YOUTH: [("Tuổi trẻ chung tay xây dựng nông thôn mới", 5), ("Ngày chủ nhật xanh", 5)],
    OrgKind.VETERANS: [("CCB giúp nhau giảm nghèo, làm kinh tế giỏi", 3), ("Quỹ đồng đội", 3)],
}

SUPERVISIONS = [
    # kind, topic, area, subject, date, lead kind, follow-up status, due
    (
        "supervision",
        "Giám sát việc rà soát, bình xét hộ nghèo, hộ cận nghèo năm 2017",
        "poverty",
        "Ủy ban nhân dân xã Ia Dom",
        datetime.date(2017, 11, 20),
        OrgKind.FRONT,
        FollowUpStatus.DONE,
        datetime.date(2018, 1, 31),
    ),
    (
        "supervision",
        "Giám sát việc sử dụng vốn Nhà nước và đóng góp của Nhân dân xây dựng nông thôn mới",
        "new_rural",
        "Ban Quản lý xây dựng nông thôn mới xã Ia Kla",
        datetime.date(2018, 6, 12),
        OrgKind.FRONT,
        FollowUpStatus.DONE,
        datetime.date(2018, 9, 30),
    ),
    (
        "criticism",
        "Phản biện dự thảo Đề án xây dựng thị trấn Chư Ty đạt chuẩn đô thị văn minh",
        "urban",
        "Dự thảo Đề án của Ủy ban nhân dân huyện Đức Cơ",
        datetime.date(2019, 4, 9),
        OrgKind.FRONT,
        FollowUpStatus.NONE,
        None,
    ),
    (
        "supervision",
        "Giám sát việc cho vay vốn hỗ trợ sản xuất cho hộ nghèo",
        "poverty",
        "Phòng giao dịch Ngân hàng Chính sách xã hội huyện",
        datetime.date(2019, 8, 15),
        OrgKind.FARMERS,
        FollowUpStatus.DONE,
        datetime.date(2019, 12, 31),
    ),
    (
        "supervision",
        "Giám sát việc hỗ trợ nhà ở cho người có công và hộ nghèo",
        "urban",
        "Ủy ban nhân dân thị trấn Chư Ty",
        datetime.date(2020, 9, 22),
        OrgKind.VETERANS,
        FollowUpStatus.DONE,
        datetime.date(2020, 12, 31),
    ),
    (
        "supervision",
        "Giám sát vệ sinh môi trường và an toàn thực phẩm tại chợ xã Ia Kriêng",
        "new_rural",
        "Ủy ban nhân dân xã Ia Kriêng",
        datetime.date(2021, 5, 18),
        OrgKind.FRONT,
        FollowUpStatus.OPEN,
        datetime.date(2021, 9, 30),
    ),
]

EXAMPLES = [
    # kind, name, org kind, commune code, year, achievement, certificate, level, decision, media
    (
        ExampleKind.PERSON,
        "Ông Rơ Châm Hyoh",
        OrgKind.FARMERS,
        23860,
        2017,
        "Trồng cà phê, hồ tiêu kết hợp chăn nuôi bò, thu nhập trên 300 triệu đồng/năm; giúp 5 hộ đồng bào Jrai thoát nghèo.",
        "Giấy khen",
        "district",
        "215/QĐ-UBND",
        "Đài Truyền thanh - Truyền hình huyện Đức Cơ",
    ),
    (
        ExampleKind.HOUSEHOLD,
        "Hộ bà Siu H' Nhoe",
        OrgKind.WOMEN,
        23872,
        2018,
        "Gia đình 5 không, 3 sạch; vườn rau xanh và cây ăn quả kiểu mẫu.",
        "Giấy khen",
        "commune",
        "48/QĐ-UBND",
        "Bản tin xã Ia Dom",
    ),
    (
        ExampleKind.PERSON,
        "Ông Nguyễn Văn Thành",
        OrgKind.VETERANS,
        23869,
        2018,
        "Cựu chiến binh gương mẫu, hiến 500 m² đất làm đường liên thôn.",
        "Bằng khen",
        "province",
        "1024/QĐ-UBND",
        "Báo Gia Lai",
    ),
    (
        ExampleKind.COLLECTIVE,
        "Chi đoàn làng Ia Mút",
        OrgKind.YOUTH,
        23860,
        2019,
        "Duy trì Ngày chủ nhật xanh hằng tuần, trồng 2 km đường hoa.",
        "Giấy khen",
        "district",
        "88/QĐ-UBND",
        "Trang thông tin điện tử huyện Đức Cơ",
    ),
    (
        ExampleKind.PERSON,
        "Bà Rơ Lan H' Dưn",
        OrgKind.WOMEN,
        23875,
        2020,
        "Vận động 30 hội viên tham gia tổ hợp tác dệt thổ cẩm.",
        "Giấy khen",
        "district",
        "301/QĐ-UBND",
        "Đài Truyền thanh - Truyền hình huyện Đức Cơ",
    ),
    (
        ExampleKind.COLLECTIVE,
        "Công đoàn Trường Tiểu học Ia Dơk",
        OrgKind.LABOR,
        23860,
        2020,
        "Xây dựng 2 Mái ấm Công đoàn cho đoàn viên khó khăn về nhà ở.",
        "Giấy khen",
        "district",
        "302/QĐ-UBND",
        "Báo Lao động",
    ),
    (
        ExampleKind.HOUSEHOLD,
        "Hộ ông Trần Văn Hùng",
        OrgKind.FARMERS,
        23884,
        2021,
        "Nông dân sản xuất kinh doanh giỏi cấp tỉnh; tạo việc làm cho 12 lao động.",
        "Bằng khen",
        "province",
        "645/QĐ-UBND",
        "Báo Gia Lai",
    ),
]

DOCUMENTS = [
    (
        "incoming",
        "95/KH-UBND",
        datetime.date(2016, 10, 24),
        "Ủy ban nhân dân huyện Đức Cơ",
        'Kế hoạch phong trào thi đua "Đức Cơ chung sức xây dựng nông thôn mới" giai đoạn 2016 - 2020',
        datetime.date(2016, 10, 26),
        "Văn phòng",
        "03",
    ),
    (
        "incoming",
        "926/CTPH-MTTQ-TCCTXH",
        datetime.date(2017, 3, 2),
        "Ủy ban MTTQ Việt Nam và các tổ chức Chính trị - Xã hội tỉnh Gia Lai",
        "Chương trình phối hợp thực hiện Cuộc vận động",
        datetime.date(2017, 3, 6),
        "Ban Thường trực",
        "05",
    ),
    (
        "outgoing",
        "38/KH-MTTQ-BTT",
        datetime.date(2017, 3, 17),
        "Ban Thường trực Ủy ban MTTQ Việt Nam huyện",
        "Kế hoạch triển khai Cuộc vận động",
        None,
        "Các tổ chức Chính trị - Xã hội huyện",
        "06",
    ),
    (
        "incoming",
        "1002/MTTQ-BTT",
        datetime.date(2017, 5, 12),
        "Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh Gia Lai",
        "Về việc đăng ký nội dung thực hiện Cuộc vận động",
        datetime.date(2017, 5, 15),
        "Văn phòng",
        "08",
    ),
    (
        "outgoing",
        "01/CTPH-MTTQ-TCCTXH",
        datetime.date(2017, 7, 21),
        "Ủy ban MTTQ Việt Nam huyện và các tổ chức Chính trị - Xã hội huyện",
        "Chương trình phối hợp triển khai thực hiện Cuộc vận động",
        None,
        "Ủy ban MTTQ các xã, thị trấn",
        "12",
    ),
    (
        "outgoing",
        "52/BC-MTTQ-BTT",
        datetime.date(2020, 11, 30),
        "Ban Thường trực Ủy ban MTTQ Việt Nam huyện",
        "Báo cáo sơ kết 3 năm thực hiện Chương trình phối hợp",
        None,
        "Ban Thường trực Ủy ban MTTQ tỉnh",
        "21",
    ),
]

COMMUNE_PROGRAMS = [
    (23872, "02/CTPH-MTTQ", datetime.date(2017, 8, 10)),
    (23869, "03/CTPH-MTTQ", datetime.date(2017, 8, 15)),
    (23857, "05/CTPH-MTTQ", datetime.date(2017, 8, 22)),
]


def load(context: dict) -> None:
    program: Program = context["program"]
    district: Unit = context["district"]
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    communes = list(Unit.objects.filter(parent=district, level=UnitLevel.COMMUNE).order_by("name"))
    orgs = {(o.unit_id, o.kind): o for o in Organization.objects.filter(unit__in=communes + [district])}
    _initiatives(program, communes, orgs, admin)
    _supervisions(district, orgs, communes)
    _examples(program, orgs)
    _outstanding(program, communes, orgs)
    _commune_programs(program, admin)
    _documents(program)


def _initiatives(program, communes, orgs, admin):
    # Those recorded by hand (the accepted registrations add theirs afterwards).
    if Initiative.objects.filter(field__program=program, registration_item__isnull=True).exists():
        return
    fields = {c.order: c for c in program.contents.filter(kind=ContentKind.MODEL_FIELD)}
    areas = {}
    for area in Unit.objects.filter(parent__in=communes, level=UnitLevel.AREA).order_by("name"):
        areas.setdefault(area.parent_id, []).append(area)
    rows = []
    for ci, commune in enumerate(communes):
        for kind, choices in INITIATIVES.items():
            # Ia Lang's Youth Union has none yet, so the rule-4 check has something to show.
            if commune.official_code == 23875 and kind == OrgKind.YOUTH:
                continue
            name, field_order = choices[ci % len(choices)]
            start = 2017 + (ci + len(rows)) % 4
            status = InitiativeStatus.RUNNING
            if ci % 4 == 1:
                status = InitiativeStatus.RECOGNIZED
            commune_areas = areas.get(commune.pk) or [None]
            rows.append(
                Initiative(
                    organization=orgs[(commune.pk, kind)],
                    field=fields[field_order],
                    area=commune_areas[(ci + len(rows)) % len(commune_areas)],
                    name=name,
                    name_normalized=normalize(name),
                    start_year=start,
                    status=status,
                    status_changed_on=datetime.date(start, 6, 1),
                    description=f"Mô hình {name} tại {commune.name}.",
                )
            )
    # One stopped initiative with its reason, one planned for the next year.
    ia_nan = next(c for c in communes if c.official_code == 23884)
    rows.append(
        Initiative(
            organization=orgs[(ia_nan.pk, OrgKind.FARMERS)],
            field=fields[4],
            name="Tổ hợp tác chăn nuôi dê",
            name_normalized=normalize("Tổ hợp tác chăn nuôi dê"),
            start_year=2018,
            status=InitiativeStatus.STOPPED,
            status_changed_on=datetime.date(2020, 4, 15),
            stopped_on=datetime.date(2020, 4, 15),
        )
    )
    Initiative.objects.bulk_create(rows)
    created = list(Initiative.objects.filter(field__program=program))
    changes, years = [], []
    for i, x in enumerate(created):
        changes.append(
            InitiativeStatusChange(
                initiative=x,
                status=InitiativeStatus.PLANNED,
                changed_on=datetime.date(x.start_year, 3, 1),
                reason="Đăng ký trong bảng đăng ký năm",
                changed_by=admin,
            )
        )
        changes.append(
            InitiativeStatusChange(
                initiative=x,
                status=InitiativeStatus.RUNNING,
                changed_on=datetime.date(x.start_year, 6, 1),
                reason="Ra mắt mô hình",
                changed_by=admin,
            )
        )
        if x.status == InitiativeStatus.RECOGNIZED:
            changes[-1].changed_on = datetime.date(x.start_year, 6, 1)
            x.status_changed_on = datetime.date(min(x.start_year + 1, 2021), 12, 15)
            changes.append(
                InitiativeStatusChange(
                    initiative=x,
                    status=InitiativeStatus.RECOGNIZED,
                    changed_on=x.status_changed_on,
                    reason="Được Ban Thường trực Ủy ban MTTQ huyện công nhận hiệu quả",
                    changed_by=admin,
                )
            )
        if x.status == InitiativeStatus.STOPPED:
            changes.append(
                InitiativeStatusChange(
                    initiative=x,
                    status=InitiativeStatus.STOPPED,
                    changed_on=x.stopped_on,
                    reason="Dịch bệnh, các hộ không còn vốn tái đàn",
                    changed_by=admin,
                )
            )
        last = x.stopped_on.year if x.stopped_on else 2021
        for year in range(x.start_year, last + 1):
            k = year - x.start_year + 1
            years.append(
                InitiativeYear(
                    initiative=x,
                    year=year,
                    participants=12 * k + i % 7,
                    households=5 * k + i % 5,
                    value_vnd=(20 + 5 * k + i % 9) * 1_000_000,
                )
            )
    Initiative.objects.bulk_update(
        [x for x in created if x.status == InitiativeStatus.RECOGNIZED], ["status_changed_on"]
    )
    InitiativeStatusChange.objects.bulk_create(changes)
    InitiativeYear.objects.bulk_create(years)


def _supervisions(district, orgs, communes):
    if Supervision.objects.filter(lead_organization__unit=district).exists():
        return
    participants = [orgs[(district.pk, k)] for k in (OrgKind.WOMEN, OrgKind.FARMERS, OrgKind.VETERANS)]
    for kind, topic, area, subject, held_on, lead, follow, due in SUPERVISIONS:
        s = Supervision.objects.create(
            kind=kind,
            topic=topic,
            program_area=area,
            subject=subject,
            held_on=held_on,
            lead_organization=orgs[(district.pk, lead)],
            findings="Cơ bản thực hiện đúng quy định; một số hồ sơ còn thiếu chữ ký xác nhận của trưởng thôn.",
            recommendations="Bổ sung hồ sơ, niêm yết công khai danh sách tại nhà văn hóa thôn, làng.",
            response="Cơ quan được giám sát tiếp thu, khắc phục." if follow == FollowUpStatus.DONE else "",
            follow_up_status=follow,
            follow_up_due=due,
        )
        s.participants.set([o for o in participants if o.pk != s.lead_organization_id])


def _examples(program, orgs):
    if ExemplaryExample.objects.filter(field__program=program).exists():
        return
    content = program.contents.filter(kind=ContentKind.CONTENT).order_by("order")
    by_code = {u.official_code: u for u in Unit.objects.filter(level=UnitLevel.COMMUNE)}
    rows = []
    for i, (kind, name, org_kind, code, year, achievement, cert, level, decision, media) in enumerate(
        EXAMPLES
    ):
        unit = by_code[code]
        rows.append(
            ExemplaryExample(
                kind=kind,
                name=name,
                name_normalized=normalize(name),
                organization=Organization.objects.get(unit=unit, kind=org_kind),
                field=content[i % 3 if i % 3 != 1 else 0],
                year=year,
                achievement=achievement,
                certificate=cert,
                recognition_level=level,
                decision_number=decision,
                publicised_in=media,
                publicised_on=datetime.date(year, 11, 18),
            )
        )
    ExemplaryExample.objects.bulk_create(rows)


def _outstanding(program, communes, orgs):
    if OutstandingArea.objects.filter(program=program, registration_item__isnull=True).exists():
        return
    rows = []
    for ci, commune in enumerate(communes):
        areas = list(Unit.objects.filter(parent=commune, level=UnitLevel.AREA).order_by("name"))
        for year in YEARS:
            # Ia Pnôn has not registered one for 2021: the rule-2 check shows it.
            if not areas or (commune.official_code == 23881 and year == 2021):
                continue
            area = areas[(ci + year) % len(areas)]
            result = (
                OutstandingResult.PENDING
                if year == 2021
                else (
                    OutstandingResult.NOT_RECOGNIZED if (ci + year) % 5 == 0 else OutstandingResult.RECOGNIZED
                )
            )
            rows.append(
                OutstandingArea(
                    program=program,
                    area=area,
                    year=year,
                    organization=orgs[(commune.pk, OrgKind.FRONT)],
                    result=result,
                    decision_number=f"{100 + ci}/QĐ-UBND" if result == OutstandingResult.RECOGNIZED else "",
                )
            )
    OutstandingArea.objects.bulk_create(rows)


def _commune_programs(program, admin):
    for code, number, signed_on in COMMUNE_PROGRAMS:
        commune = Unit.objects.filter(level=UnitLevel.COMMUNE, official_code=code).first()
        if commune is None or Program.objects.filter(owner_unit=commune, parent=program).exists():
            continue
        program_services.create_commune_program(
            by=admin,
            commune=commune,
            parent=program,
            number=number,
            signed_on=signed_on,
            title=f"Chương trình phối hợp thực hiện Cuộc vận động tại {commune.name}",
            start_year=program.start_year,
            end_year=program.end_year,
            purpose="",
            requirements="",
            implementation="Ban Thường trực Ủy ban MTTQ xã chủ trì, phối hợp các tổ chức Chính trị - xã hội cùng cấp.",
        )


def _documents(program):
    if ProgramDocument.objects.filter(program=program).exists():
        return
    ProgramDocument.objects.bulk_create(
        [
            ProgramDocument(
                program=program,
                direction=direction,
                number=number,
                issued_on=issued_on,
                issuing_body=body,
                subject=subject,
                received_on=received_on,
                forwarded_to=forwarded,
                file_number=file_number,
            )
            for direction, number, issued_on, body, subject, received_on, forwarded, file_number in DOCUMENTS
        ]
    )
