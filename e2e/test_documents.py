"""mttq.huyen prints the report as an official document and takes it home in Word; the
women of Ia Dom print their registration."""

import io
import re

from docx import Document
from playwright.sync_api import expect

from registrations.models import Registration

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def _empty_appendix_rows(page) -> int:
    """The appendix's rows whose figures are all zero or blank."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('.doc-appendix tbody tr')).filter((tr) => {
             const figures = Array.from(tr.querySelectorAll('td.text-end'));
             return figures.length && figures.every((td) => /^[0.]*$/.test(td.textContent.trim()));
           }).length"""
    )


def test_report_print_view_and_word(demo, login, live_server, viewport_name):
    page = login("mttq.huyen")
    page.goto(f"{live_server.url}/reports/")
    page.get_by_role("link", name="In", exact=True).click()
    page.wait_for_load_state()
    assert "/reports/print/" in page.url

    # The header's two blocks, the title, the print button, the signature.
    issuer = page.locator(".doc-issuer")
    expect(issuer).to_contain_text("ỦY BAN MTTQ VIỆT NAM HUYỆN ĐỨC CƠ")
    expect(page.locator(".doc-issuing-body")).to_have_text("BAN THƯỜNG TRỰC")
    expect(page.locator(".doc-nation")).to_have_text(MOTTO[0])
    expect(page.locator(".doc-motto-line")).to_have_text(MOTTO[1])
    expect(page.locator(".doc-date")).to_contain_text("Đức Cơ, ngày ")
    expect(page.locator("h1.doc-title")).to_have_text("BÁO CÁO KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH PHỐI HỢP")
    expect(page.get_by_role("button", name="In", exact=True)).to_be_visible()
    expect(page.locator(".doc-signature")).to_contain_text("TM. BAN THƯỜNG TRỰC")
    expect(page.locator(".doc-signature")).to_contain_text("Nơi nhận:")
    box_issuer, box_motto = issuer.bounding_box(), page.locator(".doc-motto").bounding_box()
    if viewport_name == "desktop":  # side by side, as on paper
        assert abs(box_issuer["y"] - box_motto["y"]) < 2 and box_issuer["x"] < box_motto["x"]
    else:  # one under the other on a phone
        assert box_motto["y"] > box_issuer["y"]

    # The key figures first; the appendix after them, with no row of zeros.
    expect(page.locator(".doc-appendix-title")).to_have_text("PHỤ LỤC")
    assert page.locator(".doc-appendix table").count() >= 7
    assert _empty_appendix_rows(page) == 0
    # Printed, the page is A4 and the header is on it (the print stylesheet hides the toolbar).
    page.emulate_media(media="print")
    expect(page.locator(".print-toolbar")).to_be_hidden()
    expect(page.locator(".doc-header")).to_be_visible()
    page.emulate_media(media="screen")

    # Back to the report, and the Word file.
    page.get_by_role("link", name="Quay lại").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải Word (.docx)").click()
    download = download_info.value
    assert re.fullmatch(r"bao-cao-\d{4}-\d{4}\.docx", download.suggested_filename)
    doc = Document(io.BytesIO(open(download.path(), "rb").read()))
    texts = [p.text for p in doc.paragraphs] + [
        p.text for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs
    ]
    assert MOTTO[0] in texts and MOTTO[1] in texts
    assert "ỦY BAN MTTQ VIỆT NAM HUYỆN ĐỨC CƠ" in texts and "BAN THƯỜNG TRỰC" in texts
    assert "BÁO CÁO KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH PHỐI HỢP" in texts
    assert "TM. BAN THƯỜNG TRỰC" in texts and "CHỦ TỊCH" in texts


def test_registration_print_view(demo, login, live_server):
    registration = (
        Registration.objects.filter(
            organization__unit__name="Xã Ia Dom", organization__kind="women", items__isnull=False
        )
        .order_by("-period__year")
        .first()
    )
    page = login("phunu.iadom")
    page.goto(f"{live_server.url}/registrations/{registration.pk}/")
    page.get_by_role("link", name="In", exact=True).click()
    page.wait_for_load_state()
    expect(page.locator(".doc-issuing-body")).to_have_text("HỘI LIÊN HIỆP PHỤ NỮ XÃ IA DOM")
    expect(page.locator(".doc-nation")).to_have_text(MOTTO[0])
    expect(page.locator("h1.doc-title")).to_contain_text("BẢNG ĐĂNG KÝ NĂM")
    expect(page.locator(".doc-signature")).to_contain_text("TM. BAN CHẤP HÀNH")
    expect(page.get_by_role("button", name="In", exact=True)).to_be_visible()
    assert page.locator(".doc-table tbody tr").count() == registration.items.count()
