"""Tokens: stored hashed, refused when unknown, revoked or expired (401 in JSON, with a
Vietnamese message), rate limited per token (429 with Retry-After), every call logged."""

import datetime
import hashlib

import pytest
from django.utils import timezone

from api import services
from api.models import ApiCall, ApiToken
from organizations.models import OrgKind

from .conftest import issue


def test_token_is_stored_as_a_hash_only(matrix):
    world = matrix.world
    issued = issue(world, world.org(world.iadom, OrgKind.FRONT))
    row = ApiToken.objects.filter(pk=issued.token.pk).values().get()
    assert row["secret_hash"] == hashlib.sha256(issued.text.encode()).hexdigest()
    secret = issued.text.rsplit("_", 1)[1]
    assert not [value for value in row.values() if secret in str(value)]
    assert issued.text.startswith(f"mttq_{row['prefix']}_")
    # The service account never logs in.
    assert not issued.token.user.has_usable_password()
    assert issued.token.user.memberships.get().role == "viewer"


@pytest.mark.parametrize(
    "header",
    [
        "Bearer mttq_000000000000_khongcoma",
        "Bearer khong-phai-ma",
        "Bearer ",
        "Token abc",
    ],
)
def test_unknown_token_answers_401(tokens, api_get, header):
    response = api_get(None, "/units", headers={"Authorization": header})
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["code"] in {"token_invalid", "token_missing"}


def test_right_prefix_with_a_wrong_secret_answers_401(tokens, api_get):
    text = tokens["commune_front"].text
    forged = text[:-4] + ("aaaa" if not text.endswith("aaaa") else "bbbb")
    response = api_get(None, "/units", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401
    assert response.json() == {"code": "token_invalid", "message": "Mã truy cập API không hợp lệ."}


def test_expired_token_answers_401(tokens, api_get):
    response = api_get(tokens["expired"], "/households")
    assert response.status_code == 401
    assert response.json() == {"code": "token_expired", "message": "Mã truy cập API đã hết hạn."}


def test_token_expires_at_the_end_of_its_last_day(matrix, api_get):
    world = matrix.world
    issued = issue(world, world.org(world.iadom, OrgKind.FRONT), days=1)
    assert api_get(issued, "/units").status_code == 200
    assert issued.token.valid_until == timezone.localdate() + datetime.timedelta(days=1)
    ApiToken.objects.filter(pk=issued.token.pk).update(expires_at=timezone.now())
    assert api_get(issued, "/units").status_code == 401


def test_revoked_token_answers_401_at_once(tokens, api_get, matrix):
    issued = tokens["commune_front"]
    assert api_get(issued, "/households").status_code == 200
    services.revoke_token(token=issued.token, by=matrix.world.mttq_huyen)
    response = api_get(issued, "/households")
    assert response.status_code == 401
    assert response.json() == {"code": "token_revoked", "message": "Mã truy cập API đã bị thu hồi."}
    # Its service account is deactivated too: nothing it could reach is left.
    issued.token.user.refresh_from_db()
    assert not issued.token.user.is_active


def test_missing_token_answers_401_in_vietnamese_whatever_the_language_asked(api_get):
    response = api_get(None, "/units", headers={"Accept-Language": "en"})
    assert response.status_code == 401
    assert response.json()["message"].startswith("Hãy gửi mã truy cập API")


def test_rate_limit_answers_429_with_retry_after(tokens, api_get, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    issued = tokens["commune_front"]
    answers = [api_get(issued, "/indicators").status_code for _ in range(3)]
    assert answers == [200, 200, 200]
    refused = api_get(issued, "/indicators")
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert 1 <= int(refused["Retry-After"]) <= 60
    # The limit is the token's own: another system is not slowed down.
    assert api_get(tokens["district_front"], "/indicators").status_code == 200


def test_every_call_is_logged_with_its_rows_and_status(tokens, api_get, matrix):
    issued = tokens["commune_front"]
    response = api_get(issued, "/households", page_size=1)
    assert response.status_code == 200
    api_get(issued, "/households/999999")
    call, missing = ApiCall.objects.filter(token=issued.token).order_by("pk")
    assert (call.method, call.path, call.status, call.rows) == (
        "GET",
        "/api/v1/households?page_size=1",
        200,
        1,
    )
    assert call.duration_ms >= 0
    assert (missing.status, missing.rows) == (404, 0)
    # A refused token's call is logged against it too.
    services.revoke_token(token=issued.token, by=matrix.world.admin)
    api_get(issued, "/units")
    assert ApiCall.objects.filter(token=issued.token).latest("pk").status == 401


def test_token_cannot_be_issued_past_the_longest_validity(matrix, settings):
    from django.core.exceptions import ValidationError

    world = matrix.world
    with pytest.raises(ValidationError):
        issue(world, world.org(world.iadom, OrgKind.FRONT), days=settings.API_TOKEN_MAX_DAYS + 1)
    with pytest.raises(ValidationError):
        issue(world, world.org(world.iadom, OrgKind.FRONT), days=0)
