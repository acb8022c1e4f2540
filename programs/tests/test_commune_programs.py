import pytest
from django.urls import reverse

from devdata.activities import make_program_with_fields
from programs import views as program_views
from programs.models import Program


@pytest.fixture
def program(world):
    return make_program_with_fields(world)


def _form(program, **overrides):
    data = {
        "parent": program.pk,
        "number": "05/CTPH-MTTQ-TCCTXH",
        "signed_on": "15/08/2017",
        "title": "Chương trình phối hợp xã Ia Dom",
        "start_year": 2017,
        "end_year": 2021,
        "purpose": "",
        "requirements": "",
        "implementation": "",
    }
    data.update(overrides)
    return data


def test_commune_program_created_by_commune_front_copies_structure(client_for, world, program):
    client = client_for(world.mttq_iadom)
    response = client.post(reverse("programs:commune_program_create", args=[world.iadom.pk]), _form(program))
    assert response.status_code == 302
    sub = Program.objects.get(owner_unit=world.iadom)
    assert sub.parent == program and sub.campaign == program.campaign
    assert sub.contents.count() == program.contents.count()
    assert sub.min_initiatives_per_organization == program.min_initiatives_per_organization


def test_commune_program_district_sees_which_communes_have_one(client_for, world, program):
    client_for(world.mttq_iadom).post(
        reverse("programs:commune_program_create", args=[world.iadom.pk]), _form(program)
    )
    page = client_for(world.mttq_huyen).get(reverse("programs:commune_program_list")).content.decode()
    assert "05/CTPH-MTTQ-TCCTXH" in page and "Chưa có chương trình" in page and "1/2" in page


def test_commune_program_list_filters_and_pages_the_communes(client_for, world, program, monkeypatch):

    client_for(world.mttq_iadom).post(
        reverse("programs:commune_program_create", args=[world.iadom.pk]), _form(program)
    )
    client = client_for(world.mttq_huyen)
    page = client.get(reverse("programs:commune_program_list"), {"missing": "1"}).content.decode()
    assert "Xã Ia Kla" in page and "Xã Ia Dom" not in page and "1/2" in page

    monkeypatch.setattr(program_views, "PAGE_SIZE", 1)  # as a province's 218 communes
    page = client.get(reverse("programs:commune_program_list")).content.decode()
    assert "Xã Ia Dom" in page and "Xã Ia Kla" not in page and "Trang 1/2" in page
    page = client.get(reverse("programs:commune_program_list"), {"page": 2}).content.decode()
    assert "Xã Ia Kla" in page and "Xã Ia Dom" not in page


def test_commune_program_permissions(client_for, world, program):
    # Another commune's Front: 404; a commune organization or a viewer: 403.
    url = reverse("programs:commune_program_create", args=[world.iakla.pk])
    assert client_for(world.mttq_iadom).get(url).status_code == 404
    assert (
        client_for(world.phunu_iadom)
        .get(reverse("programs:commune_program_create", args=[world.iadom.pk]))
        .status_code
        == 403
    )
    assert client_for(world.lanhdao).post(url, _form(program)).status_code == 403
    assert not Program.objects.filter(parent=program).exists()


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"start_year": 2015}, "2017–2021"),
        ({"end_year": 2016, "start_year": 2017}, "Năm kết thúc"),
        ({"signed_on": "01/01/2999"}, "tương lai"),
    ],
)
def test_commune_program_bad_input(client_for, world, program, overrides, message):
    response = client_for(world.mttq_iadom).post(
        reverse("programs:commune_program_create", args=[world.iadom.pk]), _form(program, **overrides)
    )
    assert response.status_code == 200 and message in response.content.decode()


def test_commune_program_only_one_under_a_program(client_for, world, program):
    client = client_for(world.mttq_iadom)
    client.post(reverse("programs:commune_program_create", args=[world.iadom.pk]), _form(program))
    response = client.post(reverse("programs:commune_program_create", args=[world.iadom.pk]), _form(program))
    assert response.status_code == 200 and Program.objects.filter(parent=program).count() == 1


def test_commune_program_edit(client_for, world, program):
    client = client_for(world.mttq_iadom)
    client.post(reverse("programs:commune_program_create", args=[world.iadom.pk]), _form(program))
    sub = Program.objects.get(owner_unit=world.iadom)
    response = client.post(
        reverse("programs:commune_program_update", args=[sub.pk]), _form(program, title="Tên mới")
    )
    assert response.status_code == 302
    sub.refresh_from_db()
    assert sub.title == "Tên mới"
    assert (
        client_for(world.mttq_iakla)
        .get(reverse("programs:commune_program_update", args=[sub.pk]))
        .status_code
        == 404
    )
    # The district program itself is not edited here.
    assert client.get(reverse("programs:commune_program_update", args=[program.pk])).status_code == 404
