"""The language switch in the user menu, remembered per user."""

import re

from django.conf import settings
from django.test import Client
from django.urls import reverse

VIETNAMESE_LETTERS = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)


def _switch(client, language, next_url="/"):
    return client.post(reverse("set_language"), {"language": language, "next": next_url})


def test_language_default_is_vietnamese(client_for, world):
    assert world.mttq_iadom.language == "vi"
    body = client_for(world.mttq_iadom).get(reverse("home")).content.decode()
    assert "Tổng quan" in body and '<html lang="vi">' in body


def test_language_switch_is_saved_on_the_user(client_for, world):
    client = client_for(world.mttq_iadom)
    response = _switch(client, "en", reverse("organizations:unit_list"))
    assert response.status_code == 302 and response["Location"] == reverse("organizations:unit_list")
    world.mttq_iadom.refresh_from_db()
    assert world.mttq_iadom.language == "en"
    body = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in body and "Overview" in body


def test_language_unknown_choice_is_ignored(client_for, world):
    _switch(client_for(world.mttq_iadom), "fr")
    world.mttq_iadom.refresh_from_db()
    assert world.mttq_iadom.language == "vi"


def test_language_switch_needs_post(client_for, world):
    assert client_for(world.mttq_iadom).get(reverse("set_language")).status_code == 405


def test_language_anonymous_switch_sets_only_the_cookie(client, world):
    response = _switch(client, "en", reverse("login"))
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Log in" in client.get(reverse("login")).content.decode()


def test_language_choice_is_applied_at_the_next_login_on_another_browser(world):
    world.phunu_iadom.language = "en"
    world.phunu_iadom.save()
    browser = Client()  # a fresh browser: no cookie, Vietnamese by default
    assert "Đăng nhập" in browser.get(reverse("login")).content.decode()
    browser.force_login(world.phunu_iadom)
    response = browser.get(reverse("home"))
    assert '<html lang="en">' in response.content.decode()
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    # After logout the login page keeps the user's language.
    browser.post(reverse("logout"))
    assert "Log in" in browser.get(reverse("login")).content.decode()


def test_language_english_pages_show_no_vietnamese_labels(client_for, world):
    world.mttq_huyen.language = "en"
    world.mttq_huyen.save()
    client = client_for(world.mttq_huyen)
    for name in (
        "home",
        "organizations:unit_list",
        "programs:program_list",
        "organizations:account_list",
        "organizations:profile",
    ):
        body = client.get(reverse(name)).content.decode()
        # Data (unit and organization names) is Vietnamese; the labels are not. Strip the
        # data the world fixture created and look for Vietnamese letters in what remains.
        labels = re.sub(r"<[^>]+>", " ", body)
        for data in _data_strings(world):
            labels = labels.replace(data, " ")
        leftovers = sorted({w for w in labels.split() if VIETNAMESE_LETTERS.search(w)})
        assert leftovers == [], f"{name}: Vietnamese words in the English page: {leftovers[:20]}"


def _data_strings(world):
    from organizations.models import Membership, Organization, Unit, User
    from programs.models import Program

    strings = set()
    strings.update(Unit.objects.values_list("name", flat=True))
    strings.update(Organization.objects.values_list("name", flat=True))
    strings.update(s for s in User.objects.values_list("full_name", flat=True) if s)
    strings.update(s for s in Membership.objects.values_list("title", flat=True) if s)
    for program in Program.objects.all():
        strings.update(str(v) for v in vars(program).values() if isinstance(v, str) and v)
    strings.add("Tiếng Việt")  # the language's own name in the switch
    return sorted(strings, key=len, reverse=True)
