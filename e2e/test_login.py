import re

import pytest
from playwright.sync_api import expect

DEMO_HOMES = {
    # username: text the home page shows for that role
    "admin": "Quản trị hệ thống",
    "mttq.huyen": "Ủy ban MTTQ Việt Nam huyện Đức Cơ",
    "nongdan.huyen": "Hội Nông dân huyện Đức Cơ",
    "mttq.iadom": "Ủy ban MTTQ Việt Nam xã Ia Dom",
    "phunu.iadom": "Hội Liên hiệp Phụ nữ xã Ia Dom",
    "mttq.iakla": "Ủy ban MTTQ Việt Nam xã Ia Kla",
    "lanhdao": "chỉ xem",
}


@pytest.mark.parametrize("username", DEMO_HOMES)
def test_login_each_demo_account_sees_its_home(demo, login, live_server, username):
    page = login(username)
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("main")).to_contain_text(DEMO_HOMES[username])


def test_login_wrong_password_is_refused_in_vietnamese(demo, login, live_server):
    page = login("mttq.iadom", password="sai-mat-khau")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_role("alert")).to_contain_text("mật khẩu chính xác")
