"""The 2017 coordination program of Đức Cơ district (seed document), as demo data."""

import datetime

from campaigns.models import Assignment, Campaign, ContentKind, Program, ProgramContent, ProgramParty
from organizations.models import Organization, OrgKind

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
    if not created:
        _load_activities(context)
        return
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
    orgs = {o.kind: o for o in Organization.objects.filter(unit=district)}
    ProgramParty.objects.bulk_create(
        [
            ProgramParty(program=program, organization=orgs[kind], signing_body=body, signatory=name, order=i)
            for i, (kind, body, name) in enumerate(PARTIES)
        ]
    )

    _load_activities(context)


def _load_activities(context: dict) -> None:
    """Issue 5: initiatives, supervision, examples, outstanding areas, commune programs, documents."""
    from campaigns import demo_initiatives

    demo_initiatives.load(context)
