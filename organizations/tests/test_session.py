import time
from datetime import timedelta

from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone


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
    assert not settings.SESSION_SAVE_EVERY_REQUEST  # renewed by the middleware instead
    assert 0 < settings.SESSION_RENEW_SECONDS <= 300
    assert 0 < settings.SESSION_COOKIE_AGE <= settings.SESSION_ABSOLUTE_SECONDS


def _expiry(client, settings):
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value).expire_date


def test_idle_limit_renewed_at_most_once_a_renewal_period(client_for, world, settings):
    client = client_for(world.mttq_iadom)
    assert client.get(reverse("home")).status_code == 200
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    soon = timezone.now() + timedelta(seconds=600)
    Session.objects.filter(session_key=key).update(expire_date=soon)
    # Within the renewal period the session row is not written again.
    assert client.get(reverse("home")).status_code == 200
    assert _expiry(client, settings) == soon
    # Once the last renewal is a period old, the next request renews session and cookie.
    session = client.session
    session["_renewed_at"] = int(time.time()) - settings.SESSION_RENEW_SECONDS
    session.save()
    Session.objects.filter(session_key=key).update(expire_date=soon)
    response = client.get(reverse("home"))
    assert _expiry(client, settings) > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_COOKIE_AGE
