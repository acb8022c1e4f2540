"""Screenshots for docs/huong-dan-su-dung.md, taken from the demo data so they stay current.

Run ``E2E_VIEWPORTS=desktop pytest e2e/test_user_guide_screenshots.py`` and commit
docs/images/*.png when the pages change. Each shot is a viewport (not a full page) at
1280 x 760 (phone shots 375 x 812), so the PNGs stay small. The test also checks each
image exists afterwards and is not too heavy for the repository.
"""

from pathlib import Path

import pytest

IMAGES = Path(__file__).resolve().parents[1] / "docs" / "images"
MAX_BYTES = 200 * 1024


def _shot(page, name: str) -> Path:
    IMAGES.mkdir(parents=True, exist_ok=True)
    path = IMAGES / f"{name}.png"
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.screenshot(path=str(path), animations="disabled", caret="hide")
    return path


def _click_link(page, name: str):
    page.get_by_role("main").get_by_role("link", name=name).first.click()
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport_name", ["desktop"])
def test_user_guide_screenshots(demo, page, login, live_server, viewport_name):
    page.set_viewport_size({"width": 1280, "height": 760})
    shots = []

    page.goto(f"{live_server.url}/accounts/login/")
    shots.append(_shot(page, "01-dang-nhap"))

    # District Front staff (reviewer).
    login("mttq.huyen")
    shots.append(_shot(page, "02-trang-chu-mttq-huyen"))
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Chương trình", exact=True
    ).click()
    page.wait_for_load_state()
    page.locator("#programs a").first.click()
    page.wait_for_load_state()
    shots.append(_shot(page, "03-chuong-trinh-phoi-hop"))
    page.get_by_role("link", name="Tài khoản", exact=True).first.click()
    page.wait_for_load_state()
    shots.append(_shot(page, "04-tai-khoan"))
    page.get_by_role("button", name="Rơ Lan Châu").click()
    page.get_by_label("Ngôn ngữ").wait_for()
    shots.append(_shot(page, "05-menu-nguoi-dung-ngon-ngu"))
    page.context.clear_cookies()

    # District organization.
    login("nongdan.huyen")
    shots.append(_shot(page, "06-trang-chu-to-chuc-huyen"))
    page.context.clear_cookies()

    # Commune officer: home, then the commune's residential areas.
    login("mttq.iadom")
    shots.append(_shot(page, "07-trang-chu-can-bo-xa"))
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Đơn vị hành chính"
    ).click()
    page.wait_for_load_state()
    _click_link(page, "Xã Ia Dom")
    shots.append(_shot(page, "08-khu-dan-cu-cua-xa"))

    # The same on a phone.
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{live_server.url}/")
    shots.append(_shot(page, "09-dien-thoai-trang-chu"))
    page.set_viewport_size({"width": 1280, "height": 760})
    page.context.clear_cookies()

    # Leader (read only).
    login("lanhdao")
    shots.append(_shot(page, "10-trang-chu-lanh-dao"))
    page.context.clear_cookies()

    # Administrator.
    login("admin")
    page.goto(f"{live_server.url}/admin/")
    shots.append(_shot(page, "11-quan-tri"))

    for path in shots:
        assert path.exists() and 0 < path.stat().st_size <= MAX_BYTES, (path, path.stat().st_size)
