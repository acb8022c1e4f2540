"""Screenshots for docs/huong-dan-su-dung.md, taken from the demo data so they stay current.

Every test run walks the guide's journeys and takes the shots into a temporary folder (so
a changed page that breaks the guide fails the tests). To refresh the guide's images run
``UPDATE_USER_GUIDE=1 pytest e2e/test_user_guide_screenshots.py`` and commit docs/images/.
Each shot is a viewport (not a full page) at
1280 x 760 (phone shots 375 x 812), so the PNGs stay small. The test also checks each
image exists afterwards and is not too heavy for the repository.
"""

import os
import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"
DOC_IMAGES = DOCS / "images"
GUIDES = ["huong-dan-su-dung.md", "tra-cuu-nhanh-can-bo-xa.md"]
REVIEW_LIST = (
    Path(__file__).resolve().parents[1]
    / "households"
    / "tests"
    / "data"
    / "danh-sach-ho-ngheo-ia-dom-2017.xlsx"
)
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
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    nav.get_by_role("button", name="Tài khoản", exact=True).click()
    nav.get_by_role("link", name="Tài khoản người dùng", exact=True).click()
    page.wait_for_load_state()
    shots.append(_shot(page, "04-tai-khoan", images))
    page.get_by_role("button", name="Rơ Lan Châu").click()
    page.get_by_label("Ngôn ngữ").wait_for()
    shots.append(_shot(page, "05-menu-nguoi-dung-ngon-ngu", images))
    # The registrations of the open year, to follow and review.
    page.goto(f"{live_server.url}/tracking/")
    page.get_by_role("heading", name="Đăng ký năm 2021").wait_for()
    shots.append(_shot(page, "12-theo-doi-dang-ky", images))
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
    # The households no organization sponsors yet (the gap list).
    page.goto(f"{live_server.url}/households/gaps/")
    shots.append(_shot(page, "16-ho-chua-duoc-do-dau", images))
    # A review list from Excel: the preview before anything is saved.
    page.goto(f"{live_server.url}/households/import/")
    page.get_by_label("Xã, thị trấn").select_option(label="Xã Ia Dom")
    page.get_by_label("Năm rà soát").fill("2017")
    page.get_by_label("Danh sách rà soát (.xlsx)").set_input_files(str(REVIEW_LIST))
    page.get_by_role("button", name="Xem trước").click()
    page.get_by_role("heading", name="Xem trước dữ liệu nhập").wait_for()
    shots.append(_shot(page, "15-nhap-danh-sach-xem-truoc", images))

    # The same on a phone.
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{live_server.url}/")
    shots.append(_shot(page, "09-dien-thoai-trang-chu", images))
    page.set_viewport_size({"width": 1280, "height": 760})
    page.context.clear_cookies()

    # An organization's officer at the commune: the year's registration, checked, then filled in.
    login("phunu.iadom")
    page.goto(f"{live_server.url}/registrations/")
    _click_link(page, "Hội Liên hiệp Phụ nữ xã Ia Dom")
    shots.append(_shot(page, "13-bang-dang-ky", images))
    page.get_by_role("link", name="Sửa nội dung đăng ký").click()
    page.wait_for_load_state()
    page.locator("#id_form-0-kind").select_option(label="Nội dung Cuộc vận động")
    page.locator("#id_form-0-description").fill("Vận động hội viên trồng hàng rào xanh ở Làng 1")
    page.locator("#id_form-0-content").select_option(index=3)
    page.locator("#id_form-0-target_quantity").fill("30")
    page.locator("#id_form-0-target_unit").fill("hộ")
    shots.append(_shot(page, "14-sua-bang-dang-ky", images))
    page.context.clear_cookies()

    # Leader (read only).
    login("lanhdao")
    shots.append(_shot(page, "10-trang-chu-lanh-dao", images))
    page.goto(f"{live_server.url}/dashboard/")
    page.locator("canvas[data-chart='communes']").scroll_into_view_if_needed()
    page.locator("details summary").first.click()
    page.locator("details table").first.wait_for()
    page.locator("details").first.scroll_into_view_if_needed()
    shots.append(_shot(page, "17-bang-dieu-khien-dang-bang", images))
    page.context.clear_cookies()

    # Administrator.
    login("admin")
    page.goto(f"{live_server.url}/admin/")
    shots.append(_shot(page, "11-quan-tri", images))

    referenced = _referenced_images()
    for path in shots:
        assert path.name in referenced, f"{path.name} is not used in the guide"
        assert path.exists() and 0 < path.stat().st_size <= MAX_BYTES, (path, path.stat().st_size)
    assert sorted(referenced) == sorted(p.name for p in shots), "the guides show images no test takes"


def _referenced_images() -> set[str]:
    names = set()
    for guide in GUIDES:
        names |= set(re.findall(r"\]\(images/([^)\s]+)\)", (DOCS / guide).read_text(encoding="utf-8")))
    return names


def test_user_guide_images_exist_and_are_all_used():
    """Every image the guides show is in docs/images, and every image there is shown."""
    referenced = _referenced_images()
    present = {p.name for p in DOC_IMAGES.iterdir() if p.is_file()}
    assert referenced, "the guides show no image"
    assert sorted(referenced - present) == [], "missing from docs/images"
    assert sorted(present - referenced) == [], "in docs/images but shown by no guide"
