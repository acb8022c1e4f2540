"""A leader exports the district's households: the list is long, so it is built in the
background; the leader sees its progress, leaves, comes back to "Tệp của tôi" and downloads
the file. The worker runs in the test's process (django-tasks' database worker, for real)."""

import io
import re
from pathlib import Path

from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import expect


def test_a_long_export_is_built_in_the_background_and_downloaded_later(
    login, live_server, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.EXPORT_IN_BACKGROUND_ROWS = 10  # the demo district's list is then "long"
    page = login("lanhdao")
    page.goto(f"{live_server.url}/households/?year=2017")
    with page.expect_navigation():
        page.get_by_role("link", name="Tải Excel").first.click()
    expect(page).to_have_url(f"{live_server.url}/my-files/")
    expect(page.locator(".messages")).to_contain_text("đang được tạo ở chế độ nền")
    row = page.locator("#my-files tbody tr").first
    expect(row).to_contain_text("Danh sách hộ năm 2017")
    expect(row).to_contain_text("Đang chờ")
    expect(row.locator("progress")).to_have_attribute("value", "0")

    call_command("run_worker", "--batch", stdout=io.StringIO(), stderr=io.StringIO())
    # The page asks for the progress every two seconds and shows the finished file.
    expect(row.locator("progress")).to_have_attribute("value", "100", timeout=10_000)
    expect(row.get_by_role("link", name="Tải về")).to_be_visible()

    # Leave, and come back through the personal menu.
    page.goto(f"{live_server.url}/")
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():  # on a phone the menu sits behind its button
        toggler.click()
        expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))
    page.locator(".user-menu").click()
    page.get_by_role("link", name="Tệp của tôi").click()
    expect(page).to_have_url(f"{live_server.url}/my-files/")
    with page.expect_download() as download:
        page.locator("#my-files").get_by_role("link", name="Tải về").first.click()
    assert download.value.suggested_filename == "danh-sach-ho-2017.xlsx"
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    assert sheet.max_row > 10
