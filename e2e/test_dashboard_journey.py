"""lanhdao reads the dashboard, checks the program's rules, follows a failing one and takes
the 5-year review home as Excel."""

import io
import re

from openpyxl import load_workbook
from playwright.sync_api import expect

from e2e.checks import horizontal_overflow


def _number(text: str) -> int:
    return int(re.sub(r"[^\d-]", "", text) or 0)


STATUS_WORDS = {"Đạt tiến độ", "Có nguy cơ chậm", "Chậm tiến độ", "Không đặt chỉ tiêu", "Chưa có số liệu"}


def test_dashboard_journey(demo, login, live_server, viewport_name):
    page = login("lanhdao")

    # The home page links to the dashboard.
    page.locator("main a[href^='/dashboard/']").first.click()
    expect(page.locator("h1")).to_contain_text("Bảng điều khiển")

    # The headline: each card says its value, target, rate, change since last year and
    # status in words (not by colour only), and links to its records and its definition.
    cards = page.locator("article[data-headline]")
    expect(cards.first).to_be_visible()
    assert cards.count() >= 6
    for card in cards.all():
        value = card.locator("[data-headline-value]")
        expect(value).to_be_visible()
        assert re.search(r"\d", value.inner_text())
        assert card.locator("[data-headline-target]").inner_text().startswith("Chỉ tiêu:")
        assert card.locator("[data-headline-rate]").inner_text().startswith("Tỷ lệ:")
        assert card.locator("[data-headline-change]").inner_text().strip()
        assert card.locator("[data-headline-status]").inner_text().strip() in STATUS_WORDS
        assert card.locator("a[href^='/indicators/#']").count() == 1
    on_time = page.locator("article[data-headline='registrations_on_time']")
    assert re.search(r"Tỷ lệ: \d+%", on_time.locator("[data-headline-rate]").inner_text())
    assert re.search(r"Chỉ tiêu: [\d.]+", on_time.locator("[data-headline-target]").inner_text())
    # On a phone the cards stack, one a row; on a laptop they stand side by side.
    first, second = (cards.nth(i).bounding_box() for i in (0, 1))
    if viewport_name == "phone":
        assert second["y"] >= first["y"] + first["height"] - 1 and abs(second["x"] - first["x"]) < 1
        assert horizontal_overflow(page) == 0
    else:
        assert abs(second["y"] - first["y"]) < 1 and second["x"] > first["x"]

    # The charts are drawn with data, one value scale each.
    for key in ("households", "registrations", "communes", "kinds"):
        canvas = page.locator(f"canvas[data-chart='{key}']")
        expect(canvas).to_have_attribute("data-rendered", "1")
    points = page.evaluate(
        "() => Chart.getChart(document.querySelector(\"canvas[data-chart='communes']\"))"
        ".data.datasets.reduce((n, d) => n + d.data.reduce((a, b) => a + b, 0), 0)"
    )
    assert points > 0
    scales = page.evaluate(
        """() => Array.from(document.querySelectorAll("canvas[data-chart]")).map((c) => {
          const scales = Chart.getChart(c).options.scales;
          return {
            key: c.dataset.chart,
            y: Object.values(scales).filter((s) => s.axis === "y").length,
            all: Object.keys(scales).length,
          };
        })"""
    )
    assert [(s["y"], s["all"]) for s in scales] == [(1, 2)] * 4, scales
    # Registrations (tens) no longer share a scale with households (hundreds).
    assert (
        page.evaluate(
            "() => Chart.getChart(document.querySelector(\"canvas[data-chart='registrations']\"))"
            ".data.datasets.length"
        )
        == 1
    )
    # Labels a phone can read: larger type, the legend under the chart.
    legend = page.evaluate(
        """() => {
          const chart = Chart.getChart(document.querySelector("canvas[data-chart='households']"));
          return {size: Chart.defaults.font.size, position: chart.options.plugins.legend.position};
        }"""
    )
    if viewport_name == "phone":
        assert legend == {"size": 13, "position": "bottom"}
    else:
        assert legend["position"] == "top"
    drawn = page.evaluate(
        """() => {
          const c = document.querySelector("canvas[data-chart='households']");
          const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          for (let i = 3; i < px.length; i += 4) { if (px[i] !== 0) return true; }
          return false;
        }"""
    )
    assert drawn
    # The same figures as a table.
    page.locator("details summary").first.click()
    expect(page.locator("details table").first).to_be_visible()

    # The compliance panel: a failing cell says so in words and leads to where it is fixed.
    page.locator("main a[href^='/compliance/']").first.click()
    expect(page.locator("h1")).to_contain_text("Bảng kiểm tra")
    failing = page.locator("a.compliance-fail").first
    expect(failing).to_contain_text("Chưa đạt")
    target = failing.get_attribute("href")
    failing.click()
    page.wait_for_load_state()
    assert page.url.endswith(target.replace("&amp;", "&"))
    expect(page.locator("h1")).to_be_visible()

    # The 5-year review: the page's totals are the Excel file's.
    page.goto(f"{live_server.url}/reports/review/5/")
    expect(page.locator("h1")).to_contain_text("Tổng kết")
    page_totals = [
        _number(t) for t in page.locator("tr[data-totals='registrations'] td.text-end").all_inner_texts()
    ]
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^Tải (về )?Excel$")).click()
    download = download_info.value
    assert download.suggested_filename.startswith("tong-ket-5-nam")
    wb = load_workbook(io.BytesIO(open(download.path(), "rb").read()))
    assert len(wb.worksheets) == 11
    sheet = wb.worksheets[1]
    rows = list(sheet.iter_rows(values_only=True))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in rows[0]
    totals_row = [r for r in rows if r[0] == "Tổng cộng"][-1]  # above the signature block
    totals = list(totals_row[3:8])
    assert totals == page_totals
    assert sum(totals) > 0


def test_dashboard_charts_write_numbers_as_the_page_does_in_an_english_browser(demo, browser, live_server):
    """A browser set to English showing the portal in Vietnamese: the charts' axes and
    tooltips group thousands as the figures around them do (160.000), not as the browser
    would (160,000)."""
    from django.conf import settings

    context = browser.new_context(locale="en-US")
    # The portal in Vietnamese, as chosen in its language menu (which sets this cookie).
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "vi", "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("lanhdao")
    page.get_by_label("Mật khẩu").fill("DucCo@2017")
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"{live_server.url}/dashboard/")
    expect(page.locator("canvas[data-chart='households']")).to_have_attribute("data-rendered", "1")
    label = page.evaluate(
        "() => Chart.getChart(document.querySelector(\"canvas[data-chart='households']\"))"
        ".scales.y.getLabelForValue(160000)"
    )
    context.close()
    assert label == "160.000"
