"""Hardening: production settings, headers and CSP, CSRF on every POST, escaping, session
expiry, and the security log."""

import functools
import json
import logging
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from devdata.testing import login_post
from organizations.models import Membership, OrgKind, Role, Unit, UnitLevel

from .page_rules import page_problems
from .permission_cases import ADMIN, ANON, CASES
from .test_permission_matrix import project_url_names, send_watched
from .test_settings import _manage

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "k" * 30 + "-Zq8!vT2@pL9#xR4$mN7%bW1^cY6&hJ3*",
    "ALLOWED_HOSTS": "portal.example.vn",
}

# ---------------------------------------------------------------- production settings


def test_production_cookies_and_headers():
    code = (
        "import json; from django.conf import settings as s; print(json.dumps({k: getattr(s, k) for k in ["
        "'SESSION_COOKIE_SECURE','SESSION_COOKIE_HTTPONLY','SESSION_COOKIE_SAMESITE',"
        "'CSRF_COOKIE_SECURE','CSRF_COOKIE_HTTPONLY','CSRF_COOKIE_SAMESITE','SECURE_SSL_REDIRECT',"
        "'SECURE_HSTS_SECONDS','X_FRAME_OPTIONS','SECURE_REFERRER_POLICY','SECURE_CONTENT_TYPE_NOSNIFF',"
        "'SESSION_COOKIE_AGE','SESSION_SAVE_EVERY_REQUEST','SESSION_ABSOLUTE_SECONDS','PASSWORD_HASHERS']}"
        " | {'CONN_HEALTH_CHECKS': s.DATABASES['default']['CONN_HEALTH_CHECKS']}))"
    )
    result = _manage("shell", "-c", code, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["SESSION_COOKIE_SECURE"] and values["SESSION_COOKIE_HTTPONLY"]
    assert values["CSRF_COOKIE_SECURE"] and values["CSRF_COOKIE_HTTPONLY"]
    assert values["SESSION_COOKIE_SAMESITE"] in ("Lax", "Strict")
    assert values["CSRF_COOKIE_SAMESITE"] in ("Lax", "Strict")
    assert values["SECURE_SSL_REDIRECT"] and values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"]
    assert not values["SESSION_SAVE_EVERY_REQUEST"]  # renewed by SessionLifetimeMiddleware instead
    assert 0 < values["SESSION_COOKIE_AGE"] <= values["SESSION_ABSOLUTE_SECONDS"] <= 24 * 3600
    assert values["PASSWORD_HASHERS"][0].endswith("Argon2PasswordHasher")
    assert values["CONN_HEALTH_CHECKS"] is True


def test_login_cookie_flags_in_production(client, world, settings):
    # The production values (checked above) applied to the test client's login.
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    response = login_post(client, "mttq.iadom")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"


# ---------------------------------------------------------------- headers and CSP


def test_pages_send_security_headers(client_for, world):
    response = client_for(world.mttq_iadom).get(reverse("home"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


# Every page the permission matrix opens is checked with page_rules.page_problems; here,
# each rule catching its fault.
@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("<script>alert(1)</script>", "an inline <script>"),
        ('<p style="color: red">x</p>', "a style= attribute"),
        ('<form method="post"><button>Lưu</button></form>', "a POST form without CSRF token"),
    ],
)
def test_page_rules_catch_inline_script_style_and_a_form_without_token(body, problem):
    page = HttpResponse(f'<html><body><script src="/static/x.js"></script>{body}</body></html>')
    assert page_problems(page) == ["no Content-Security-Policy header", problem]
    page["Content-Security-Policy"] = "default-src 'self'"
    assert page_problems(page) == [problem]
    safe = HttpResponse('<script type="application/json" id="d">{}</script><form method="get"></form>')
    safe["Content-Security-Policy"] = "default-src 'self'"
    assert page_problems(safe) == []


# ---------------------------------------------------------------- CSRF


def test_post_without_csrf_token_is_refused_everywhere(world, matrix):
    """Every URL of the project, as the superuser (who may do everything) with a valid body."""
    for name in project_url_names():
        case = CASES[name]
        role = ANON if name == "login" else ADMIN
        target = matrix.target(role, in_scope=True)
        url = reverse(name, kwargs=case.kwargs(target) if case.kwargs else None)
        client = Client(enforce_csrf_checks=True)
        if role != ANON:
            client.force_login(world.users[role])
        data = case.data(target)
        response, changed = send_watched(functools.partial(client.post, url, data))
        assert response.status_code == 403, f"POST {url} without CSRF token answered {response.status_code}"
        assert not changed(), f"POST {url} without CSRF token changed data"


def test_post_with_csrf_token_is_accepted(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.mttq_iadom)
    page = client.get(reverse("organizations:unit_detail", args=[world.iadom.pk])).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(
        reverse("organizations:area_create", args=[world.iadom.pk]),
        {"name": "Thôn 9", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert Unit.objects.filter(parent=world.iadom, name="Thôn 9").exists()


# ---------------------------------------------------------------- escaping

HOSTILE = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_user_content_is_escaped_everywhere_it_shows(client_for, world):
    client = client_for(world.mttq_huyen)
    response = client.post(reverse("organizations:area_create", args=[world.iadom.pk]), {"name": HOSTILE})
    assert response.status_code == 302
    area = Unit.objects.get(parent=world.iadom, level=UnitLevel.AREA, name=HOSTILE)
    world.phunu_iadom.full_name = HOSTILE
    world.phunu_iadom.save()
    for url in [
        reverse("home"),
        reverse("organizations:unit_detail", args=[world.iadom.pk]),
        reverse("organizations:area_update", args=[area.pk]),
        reverse("organizations:account_list"),
        reverse("organizations:account_update", args=[world.phunu_iadom.pk]),
    ]:
        body = client.get(url).content.decode()
        assert HOSTILE not in body, url
        assert ESCAPED in body, url
    # The success message after the write is escaped too.
    body = client.get(reverse("organizations:unit_detail", args=[world.iadom.pk])).content.decode()
    assert "<script>alert" not in body


# ---------------------------------------------------------------- sessions


def test_session_ends_after_inactivity(world):
    client = Client()
    login_post(client, "mttq.iadom")
    assert client.get(reverse("home")).status_code == 200
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    # As if the idle limit had passed since the last request.
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_each_request_pushes_the_idle_limit_back(world):
    client = Client()
    login_post(client, "mttq.iadom")
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(seconds=60))
    assert client.get(reverse("home")).status_code == 200
    expires = Session.objects.get(session_key=key).expire_date
    assert expires > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


# ---------------------------------------------------------------- security log


def test_failed_login_is_logged(client, world, caplog):
    with caplog.at_level(logging.INFO, logger="portal.security"):
        login_post(client, "phunu.iadom", "sai-mat-khau")
    records = [r for r in caplog.records if r.name == "portal.security"]
    assert any(
        r.levelno == logging.WARNING and "login failed: user=phunu.iadom" in r.getMessage() for r in records
    )


def test_successful_login_is_logged(client, world, caplog):
    with caplog.at_level(logging.INFO, logger="portal.security"):
        login_post(client, "phunu.iadom")
    assert any(
        "login: user=phunu.iadom" in r.getMessage() for r in caplog.records if r.name == "portal.security"
    )


def test_refused_permission_is_logged(client_for, world, caplog):
    client = client_for(world.lanhdao)
    with caplog.at_level(logging.INFO, logger="portal.security"):
        response = client.post(
            reverse("organizations:area_create", args=[world.iadom.pk]), {"name": "Thôn 9"}
        )
    assert response.status_code == 403
    messages = [r.getMessage() for r in caplog.records if r.name == "portal.security"]
    assert any(f"permission refused: user={world.lanhdao.pk} permission=manage_areas" in m for m in messages)


def test_refused_account_management_is_logged(client_for, world, caplog):
    client = client_for(world.mttq_iadom)
    with caplog.at_level(logging.INFO, logger="portal.security"):
        assert client.get(reverse("organizations:account_list")).status_code == 403
    messages = [r.getMessage() for r in caplog.records if r.name == "portal.security"]
    assert any(
        f"permission refused: user={world.mttq_iadom.pk} permission=manage_users" in m for m in messages
    )


# ---------------------------------------------------------------- access control


def test_reviewer_cannot_take_over_a_superuser_with_a_membership_in_scope(client_for, world):
    """A district IT officer may be a superuser and a member of a commune's Front: the
    district reviewer must not be able to reset that password (and log in as superuser)."""
    it_officer = world.users["admin"]
    Membership.objects.create(
        user=it_officer, organization=world.org(world.iadom, OrgKind.FRONT), role=Role.EDITOR
    )
    password = it_officer.password
    client = client_for(world.mttq_huyen)
    assert (
        client.post(reverse("organizations:account_reset_password", args=[it_officer.pk])).status_code == 403
    )
    assert (
        client.post(
            reverse("organizations:account_set_active", args=[it_officer.pk]), {"active": "0"}
        ).status_code
        == 403
    )
    assert client.get(reverse("organizations:account_update", args=[it_officer.pk])).status_code == 403
    it_officer.refresh_from_db()
    assert it_officer.password == password and it_officer.is_active


def test_reviewer_still_manages_ordinary_accounts_in_scope(client_for, world):
    response = client_for(world.mttq_huyen).post(
        reverse("organizations:account_reset_password", args=[world.phunu_iadom.pk])
    )
    assert response.status_code == 200
