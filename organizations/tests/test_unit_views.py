from django.urls import reverse

from organizations.models import Organization, Unit, UnitLevel


def test_unit_list_anonymous_redirects_to_login(client, world):
    response = client.get(reverse("organizations:unit_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_unit_list_shows_only_scope(client_for, world):
    response = client_for(world.mttq_iadom).get(reverse("organizations:unit_list"))
    assert response.status_code == 200
    assert "Xã Ia Dom" in response.content.decode()
    assert "Xã Ia Kla" not in response.content.decode()


def test_unit_detail_in_scope(client_for, world):
    response = client_for(world.mttq_iadom).get(reverse("organizations:unit_detail", args=[world.iadom.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Làng 1" in body and "Hội Liên hiệp Phụ nữ xã Ia Dom" in body
    assert "Thêm khu dân cư" in body


def test_unit_detail_out_of_scope_is_404(client_for, world):
    response = client_for(world.mttq_iadom).get(reverse("organizations:unit_detail", args=[world.iakla.pk]))
    assert response.status_code == 404


def test_unit_detail_viewer_sees_no_edit_actions(client_for, world):
    body = (
        client_for(world.lanhdao)
        .get(reverse("organizations:unit_detail", args=[world.iadom.pk]))
        .content.decode()
    )
    assert "Làng 1" in body and "Thêm khu dân cư" not in body and "Giải thể" not in body


def test_area_create_makes_the_area_and_its_branches(client_for, world):
    response = client_for(world.mttq_iadom).post(
        reverse("organizations:area_create", args=[world.iadom.pk]), {"name": "  Thôn   4 ", "kind": "thôn"}
    )
    assert response.status_code == 302
    area = Unit.objects.get(parent=world.iadom, name="Thôn 4")
    assert area.level == UnitLevel.AREA and area.kind == "thôn"
    assert Organization.objects.filter(unit=area).count() == 5


def test_area_create_duplicate_name_is_refused_in_vietnamese(client_for, world):
    response = client_for(world.mttq_iadom).post(
        reverse("organizations:area_create", args=[world.iadom.pk]), {"name": "làng 1"}
    )
    assert response.status_code == 200
    assert "Xã Ia Dom đã có đơn vị tên" in response.content.decode()
    assert Unit.objects.filter(parent=world.iadom).count() == 2


def test_area_create_in_another_commune_is_404(client_for, world):
    response = client_for(world.mttq_iadom).post(
        reverse("organizations:area_create", args=[world.iakla.pk]), {"name": "Thôn X"}
    )
    assert response.status_code == 404
    assert not Unit.objects.filter(name="Thôn X").exists()


def test_area_create_by_viewer_is_403(client_for, world):
    response = client_for(world.lanhdao).post(
        reverse("organizations:area_create", args=[world.iadom.pk]), {"name": "Thôn X"}
    )
    assert response.status_code == 403
    assert not Unit.objects.filter(name="Thôn X").exists()


def test_area_rename_by_commune_organization_editor(client_for, world):
    area = world.iadom_areas[0]
    response = client_for(world.phunu_iadom).post(
        reverse("organizations:area_update", args=[area.pk]), {"name": "Làng Một"}
    )
    assert response.status_code == 302
    area.refresh_from_db()
    assert area.name == "Làng Một"
    assert Organization.objects.get(unit=area, kind="women").name == "Chi hội Phụ nữ Làng Một"


def test_area_rename_out_of_scope_is_404(client_for, world):
    area = world.iakla_areas[0]
    response = client_for(world.mttq_iadom).post(
        reverse("organizations:area_update", args=[area.pk]), {"name": "Đổi"}
    )
    assert response.status_code == 404
    area.refresh_from_db()
    assert area.name == "Làng Ia Kla"


def test_area_retire_keeps_history_and_can_reactivate(client_for, world):
    area = world.iadom_areas[1]
    client = client_for(world.mttq_iadom)
    client.post(reverse("organizations:area_set_active", args=[area.pk]), {"active": "0"})
    area.refresh_from_db()
    assert not area.is_active and area.retired_at is not None
    assert Organization.objects.filter(unit=area).count() == 5
    body = client.get(reverse("organizations:unit_detail", args=[world.iadom.pk])).content.decode()
    assert "Thôn 3" in body and "đã giải thể" in body
    client.post(reverse("organizations:area_set_active", args=[area.pk]), {"active": "1"})
    area.refresh_from_db()
    assert area.is_active and area.retired_at is None


def test_area_retire_by_get_is_not_allowed(client_for, world):
    response = client_for(world.mttq_iadom).get(
        reverse("organizations:area_set_active", args=[world.iadom_areas[0].pk])
    )
    assert response.status_code == 405


def test_unit_detail_breadcrumb_links_only_units_in_scope(client_for, world):
    area = world.iadom_areas[0]
    body = (
        client_for(world.mttq_iadom)
        .get(reverse("organizations:unit_detail", args=[area.pk]))
        .content.decode()
    )
    assert f'href="{reverse("organizations:unit_detail", args=[world.iadom.pk])}"' in body
    assert "Huyện Đức Cơ" in body  # shown as text...
    assert (
        f'href="{reverse("organizations:unit_detail", args=[world.district.pk])}"' not in body
    )  # ...not as a 404 link
