"""Helpers for tests that go through the real login form (axes needs a request)."""

from django.urls import reverse

PASSWORD = "DucCo@2017"


def login_post(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})
