"""Pages that show or take a password are never stored; every cookie carries its flags in
production; the health check answers over plain HTTP from the proxy."""

import json

from django.urls import reverse

from .test_settings import _manage

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "k" * 30 + "-Zq8!vT2@pL9#xR4$mN7%bW1^cY6&hJ3*",
    "ALLOWED_HOSTS": "portal.example.vn",
    # The health check's "SELECT 1" needs a database; the checkout's own is not touched.
    "DATABASE_URL": "sqlite://:memory:",
}


def _not_stored(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


# ---------------------------------------------------------------- no-store


def test_the_temporary_password_page_is_never_stored(client_for, world):
    client = client_for(world.mttq_huyen)
    response = client.post(reverse("organizations:account_reset_password", args=[world.phunu_iadom.pk]))
    assert response.status_code == 200 and 'id="temporary-password"' in response.content.decode()
    assert _not_stored(response)


def test_pages_that_take_a_password_are_never_stored(client_for, world):
    client = client_for(world.mttq_huyen)
    assert _not_stored(client.get(reverse("organizations:account_create")))
    # The new account's temporary password sent back with an error in another field.
    response = client.post(
        reverse("organizations:account_create"), {"username": "Sai Chu Hoa", "password": "Tam-thoi-2017!"}
    )
    assert response.status_code == 200 and _not_stored(response)
    assert "Tam-thoi-2017!" not in response.content.decode()
    assert _not_stored(client.get(reverse("organizations:password_change")))
    assert _not_stored(client.get(reverse("login")))


# ---------------------------------------------------------------- production


PROBE = """
import json
from django.test import Client

client = Client(HTTP_HOST="portal.example.vn")
health = client.get("/healthz")
login = client.get("/accounts/login/")
language = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, secure=True)
cookie = language.cookies["django_language"]
print(json.dumps({
    "healthz": [health.status_code, health.content.decode()],
    "login": [login.status_code, login.get("Location")],
    "language_cookie": {"secure": bool(cookie["secure"]), "httponly": bool(cookie["httponly"]),
                        "samesite": cookie["samesite"]},
}))
"""


def test_production_language_cookie_flags_and_healthz_over_http():
    result = _manage("shell", "-c", PROBE, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    # Plain HTTP is still sent to HTTPS...
    assert seen["login"] == [301, "https://portal.example.vn/accounts/login/"]
    # ...except the health check, asked by the local proxy or a load balancer over HTTP.
    assert seen["healthz"] == [200, '{"status": "ok"}']
    # The language cookie as the session and CSRF cookies: HTTPS only, no script, same site.
    assert seen["language_cookie"] == {"secure": True, "httponly": True, "samesite": "Lax"}
