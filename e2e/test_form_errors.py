"""A form with errors: summary on top linking to each field, message next to the field,
and still no serious or critical axe-core violation."""

import pytest
from playwright.sync_api import expect

from e2e.checks import axe_violations, text_findings


@pytest.mark.django_db(transaction=True)
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
