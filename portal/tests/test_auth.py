import pytest
from django.conf import settings
from django.contrib.auth.hashers import get_hasher
from django.urls import reverse

from portal.conftest_helpers import login_post


def test_login_page_is_vietnamese(client, world):
    body = client.get(reverse("login")).content.decode()
    assert "Đăng nhập" in body and "Tên đăng nhập" in body and "Mật khẩu" in body
    assert "Log in" not in body and "Username" not in body and "Password" not in body


def test_login_and_logout(client, world):
    response = login_post(client, "mttq.iadom")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_login_wrong_password_message_in_vietnamese(client, world):
    response = login_post(client, "mttq.iadom", "sai-mat-khau")
    assert response.status_code == 200
    assert "mật khẩu chính xác" in response.content.decode()


def test_login_locked_after_five_failures(client, world):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login_post(client, "phunu.iadom", "sai")
    # Even the right password is refused while the lock lasts.
    response = login_post(client, "phunu.iadom")
    assert response.status_code == 429
    body = response.content.decode()
    assert "tạm thời bị khóa" in body and "15 phút" in body
    # Another account from the same office is not locked.
    assert login_post(client, "mttq.iadom").status_code == 302


def test_passwords_are_hashed_with_argon2():
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert get_hasher().algorithm == "argon2"


@pytest.mark.parametrize("url", ["/", "/units/", "/programs/", "/accounts/profile/", "/users/"])
def test_pages_need_login(client, world, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
