"""The district Front narrows the gap list to a commune and a residential area, finds no
organization chosen for it in advance, reads what an empty search means, and sees where it
is (the trail) and as whom (its agency in the header): on a laptop and on a phone."""

import re

from playwright.sync_api import expect


def test_lists_gap_list_filters_trail_and_agency(demo, login, live_server, viewport_name):
    page = login("mttq.huyen")
    page.goto(f"{live_server.url}/households/gaps/")

    # Where and as whom: the trail from the overview, the agency beside the product's name,
    # the brand and the toggler on one row on a phone.
    trail = page.locator("#breadcrumbs")
    expect(trail).to_be_visible()
    expect(trail).to_contain_text("Tổng quan")
    expect(trail).to_contain_text("Giúp đỡ hộ nghèo")
    agency = page.locator("#agency-name")
    expect(agency).to_be_visible()
    expect(agency).to_have_text("Ủy ban MTTQ Việt Nam huyện Đức Cơ")
    if viewport_name == "phone":
        brand = page.locator(".navbar-brand").bounding_box()
        toggler = page.locator(".navbar-toggler").bounding_box()
        assert toggler["y"] < brand["y"] + brand["height"], "the toggler went under the brand"
        assert brand["x"] + brand["width"] <= toggler["x"], "the brand runs under the toggler"

    # One commune.
    page.get_by_label("Xã, thị trấn", exact=True).select_option(label="Xã Ia Dom")
    page.get_by_role("button", name="Lọc").click()
    rows = page.locator("#gaps tbody tr")
    expect(rows.first).to_be_visible()
    for text in rows.locator("td:nth-child(2)").all_inner_texts():
        assert "Xã Ia Dom" in text

    # No organization is chosen in advance on any row.
    selects = page.locator("#gaps select[name=organization]")
    if selects.count():
        assert {selects.nth(i).input_value() for i in range(selects.count())} == {""}
        expect(selects.first.locator("option").first).to_have_text("— Chọn tổ chức —")

    # One residential area, named with its commune.
    area = page.get_by_label("Khu dân cư", exact=True)
    labels = [t for t in area.locator("option").all_inner_texts() if t.endswith("– Xã Ia Dom")]
    assert labels, "no residential area of Xã Ia Dom to choose"
    area.select_option(label=labels[0])
    page.get_by_role("button", name="Lọc").click()
    name = labels[0].split(" – ")[0]
    texts = page.locator("#gaps tbody td:nth-child(2)").all_inner_texts()
    if texts:
        assert all(t.startswith(name) for t in texts)
    else:
        expect(page.locator("#gaps-empty")).to_contain_text(f"ở {name}, Xã Ia Dom")

    # A search that finds nobody says what was searched where, not that the gap is closed.
    page.goto(f"{live_server.url}/households/gaps/")
    page.get_by_label("Xã, thị trấn", exact=True).select_option(label="Xã Ia Dom")
    page.get_by_label("Tìm theo tên").fill("Không có ai tên này")
    page.get_by_role("button", name="Lọc").click()
    empty = page.locator("#gaps-empty")
    expect(empty).to_have_text("Không có hộ nào khớp với “Không có ai tên này” ở Xã Ia Dom.")
    expect(page.locator("#gaps")).not_to_contain_text("đều đã có tổ chức đỡ đầu")
    assert re.search(r"commune=\d+", page.url)
