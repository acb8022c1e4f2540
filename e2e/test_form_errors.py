"""A form with errors: summary on top linking to each field, message next to the field,
and still no serious or critical axe-core violation."""

from playwright.sync_api import expect

from e2e.checks import axe_violations, text_findings


def test_form_errors_summarised_on_top_and_next_to_the_field(demo, login, live_server, viewport_name):
    page = login("mttq.iadom")
    page.goto(f"{live_server.url}/units/")
    page.get_by_role("main").get_by_role("link", name="Xã Ia Dom", exact=True).first.click()
    page.get_by_role("button", name="Thêm", exact=True).click()
    page.wait_for_load_state()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Vui lòng sửa các lỗi")
    field = page.get_by_role("textbox", name="Tên khu dân cư")
    expect(field).to_have_attribute("aria-invalid", "true")
    field_id = field.get_attribute("id")
    expect(summary.locator(f'a[href="#{field_id}"]')).to_be_visible()
    expect(page.locator(f"#{field_id} ~ .invalid-feedback, #error_1_{field_id}").first).to_be_visible()

    assert axe_violations(page) == []
    assert text_findings(page) == []


def test_form_errors_date_in_us_order_is_explained_next_to_the_calendar(
    demo, login, live_server, viewport_name
):
    """A date field of a real page (the fund ledger) has the calendar; 12/25/2017 is refused
    with a message saying how to write the date, shown next to the field."""
    page = login("mttq.iadom")
    page.goto(f"{live_server.url}/fund/")
    date = page.get_by_role("textbox", name="Ngày")
    expect(date).to_have_attribute("placeholder", "dd/mm/yyyy")
    page.get_by_role("button", name="Chọn ngày").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    page.keyboard.press("Escape")

    date.fill("12/25/2017")
    page.get_by_label("Số tiền (đồng)").fill("100000")
    page.get_by_role("button", name="Ghi sổ").click()
    page.wait_for_load_state()

    message = "Nhập ngày theo dạng ngày/tháng/năm, ví dụ 25/12/2017."
    expect(page.get_by_role("alert")).to_contain_text(message)
    date = page.get_by_role("textbox", name="Ngày")
    expect(date).to_have_attribute("aria-invalid", "true")
    expect(date).to_have_value("12/25/2017")
    expect(page.locator(".datepicker-wrap ~ .invalid-feedback")).to_contain_text(message)
    expect(page.locator(".datepicker-wrap ~ .invalid-feedback")).to_be_visible()
    assert axe_violations(page) == []
    assert text_findings(page) == []
