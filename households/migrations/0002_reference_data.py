"""Reference data: the poverty standards (DOMAIN.md) and the list of ethnicities.

Thresholds are VND per person per month; check them against the gazettes before relying
on them, and edit them in the admin rather than in code.
"""

from django.db import migrations

STANDARDS = [
    {
        "code": "QĐ 59/2015/QĐ-TTg",
        "name": "Chuẩn nghèo tiếp cận đa chiều giai đoạn 2016-2020",
        "first_year": 2016,
        "last_year": 2021,
        "thresholds": {
            "rural_poor": 700000,
            "rural_poor_with_deprivations": 1000000,
            "urban_poor": 900000,
            "urban_poor_with_deprivations": 1300000,
            "min_deprivations": 3,
        },
        "indicators": [
            "Tiếp cận dịch vụ y tế",
            "Bảo hiểm y tế",
            "Trình độ giáo dục của người lớn",
            "Tình trạng đi học của trẻ em",
            "Chất lượng nhà ở",
            "Diện tích nhà ở bình quân đầu người",
            "Nguồn nước sinh hoạt",
            "Hố xí/nhà tiêu hợp vệ sinh",
            "Sử dụng dịch vụ viễn thông",
            "Tài sản phục vụ tiếp cận thông tin",
        ],
    },
    {
        "code": "NĐ 07/2021/NĐ-CP",
        "name": "Chuẩn nghèo đa chiều giai đoạn 2021-2025",
        "first_year": 2022,
        "last_year": 2026,
        "thresholds": {
            "rural_line": 1500000,
            "urban_line": 2000000,
            "rural_average_max": 2250000,
            "urban_average_max": 3000000,
            "min_deprivations": 3,
        },
        "indicators": [
            "Việc làm",
            "Người phụ thuộc trong hộ gia đình",
            "Dinh dưỡng",
            "Bảo hiểm y tế",
            "Trình độ giáo dục của người lớn",
            "Tình trạng đi học của trẻ em",
            "Chất lượng nhà ở",
            "Diện tích nhà ở bình quân đầu người",
            "Nguồn nước sinh hoạt",
            "Nhà tiêu hợp vệ sinh",
            "Sử dụng dịch vụ viễn thông",
            "Phương tiện phục vụ tiếp cận thông tin",
        ],
    },
    {
        "code": "NĐ 351/2025/NĐ-CP",
        "name": "Chuẩn nghèo đa chiều giai đoạn 2026-2030",
        "first_year": 2027,
        "last_year": 2030,
        "thresholds": {"rural_line": 2200000, "urban_line": 2800000, "min_deprivations": 3},
        "indicators": [],
    },
]

ETHNICITIES = ["Kinh", "Jrai", "Bahnar", "Tày", "Nùng", "Mường", "Thái", "Dao", "H'Mông", "Ê Đê", "Xơ Đăng", "Khác"]


def load(apps, schema_editor):
    from portal.text import normalize

    PovertyStandard = apps.get_model("households", "PovertyStandard")
    Ethnicity = apps.get_model("households", "Ethnicity")
    for data in STANDARDS:
        PovertyStandard.objects.update_or_create(code=data["code"], defaults=data)
    for order, name in enumerate(ETHNICITIES, start=1):
        Ethnicity.objects.update_or_create(
            name=name, defaults={"order": order, "name_normalized": normalize(name)}
        )


class Migration(migrations.Migration):
    dependencies = [("households", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
