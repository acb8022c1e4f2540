"""What every page has around its content: the trail from the overview to the page, and the
user's own agency beside the product's name; and what an empty, filtered list says."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.templatetags.breadcrumbs import trail
from devdata.demo.organizations import ACCOUNTS
from e2e.checks import kind_of
from organizations.models import User

TRAIL = re.compile(r'<nav aria-label="Đường dẫn"[^>]*>\s*<ol class="breadcrumb[^"]*">(.*?)</ol>', re.S)


def _crumbs(body: str) -> list[list[str]]:
    return [
        [
            re.sub(r"<[^>]+>|\s+", " ", item).strip()
            for item in re.findall(r"<li[^>]*>(.*?)</li>", found, re.S)
        ]
        for found in TRAIL.findall(body)
    ]


@translation.override("vi")
def test_breadcrumbs_trail_follows_the_menu(db):
    gaps = reverse("households:gaps")
    assert trail(gaps, "households", "Hộ chưa được đỡ đầu") == [
        ("Giúp đỡ hộ nghèo", None),
        ("Hộ chưa được đỡ đầu", None),
    ]
    # A page under an entry: the entry links back, the page is named by its title.
    assert trail("/households/12/", "households", "Rơ Mah Jin") == [
        ("Giúp đỡ hộ nghèo", None),
        ("Hộ gia đình", reverse("households:list")),
        ("Rơ Mah Jin", None),
    ]
    # An entry on its own has no section; a page of no entry is under its app's section.
    assert trail("/programs/3/", "programs", "01/CTPH")[0] == (
        "Chương trình",
        reverse("programs:program_list"),
    )
    assert trail("/indicators/", "reports", "Chỉ tiêu") == [("Báo cáo", None), ("Chỉ tiêu", None)]


@pytest.mark.parametrize("username", ["admin", *(account[0] for account in ACCOUNTS)])
def test_breadcrumbs_on_every_kind_of_page_an_account_reaches(demo, demo_pages, username):
    """Every kind of page the account reaches (a list, a record, a form) but the overview has
    one trail; the one drawn from the menu starts at the overview."""
    visited, _problems = demo_pages[username]
    client = Client()
    client.force_login(User.objects.get(username=username))
    kinds = {}
    for path in visited:
        kinds.setdefault(kind_of(path), path)
    missing, checked = [], 0
    for path in kinds.values():
        if path.split("?")[0] in ("/", "/accounts/login/") or path.startswith("/admin/"):
            continue
        response = client.get(path)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        checked += 1
        body = response.content.decode()
        crumbs = _crumbs(body)
        # Pages that draw their own trail keep it; the one drawn for them starts at the overview.
        drawn = 'id="breadcrumbs"' in body
        if len(crumbs) != 1 or len(crumbs[0]) < 2 or (drawn and crumbs[0][0] != "Tổng quan"):
            missing.append(f"{path}: {crumbs}")
    assert checked >= 3
    assert not missing, "\n".join(missing)


def test_header_names_the_users_own_agency(client_for, world):
    body = client_for(world.mttq_huyen).get(reverse("households:list")).content.decode()
    assert '<small class="fw-normal" id="agency-name">Ủy ban MTTQ Việt Nam huyện Đức Cơ</small>' in body
    body = client_for(world.phunu_iadom).get(reverse("households:list")).content.decode()
    assert 'id="agency-name">Hội Liên hiệp Phụ nữ xã Ia Dom</small>' in body
    # An administrator without an organization: the product's name only.
    assert 'id="agency-name"' not in client_for(world.admin).get(reverse("home")).content.decode()


def test_list_page_empty_says_what_was_filtered(client_for, world):
    client = client_for(world.mttq_huyen)
    body = client.get(reverse("activities:initiative_list"), {"q": "Không có mô hình"}).content.decode()
    assert "Không có kết quả nào khớp với bộ lọc: Tên: “Không có mô hình”." in body
    body = client.get(reverse("activities:initiative_list"), {"commune": world.iadom.pk}).content.decode()
    assert "Không có kết quả nào khớp với bộ lọc: Xã, thị trấn: “Xã Ia Dom”." in body
    # Nothing filtered: the list's own words.
    body = client.get(reverse("activities:initiative_list")).content.decode()
    assert "bộ lọc" not in re.search(r'id="list-empty">(.*?)</td>', body, re.S).group(1)


def test_household_list_empty_says_what_was_filtered(client_for, world):
    body = (
        client_for(world.mttq_huyen)
        .get(reverse("households:list"), {"q": "Không Ai", "year": 2017})
        .content.decode()
    )
    assert "Không có hộ nào khớp với bộ lọc: Tìm theo tên: “Không Ai”; Năm: “2017”." in body
