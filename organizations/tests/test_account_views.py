import re

from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from organizations.models import Membership, Organization, OrgKind, Role, User


def _new_account_data(world, **overrides):
    data = {
        "username": "doanthanhnien.iadom",
        "full_name": "Ksor Y Thu",
        "email": "",
        "organization": world.org(world.iadom, OrgKind.YOUTH).pk,
        "role": Role.EDITOR,
        "title": "Bí thư Đoàn xã",
        "password": "Tam-thoi-2017!",
    }
    return {**data, **overrides}


def test_account_list_reviewer_sees_accounts_in_scope(client_for, world):
    body = client_for(world.mttq_huyen).get(reverse("organizations:account_list")).content.decode()
    assert "phunu.iadom" in body and "mttq.iakla" in body


def test_account_list_leads_to_the_account_changes_with_names(client_for, world):
    """Account changes are read in the change log, where linked records show their names."""
    client = client_for(world.mttq_huyen)
    assert client.post(reverse("organizations:account_create"), _new_account_data(world)).status_code == 302
    body = client.get(reverse("organizations:account_list")).content.decode()
    link = reverse("reports:audit_log") + "?model=organizations.membership"
    assert link in body
    changes = client.get(link).content.decode()
    assert "Ksor Y Thu" in changes and "Đoàn TNCS Hồ Chí Minh xã Ia Dom" in changes


def test_account_list_for_non_reviewer_is_403(client_for, world):
    assert client_for(world.mttq_iadom).get(reverse("organizations:account_list")).status_code == 403
    assert client_for(world.lanhdao).get(reverse("organizations:account_list")).status_code == 403


def test_account_create_gives_role_and_forces_new_password(client_for, world):
    client = client_for(world.mttq_huyen)
    response = client.post(reverse("organizations:account_create"), _new_account_data(world))
    assert response.status_code == 302
    user = User.objects.get(username="doanthanhnien.iadom")
    assert user.must_change_password and user.check_password("Tam-thoi-2017!")
    membership = Membership.objects.get(user=user)
    assert membership.organization.kind == OrgKind.YOUTH and membership.role == Role.EDITOR
    entry = LogEntry.objects.get_for_object(user).get()
    assert entry.actor == world.mttq_huyen


def test_account_create_reviewer_only_for_the_front(client_for, world):
    response = client_for(world.mttq_huyen).post(
        reverse("organizations:account_create"), _new_account_data(world, role=Role.REVIEWER)
    )
    assert response.status_code == 200
    assert "Chỉ Mặt trận Tổ quốc mới có người duyệt" in response.content.decode()
    assert not User.objects.filter(username="doanthanhnien.iadom").exists()


def test_account_create_weak_password_refused(client_for, world):
    response = client_for(world.mttq_huyen).post(
        reverse("organizations:account_create"), _new_account_data(world, password="123")
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="doanthanhnien.iadom").exists()


def test_account_update_out_of_scope_is_404(client_for, world):
    from organizations.models import Unit, UnitLevel
    from organizations.services import ensure_organizations

    other = Unit.objects.create(name="Huyện Chư Prông", level=UnitLevel.DISTRICT, parent=world.province)
    ensure_organizations(other)
    stranger = User.objects.create(username="mttq.chuprong")
    Membership.objects.create(
        user=stranger, organization=other.organizations.get(kind=OrgKind.FRONT), role=Role.EDITOR
    )
    assert (
        client_for(world.mttq_huyen)
        .get(reverse("organizations:account_update", args=[stranger.pk]))
        .status_code
        == 404
    )


def test_account_deactivate_ends_open_sessions_at_once(client_for, world):
    victim_client = Client()
    victim_client.force_login(world.phunu_iadom)
    assert victim_client.get(reverse("home")).status_code == 200
    response = client_for(world.mttq_huyen).post(
        reverse("organizations:account_set_active", args=[world.phunu_iadom.pk]), {"active": "0"}
    )
    assert response.status_code == 302
    world.phunu_iadom.refresh_from_db()
    assert not world.phunu_iadom.is_active
    after = victim_client.get(reverse("home"))
    assert after.status_code == 302 and "/accounts/login/" in after["Location"]


def test_account_cannot_deactivate_itself(client_for, world):
    client_for(world.mttq_huyen).post(
        reverse("organizations:account_set_active", args=[world.mttq_huyen.pk]), {"active": "0"}
    )
    world.mttq_huyen.refresh_from_db()
    assert world.mttq_huyen.is_active


def test_account_reset_password_forces_a_new_one(client_for, world):
    response = client_for(world.mttq_huyen).post(
        reverse("organizations:account_reset_password", args=[world.phunu_iadom.pk])
    )
    temporary = response.context["temporary"]
    world.phunu_iadom.refresh_from_db()
    assert world.phunu_iadom.check_password(temporary) and world.phunu_iadom.must_change_password

    user_client = Client()
    user_client.force_login(world.phunu_iadom)
    redirected = user_client.get(reverse("home"))
    assert redirected.status_code == 302 and redirected["Location"] == reverse(
        "organizations:password_change"
    )
    changed = user_client.post(
        reverse("organizations:password_change"),
        {
            "old_password": temporary,
            "new_password1": "Mat-khau-moi-2018",
            "new_password2": "Mat-khau-moi-2018",
        },
    )
    assert changed.status_code == 302
    world.phunu_iadom.refresh_from_db()
    assert not world.phunu_iadom.must_change_password
    assert user_client.get(reverse("home")).status_code == 200


def test_account_reset_password_by_get_is_refused(client_for, world):
    url = reverse("organizations:account_reset_password", args=[world.phunu_iadom.pk])
    assert client_for(world.mttq_huyen).get(url).status_code == 405


def test_profile_shows_organization_role_and_scope(client_for, world):
    body = client_for(world.phunu_iadom).get(reverse("organizations:profile")).content.decode()
    assert "Hội Liên hiệp Phụ nữ xã Ia Dom" in body
    assert "Người nhập liệu" in body
    assert "chỉ Hội Liên hiệp Phụ nữ" in body


def test_account_changes_are_listed_with_who_and_what(client_for, world):
    client = client_for(world.mttq_huyen)
    client.post(reverse("organizations:account_set_active", args=[world.phunu_iadom.pk]), {"active": "0"})
    body = client.get(reverse("organizations:account_list")).content.decode()
    assert "is_active" in body or "đang hoạt động" in body
    assert world.mttq_huyen.full_name in body


def _listed(page: str) -> set[int]:
    """The organizations the account form's select lists."""
    select = page[
        page.index('name="organization"') : page.index("</select>", page.index('name="organization"'))
    ]
    return {int(v) for v in re.findall(r'<option value="(\d+)"', select)}


def _organizations(*units) -> set[int]:
    return set(Organization.objects.filter(unit__in=units).values_list("pk", flat=True))


def test_account_form_lists_the_managers_units_and_the_level_below(client_for, world):
    """A province's 12,000 organizations made one unusable select: the form lists the
    manager's own units and the level below; a unit chosen above it lists that unit's
    organizations and, for a commune, its residential areas' branches."""
    client = client_for(world.mttq_huyen)
    page = client.get(reverse("organizations:account_create")).content.decode()
    assert _listed(page) == _organizations(world.district, world.iadom, world.iakla)

    page = client.get(reverse("organizations:account_create"), {"unit": world.iadom.pk}).content.decode()
    assert _listed(page) == _organizations(world.iadom, *world.iadom_areas)
    assert f'<option value="{world.iadom.pk}" selected>' in page


def test_account_form_refuses_a_unit_outside_the_managers(client_for, world):
    page = client_for(world.mttq_huyen).get(
        reverse("organizations:account_create"), {"unit": world.province.pk}
    )
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="unit-error">Hãy chọn một lựa chọn hợp lệ' in body
    assert _listed(body) == _organizations(world.district, world.iadom, world.iakla)


def test_account_for_a_branch_is_created_and_edited_from_its_commune(client_for, world):
    client = client_for(world.mttq_huyen)
    branch = world.org(world.iadom_areas[0], OrgKind.FARMERS)
    url = reverse("organizations:account_create") + f"?unit={world.iadom.pk}"
    response = client.post(url, _new_account_data(world, username="chihoi.lang1", organization=branch.pk))
    assert response.status_code == 302
    user = User.objects.get(username="chihoi.lang1")
    assert Membership.objects.get(user=user).organization == branch
    # Its page lists the branch, chosen, though the branch lies two levels down.
    page = client.get(reverse("organizations:account_update", args=[user.pk])).content.decode()
    assert branch.pk in _listed(page) and f'<option value="{branch.pk}" selected>' in page
