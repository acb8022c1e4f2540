"""Demo data of Đức Cơ district (2017): units, residential areas, organizations, accounts.

Idempotent: every row is looked up before it is created.
"""

from organizations.models import Membership, Organization, OrgKind, Role, Unit, UnitLevel, User
from organizations.services import ensure_organizations, load_official_units

DEMO_PASSWORD = "DucCo@2017"
DISTRICT_CODE = 631

# Residential areas per commune (official code -> names). Ia Dom's match the sample
# review list in shared/samples so that it imports cleanly.
AREAS = {
    23857: ["Tổ dân phố 1", "Tổ dân phố 2", "Tổ dân phố 3", "Tổ dân phố 4", "Làng Chư Ty", "Làng Krêl"],
    23860: ["Thôn 1", "Thôn 2", "Thôn 3", "Làng Ia Mút", "Làng Trol Đeng"],
    23863: ["Làng Dỗ", "Làng Krêl", "Thôn Đồng Tâm", "Thôn Hợp Thành"],
    23866: ["Làng Neh", "Làng Dơ Nghin", "Thôn Thanh Bình", "Thôn Thanh Giáo", "Làng Kơ Dơ"],
    23869: ["Làng Ia Kla", "Làng Ia Ghe", "Thôn Ia Dơk", "Thôn Sơn Hà", "Làng Bi", "Làng Ia Bang"],
    23872: ["Làng 1", "Làng 2", "Thôn 3", "Thôn 4"],
    23875: ["Làng Ia Lang", "Làng Ia Kôn", "Thôn Lệ Ngọc", "Thôn Lệ Chí", "Làng Ghè"],
    23878: [
        "Làng Ấp",
        "Làng Nú",
        "Làng Mook Trê",
        "Thôn Tân Hà",
        "Làng Grôn",
        "Làng Dư",
        "Làng Tơ Dreng",
        "Làng Krăng",
    ],
    23881: ["Làng Tân Sơn", "Làng Ia Bia", "Thôn Chư Phôn", "Thôn Phú Sơn"],
    23884: [
        "Làng Kgiang",
        "Làng Đăk Hoa",
        "Thôn Ia Lâm",
        "Thôn Đức Hưng",
        "Làng Ia Krêl",
        "Thôn Mới",
        "Thôn Ia Nan",
    ],
}

ACCOUNTS = [
    # username, full name, (unit official code or None for the district), kind, role, title
    ("mttq.huyen", "Rơ Lan Châu", None, OrgKind.FRONT, Role.REVIEWER, "Chủ tịch Ủy ban MTTQ huyện"),
    ("nongdan.huyen", "Nô Minh Khôi", None, OrgKind.FARMERS, Role.EDITOR, "Chủ tịch Hội Nông dân huyện"),
    ("mttq.iadom", "Nguyễn Thị Hạnh", 23872, OrgKind.FRONT, Role.EDITOR, "Chủ tịch Ủy ban MTTQ xã"),
    ("phunu.iadom", "Rơ Ô H' Bia", 23872, OrgKind.WOMEN, Role.EDITOR, "Chủ tịch Hội Phụ nữ xã"),
    ("mttq.iakla", "Siu Thị Nga", 23869, OrgKind.FRONT, Role.EDITOR, "Chủ tịch Ủy ban MTTQ xã"),
    ("lanhdao", "Trần Quốc Bảo", None, OrgKind.FRONT, Role.VIEWER, "Phó Bí thư Huyện ủy"),
]


def _area_kind(name: str) -> str:
    for prefix in ("Tổ dân phố", "Thôn", "Làng"):
        if name.startswith(prefix):
            return prefix.lower()
    return ""


def load(context: dict) -> None:
    load_official_units(DISTRICT_CODE, level=UnitLevel.DISTRICT)
    district = Unit.objects.get(level=UnitLevel.DISTRICT, official_code=DISTRICT_CODE)
    context["district"] = district
    for code, names in AREAS.items():
        commune = Unit.objects.get(level=UnitLevel.COMMUNE, official_code=code)
        for name in names:
            area = Unit.objects.filter(parent=commune, name=name).first()
            if area is None:
                area = Unit.objects.create(
                    parent=commune, name=name, level=UnitLevel.AREA, kind=_area_kind(name)
                )
            ensure_organizations(area)

    admin, created = User.objects.get_or_create(
        username="admin", defaults={"full_name": "Quản trị hệ thống", "is_staff": True, "is_superuser": True}
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    for username, full_name, code, kind, role, title in ACCOUNTS:
        unit = district if code is None else Unit.objects.get(level=UnitLevel.COMMUNE, official_code=code)
        user, created = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        Membership.objects.get_or_create(
            user=user,
            organization=Organization.objects.get(unit=unit, kind=kind),
            defaults={"role": role, "title": title},
        )
