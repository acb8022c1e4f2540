"""Builders of initiatives and their program for the tests."""

import datetime

from activities import services as activity_services
from organizations.models import OrgKind
from programs.models import Campaign, ContentKind, Program, ProgramContent


def make_program_with_fields(world) -> Program:
    program = Program.objects.create(
        campaign=Campaign.objects.create(name="Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh"),
        owner_unit=world.district,
        number="01/CTPH-MTTQ-TCCTXH",
        signed_on=datetime.date(2017, 7, 21),
        title="Chương trình phối hợp triển khai Cuộc vận động",
        start_year=2017,
        end_year=2021,
    )
    for i, title in enumerate(["Thực phẩm an toàn", "Liên kết sản xuất, kinh doanh"], start=1):
        ProgramContent.objects.create(program=program, kind=ContentKind.MODEL_FIELD, order=i, title=title)
    ProgramContent.objects.create(
        program=program, kind=ContentKind.CONTENT, order=1, title="Đoàn kết phát triển kinh tế"
    )
    return program


def model_field(program) -> ProgramContent:
    return program.contents.filter(kind=ContentKind.MODEL_FIELD).order_by("order").first()


def content(program) -> ProgramContent:
    return program.contents.filter(kind=ContentKind.CONTENT).first()


def make_initiative(
    world,
    program,
    *,
    unit=None,
    kind=OrgKind.FARMERS,
    name="Nông dân sản xuất kinh doanh giỏi",
    status="running",
):
    return activity_services.create_initiative(
        by=world.admin,
        organization=world.org(unit or world.iadom, kind),
        field=model_field(program),
        name=name,
        start_year=2018,
        status=status,
    )
