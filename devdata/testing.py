"""Helpers for tests: the real login form (axes needs a request), a page's options."""

import re

from django.urls import reverse

PASSWORD = "DucCo@2017"


def login_post(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def select_options(body: str, name: str) -> list[str]:
    """The labels of the select ``name`` as the page draws them."""
    select = re.search(rf'<select name="{name}".*?</select>', body, re.S).group(0)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)
