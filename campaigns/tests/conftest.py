"""Fixtures of the campaigns tests: the 2017 program of the test world and its periods."""

import datetime

import pytest
from django.utils import timezone

from campaigns import services
from campaigns.models import Campaign, ContentKind, ItemKind, Program, ProgramContent


def make_program(world, **rules) -> Program:
    campaign, _ = Campaign.objects.get_or_create(
        name="Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh"
    )
    program = Program.objects.create(
        campaign=campaign,
        owner_unit=world.district,
        number="01/CTPH-MTTQ-TCCTXH",
        title="Chương trình phối hợp",
        start_year=2017,
        end_year=2021,
        **rules,
    )
    for i, title in enumerate(["Đoàn kết phát triển kinh tế", "Đoàn kết xây dựng đời sống văn hóa"], start=1):
        ProgramContent.objects.create(program=program, kind=ContentKind.CONTENT, order=i, title=title)
    for i, title in enumerate(["Thực phẩm an toàn", "Bảo vệ môi trường"], start=1):
        ProgramContent.objects.create(program=program, kind=ContentKind.MODEL_FIELD, order=i, title=title)
    return program


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
            "initiative_status": "new",
            "model_field": field,
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


@pytest.fixture
def program(world):
    return make_program(world)


@pytest.fixture
def period(world, program):
    return open_year(world, program, 2017)


@pytest.fixture
def women_iadom(world, period):
    """The 2017 registration of the Women's Union of Ia Dom (phunu.iadom edits it)."""
    from campaigns.models import OrgKind, Registration

    return Registration.objects.get(period=period, organization=world.org(world.iadom, OrgKind.WOMEN))


@pytest.fixture
def women_iakla(world, period):
    from campaigns.models import OrgKind, Registration

    return Registration.objects.get(period=period, organization=world.org(world.iakla, OrgKind.WOMEN))


@pytest.fixture
def submitted(world, program, women_iadom):
    services.save_items(
        registration=women_iadom,
        items=full_items(world, program, women_iadom),
        version=women_iadom.version,
        by=world.phunu_iadom,
    )
    women_iadom.refresh_from_db()
    return services.submit(registration=women_iadom, by=world.phunu_iadom)


@pytest.fixture
def accepted(world, submitted):
    return services.accept(registration=submitted, by=world.mttq_huyen)
