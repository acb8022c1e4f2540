"""Registration periods and items for the tests: a year opened, items that pass every rule."""

import datetime

from django.utils import timezone

from programs.models import ContentKind
from registrations import services
from registrations.models import ItemKind


def open_year(world, program, year, *, deadline=None):
    # By default the deadline is ahead of today, so a submission now is on time.
    deadline = deadline or timezone.localdate() + datetime.timedelta(days=30)
    return services.open_period(
        program=program,
        year=year,
        opens_on=datetime.date(year, 1, 1),
        registration_deadline=deadline,
        results_deadline=max(deadline, datetime.date(year, 12, 31)),
        by=world.mttq_huyen,
    )


def full_items(world, program, registration) -> list[dict]:
    """Items that satisfy every rule for a commune organization."""
    content = program.contents.filter(kind=ContentKind.CONTENT).first()
    field = program.contents.filter(kind=ContentKind.MODEL_FIELD).first()
    area = world.iadom_areas[0] if registration.organization.unit == world.iadom else world.iakla_areas[0]
    return [
        {"kind": ItemKind.CONTENT, "description": "Phát triển kinh tế hộ", "content": content},
        {
            "kind": ItemKind.INITIATIVE,
            "description": "Mô hình",
            "initiative_name": "Hàng rào xanh",
            "novelty": "new",
            "initiative_field": field,
            "area": area,
            "target_quantity": 2,
            "target_unit": "km",
        },
        {"kind": ItemKind.OUTSTANDING_AREA, "description": "Khu dân cư kiểu mẫu", "area": area},
        {
            "kind": ItemKind.SPONSORSHIP_PLEDGE,
            "description": "Nhận giúp hộ nghèo",
            "area": area,
            "households_pledged": 2,
        },
        {"kind": ItemKind.FUND_TARGET, "description": "Vận động quỹ", "amount": 5_000_000},
    ]
