import re

from django.urls import reverse

ENGLISH = [
    "Site administration",
    "Log out",
    "Add",
    "Change",
    "Recent actions",
    "Groups",
    "Users",
    "View site",
    "Django administration",
    "Authentication and Authorization",
]


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style).*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_admin_index_is_vietnamese_for_superuser(client_for, world):
    response = client_for(world.admin).get(reverse("admin:index"))
    assert response.status_code == 200
    text = _visible_text(response.content.decode())
    assert "Quản trị cổng thông tin" in text
    for word in ENGLISH:
        assert not re.search(rf"\b{re.escape(word)}\b", text), word


def test_admin_changelist_of_units_is_vietnamese(client_for, world):
    response = client_for(world.admin).get(reverse("admin:organizations_unit_changelist"))
    assert response.status_code == 200
    text = _visible_text(response.content.decode())
    assert "Xã Ia Dom" in text
    for word in ["Action", "Go", "Search", "Filter", "Select unit to change"]:
        assert not re.search(rf"\b{word}\b", text), word


def test_admin_closed_to_staff_without_superuser(client_for, world):
    response = client_for(world.mttq_huyen).get(reverse("admin:index"))
    assert response.status_code == 302
