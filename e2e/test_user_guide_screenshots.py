"""Screenshots for docs/huong-dan-su-dung.md, taken from the demo data so they stay current.

Every test run walks the guide's journeys and takes the shots into a temporary folder (so
a changed page that breaks the guide fails the tests). To refresh the guide's images run
``UPDATE_USER_GUIDE=1 pytest e2e/test_user_guide_screenshots.py`` and commit docs/images/.
Each shot is a viewport (not a full page) at
1280 x 760 (phone shots 375 x 812), so the PNGs stay small. The test also checks each
image exists afterwards and is not too heavy for the repository.
"""

import os
from pathlib import Path

import pytest

DOC_IMAGES = Path(__file__).resolve().parents[1] / "docs" / "images"
MAX_BYTES = 200 * 1024


@pytest.fixture
def images(tmp_path):
    return DOC_IMAGES if os.environ.get("UPDATE_USER_GUIDE") else tmp_path


def _shot(page, name: str, images: Path) -> Path:
    images.mkdir(parents=True, exist_ok=True)
    path = images / f"{name}.png"
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.screenshot(path=str(path), animations="disabled", caret="hide")
    return path


def _click_link(page, name: str):
    page.get_by_role("main").get_by_role("link", name=name).first.click()
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport_name", ["desktop"])
def test_user_guide_screenshots(demo, page, login, live_server, viewport_name, images):
    page.set_viewport_size({"width": 1280, "height": 760})
    shots = []

    page.goto(f"{live_server.url}/accounts/login/")
    shots.append(_shot(page, "01-dang-nhap", images))

    # District Front staff (reviewer).
    login("mttq.huyen")
    shots.append(_shot(page, "02-trang-chu-mttq-huyen", images))
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Chương trình", exact=True
    ).click()
    page.wait_for_load_state()
    page.locator("#programs a").first.click()
    page.wait_for_load_state()
    shots.append(_shot(page, "03-chuong-trinh-phoi-hop", images))
    page.get_by_role("link", name="Tài khoản", exact=True).first.click()
    page.wait_for_load_state()
    shots.append(_shot(page, "04-tai-khoan", images))
    page.get_by_role("button", name="Rơ Lan Châu").click()
    page.get_by_label("Ngôn ngữ").wait_for()
    shots.append(_shot(page, "05-menu-nguoi-dung-ngon-ngu", images))
    page.context.clear_cookies()

    # District organization.
    login("nongdan.huyen")
    shots.append(_shot(page, "06-trang-chu-to-chuc-huyen", images))
    page.context.clear_cookies()

    # Commune officer: home, then the commune's residential areas.
    login("mttq.iadom")
    shots.append(_shot(page, "07-trang-chu-can-bo-xa", images))
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Đơn vị hành chính"
    ).click()
    page.wait_for_load_state()
    _click_link(page, "Xã Ia Dom")
    shots.append(_shot(page, "08-khu-dan-cu-cua-xa", images))

    # The same on a phone.
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{live_server.url}/")
    shots.append(_shot(page, "09-dien-thoai-trang-chu", images))
    page.set_viewport_size({"width": 1280, "height": 760})
    page.context.clear_cookies()

    # Leader (read only).
    login("lanhdao")
    shots.append(_shot(page, "10-trang-chu-lanh-dao", images))
    page.context.clear_cookies()

    # Administrator.
    login("admin")
    page.goto(f"{live_server.url}/admin/")
    shots.append(_shot(page, "11-quan-tri", images))

    referenced = (DOC_IMAGES.parent / "huong-dan-su-dung.md").read_text(encoding="utf-8")
    for path in shots:
        assert f"images/{path.name}" in referenced, f"{path.name} is not used in the guide"
        assert path.exists() and 0 < path.stat().st_size <= MAX_BYTES, (path, path.stat().st_size)
