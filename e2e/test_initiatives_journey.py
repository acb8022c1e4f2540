"""nongdan.huyen records an initiative and a supervision whose follow-up is already due;
mttq.huyen sees the overdue follow-up on the home page."""

import datetime
import re

from playwright.sync_api import expect


def test_initiative_and_overdue_supervision_journey(demo, login, live_server, page):
    page = login("nongdan.huyen")
    # On a phone the menu sits behind its button, as a user would find it.
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
        # Bootstrap marks the menu "show" once it has finished opening; a click during the
        # animation may land on a moving menu.
        expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))
    page.get_by_role("button", name="Hoạt động").or_(page.get_by_role("link", name="Hoạt động")).first.click()
    page.get_by_role("link", name="Mô hình", exact=True).click()
    expect(page.get_by_role("heading", name="Mô hình", exact=True)).to_be_visible()

    page.get_by_role("link", name="Nhập mô hình").click()
    page.get_by_label("Tên", exact=False).first.fill("Tổ hợp tác trồng chanh dây Ia Dom")
    page.get_by_label("Tổ chức").select_option(label="Hội Nông dân xã Ia Dom")
    page.get_by_label("Lĩnh vực").select_option(label="2. Liên kết sản xuất, kinh doanh")
    page.get_by_label("Khu dân cư").select_option(label="Làng 2 (Xã Ia Dom)")
    page.get_by_label("Năm bắt đầu").fill("2020")
    page.get_by_label("Trạng thái").select_option(label="Đang hoạt động")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", name="Tổ hợp tác trồng chanh dây Ia Dom")).to_be_visible()
    expect(page.locator("#initiative-record")).to_contain_text("Làng 2")
    expect(page.locator("#initiative-record")).to_contain_text("Đang hoạt động")

    page.goto(f"{live_server.url}/supervision/new/")
    page.get_by_label("Hình thức").select_option(label="Giám sát")
    page.get_by_label("Chuyên đề").fill("Giám sát hỗ trợ giống cây trồng cho hộ nghèo xã Ia Dom")
    page.get_by_label("Lĩnh vực chương trình").select_option(label="Giảm nghèo")
    page.get_by_label("Đối tượng giám sát hoặc dự thảo được phản biện").fill("Ủy ban nhân dân xã Ia Dom")
    page.locator("#id_held_on").fill("10/03/2021")
    page.get_by_label("Tổ chức chủ trì").select_option(label="Hội Nông dân huyện Đức Cơ")
    page.get_by_label("Hội Liên hiệp Phụ nữ huyện Đức Cơ").check()
    page.get_by_label("Kiến nghị", exact=True).fill("Cấp bổ sung giống cho 12 hộ còn thiếu")
    page.get_by_label("Theo dõi thực hiện").select_option(label="Đang theo dõi")
    due = datetime.date.today() - datetime.timedelta(days=20)
    page.get_by_label("Hạn thực hiện kiến nghị").fill(due.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Lưu").click()
    expect(
        page.get_by_role("heading", name="Giám sát hỗ trợ giống cây trồng cho hộ nghèo xã Ia Dom")
    ).to_be_visible()
    expect(page.get_by_role("alert").filter(has_text="quá hạn")).to_be_visible()

    page.context.clear_cookies()
    page = login("mttq.huyen")
    expect(page).to_have_url(re.compile(r"/$"))
    panel = page.locator("#overdue-follow-ups")
    expect(panel).to_contain_text("Kiến nghị giám sát, phản biện quá hạn")
    expect(panel).to_contain_text("Giám sát hỗ trợ giống cây trồng cho hộ nghèo xã Ia Dom")
    expect(panel).to_contain_text(due.strftime("%d/%m/%Y"))
    panel.get_by_role("link", name="Giám sát hỗ trợ giống cây trồng cho hộ nghèo xã Ia Dom").click()
    expect(page.locator("#supervision-record")).to_contain_text("Hội Liên hiệp Phụ nữ huyện Đức Cơ")
