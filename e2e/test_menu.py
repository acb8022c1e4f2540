"""The main menu on a laptop: every entry on one row, the user's menu within the screen, and
behind the ☰ toggler below 1200 px (static/css/portal.css)."""

import pytest
from playwright.sync_api import expect


@pytest.mark.parametrize("viewport_name", ["desktop"])
# admin: the longest menu (every entry, and "Quản trị hệ thống" as the name); mttq.huyen:
# the district Front's menu beside its agency's name.
@pytest.mark.parametrize("username", ["admin", "mttq.huyen"])
def test_menu_fits_one_row_on_a_laptop_and_folds_below(demo, login, viewport_name, username):
    page = login(username)
    links = page.locator("#main-nav > ul > li > .nav-link")
    for width in (1200, 1280, 1366):
        page.set_viewport_size({"width": width, "height": 800})
        boxes = [links.nth(i).bounding_box() for i in range(links.count())]
        assert len({round(box["y"]) for box in boxes}) == 1, f"the menu takes two rows at {width} px"
        assert max(box["height"] for box in boxes) < 48, f"an entry wraps at {width} px"
        assert boxes[-1]["x"] + boxes[-1]["width"] <= width, f"the user's menu is cut off at {width} px"
    page.set_viewport_size({"width": 1100, "height": 800})
    expect(page.get_by_role("button", name="Mở trình đơn")).to_be_visible()
    expect(links.first).to_be_hidden()
