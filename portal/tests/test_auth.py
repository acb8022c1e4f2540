import pytest
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher, get_hasher, make_password
from django.urls import reverse

from devdata.testing import PASSWORD, login_post

PRODUCTION_HASHERS = list(settings.PASSWORD_HASHERS)


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


def test_passwords_are_hashed_with_argon2id_at_owasp_parameters():
    hasher = get_hasher()
    assert hasher.algorithm == "argon2"
    decoded = hasher.decode(hasher.encode("mat-khau-dai-du", hasher.salt()))
    assert decoded["variety"] == "argon2id"
    assert (decoded["memory_cost"], decoded["time_cost"], decoded["parallelism"]) == (19 * 1024, 2, 1)


def test_a_hash_with_djangos_argon2_parameters_logs_in_and_is_rehashed(client, world, settings):
    settings.PASSWORD_HASHERS = PRODUCTION_HASHERS
    user = world.users["mttq.iadom"]
    user.password = make_password(PASSWORD, hasher=Argon2PasswordHasher())
    user.save(update_fields=["password"])

    assert login_post(client, "mttq.iadom").status_code == 302

    user.refresh_from_db()
    decoded = get_hasher().decode(user.password)
    assert (decoded["memory_cost"], decoded["parallelism"]) == (19 * 1024, 1)
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize("url", ["/", "/units/", "/programs/", "/accounts/profile/", "/users/"])
def test_pages_need_login(client, world, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
