"""The page of API tokens: the Front's reviewers issue tokens for the organizations of their
subtree, see each token's text once, and revoke them."""

import datetime

from django.utils import timezone

from api.models import ApiToken
from organizations.models import OrgKind

from .conftest import Issued, issue


def _form(organization, **extra) -> dict:
    return {
        "name": "Cơ sở dữ liệu giảm nghèo",
        "organization": organization.pk,
        "expires_on": (timezone.localdate() + datetime.timedelta(days=60)).strftime("%d/%m/%Y"),
        "personal_data": "",
        **extra,
    }


def test_reviewer_issues_a_token_shown_once(world, client_for, api_get):
    client = client_for(world.mttq_huyen)
    page = client.get("/api-tokens/new/", {"unit": world.iadom.pk})
    assert page.status_code == 200
    iadom_front = world.org(world.iadom, OrgKind.FRONT)
    assert iadom_front.name in page.content.decode()
    response = client.post("/api-tokens/new/", _form(iadom_front))
    assert response.status_code == 302
    shown = client.get(response["Location"])
    token = ApiToken.objects.get()
    text = shown.context["text"]
    assert text in shown.content.decode()
    assert shown["Cache-Control"].startswith("max-age=0")
    # Once: the page again (a reload) does not show it.
    again = client.get(response["Location"])
    assert again.status_code == 302 and text not in client.get(again["Location"]).content.decode()
    assert (token.name, token.organization, token.issued_by) == (
        "Cơ sở dữ liệu giảm nghèo",
        iadom_front,
        world.mttq_huyen,
    )
    assert token.valid_until == timezone.localdate() + datetime.timedelta(days=60)
    # The text works once given to the system, and is never shown again.
    assert api_get(Issued(token, text), "/units").status_code == 200
    listing = client.get("/api-tokens/").content.decode()
    assert "Cơ sở dữ liệu giảm nghèo" in listing and text not in listing


def test_organization_outside_the_scope_is_refused(world, client_for):
    from organizations.models import Unit, UnitLevel
    from organizations.services import ensure_organizations

    other_district = Unit.objects.create(
        name="Huyện Chư Prông", level=UnitLevel.DISTRICT, parent=world.province
    )
    ensure_organizations(other_district)
    response = client_for(world.mttq_huyen).post(
        "/api-tokens/new/", _form(world.org(other_district, OrgKind.FRONT))
    )
    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_expiry_in_the_past_is_refused(world, client_for):
    response = client_for(world.mttq_huyen).post(
        "/api-tokens/new/", _form(world.org(world.iadom, OrgKind.FRONT), expires_on="01/01/2020")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["expires_on"] == ["Ngày hết hạn phải sau hôm nay."]
    assert not ApiToken.objects.exists()


def test_only_front_reviewers_manage_tokens(world, client_for):
    for user in (world.mttq_iadom, world.phunu_iadom, world.lanhdao, world.nongdan_huyen):
        client = client_for(user)
        assert client.get("/api-tokens/").status_code == 403
        assert client.get("/api-tokens/new/").status_code == 403
    assert client_for(world.admin).get("/api-tokens/").status_code == 200


def test_reviewer_revokes_a_token(world, client_for, api_get):
    issued = issue(world, world.org(world.iadom, OrgKind.FRONT))
    client = client_for(world.mttq_huyen)
    response = client.post(f"/api-tokens/{issued.token.pk}/revoke/")
    assert response.status_code == 302
    issued.token.refresh_from_db()
    assert issued.token.revoked_by == world.mttq_huyen
    assert api_get(issued, "/units").status_code == 401
    assert "đã thu hồi" in client.get("/api-tokens/").content.decode()


def test_list_shows_only_the_tokens_of_the_reviewers_subtree(world, client_for):
    from organizations.models import Unit, UnitLevel
    from organizations.services import ensure_organizations

    other_district = Unit.objects.create(
        name="Huyện Chư Prông", level=UnitLevel.DISTRICT, parent=world.province
    )
    ensure_organizations(other_district)
    issue(world, world.org(world.iakla, OrgKind.WOMEN), name="Hệ thống Ia Kla")
    issue(world, world.org(other_district, OrgKind.FRONT), name="Hệ thống Chư Prông")
    listing = client_for(world.mttq_huyen).get("/api-tokens/").content.decode()
    assert "Hệ thống Ia Kla" in listing and "Hệ thống Chư Prông" not in listing


def test_the_menu_leads_front_reviewers_to_the_tokens(world, client_for):
    assert "/api-tokens/" in client_for(world.mttq_huyen).get("/").content.decode()
    for user in (world.phunu_iadom, world.lanhdao):
        assert "/api-tokens/" not in client_for(user).get("/").content.decode()


def test_service_accounts_are_not_people_on_the_account_pages(world, client_for):
    issued = issue(world, world.org(world.iadom, OrgKind.FRONT))
    client = client_for(world.mttq_huyen)
    listing = client.get("/users/").content.decode()
    assert "mttq.iadom" in listing and issued.token.user.username not in listing
    # Nobody may take the prefix for a person's account.
    response = client.post(
        "/users/new/",
        {"username": "api.nguoi", "full_name": "Nguyễn Văn A", "organization": world.org(world.iadom, OrgKind.FRONT).pk,
         "role": "editor", "password": "Mat-khau-tam-2017!"},
    )  # fmt: skip
    assert response.status_code == 200 and "được dành cho các hệ thống dùng API" in response.content.decode()
