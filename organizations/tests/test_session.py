import time

from django.urls import reverse


def test_session_ends_after_absolute_lifetime(client_for, world, settings):
    client = client_for(world.mttq_iadom)
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session["_login_started_at"] = int(time.time()) - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(reverse("home")).status_code == 302


def test_session_idle_expiry_is_configured(settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert 0 < settings.SESSION_COOKIE_AGE <= settings.SESSION_ABSOLUTE_SECONDS
