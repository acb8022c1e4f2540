"""The 2017 coordination program of the test world."""

from programs.models import Campaign, ContentKind, Program, ProgramContent


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
