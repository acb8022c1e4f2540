import datetime

import pytest
from django.urls import reverse

from organizations.models import OrgKind
from programs.models import Assignment, Campaign, ContentKind, Program, ProgramContent, ProgramParty


@pytest.fixture
def program(world):
    program = Program.objects.create(
        campaign=Campaign.objects.create(name="Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh"),
        owner_unit=world.district,
        number="01/CTPH-MTTQ-TCCTXH",
        signed_on=datetime.date(2017, 7, 21),
        title="Chương trình phối hợp triển khai Cuộc vận động",
        legal_bases="Công văn số 1002/MTTQ-BTT",
        start_year=2017,
        end_year=2021,
        received_on=datetime.date(2017, 7, 21),
        file_number="12",
    )
    ProgramContent.objects.create(
        program=program, kind=ContentKind.CONTENT, order=1, title="Phát triển kinh tế"
    )
    ProgramContent.objects.create(
        program=program, kind=ContentKind.MODEL_FIELD, order=1, title="Thực phẩm an toàn"
    )
    Assignment.objects.create(
        program=program, organization_kind=OrgKind.WOMEN, text="Gia đình 5 không, 3 sạch"
    )
    ProgramParty.objects.create(
        program=program, organization=world.org(world.district, OrgKind.FRONT), signatory="Rơ Lan Châu"
    )
    return program


@pytest.fixture
def commune_program(world, program):
    return Program.objects.create(
        campaign=program.campaign,
        owner_unit=world.iakla,
        parent=program,
        title="CTPH xã Ia Kla",
        start_year=2017,
        end_year=2021,
    )


def test_program_detail_shows_the_record(client_for, world, program):
    response = client_for(world.mttq_iadom).get(reverse("programs:program_detail", args=[program.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    for text in [
        "01/CTPH-MTTQ-TCCTXH",
        "21/07/2017",
        "Công văn số 1002/MTTQ-BTT",
        "Phát triển kinh tế",
        "Thực phẩm an toàn",
        "Gia đình 5 không, 3 sạch",
        "Rơ Lan Châu",
        "Hội Liên hiệp Phụ nữ",
        "từ 1 đến 3 hộ nghèo",
    ]:
        assert text in body, text


def test_program_list_anonymous_redirects(client, world, program):
    assert client.get(reverse("programs:program_list")).status_code == 302
    assert client.get(reverse("programs:program_detail", args=[program.pk])).status_code == 302


def test_program_of_another_commune_is_404(client_for, world, commune_program):
    client = client_for(world.mttq_iadom)
    assert client.get(reverse("programs:program_detail", args=[commune_program.pk])).status_code == 404
    assert "CTPH xã Ia Kla" not in client.get(reverse("programs:program_list")).content.decode()


def test_program_of_a_commune_visible_to_the_district(client_for, world, commune_program):
    response = client_for(world.lanhdao).get(reverse("programs:program_detail", args=[commune_program.pk]))
    assert response.status_code == 200
    assert (
        "CTPH xã Ia Kla"
        in client_for(world.mttq_huyen).get(reverse("programs:program_list")).content.decode()
    )


def test_program_owned_by_a_province_works_the_same(client_for, world, program):
    provincial = Program.objects.create(
        campaign=program.campaign,
        owner_unit=world.province,
        title="CTPH tỉnh Gia Lai",
        start_year=2022,
        end_year=2026,
    )
    response = client_for(world.phunu_iadom).get(reverse("programs:program_detail", args=[provincial.pk]))
    assert response.status_code == 200 and "CTPH tỉnh Gia Lai" in response.content.decode()
