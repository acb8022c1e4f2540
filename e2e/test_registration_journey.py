"""The annual registration journey: fill, submit, return with a reason, fix, resubmit, accept."""

from playwright.sync_api import expect

from registrations.models import Registration

REASON = "Đề nghị bổ sung khu dân cư nổi bật của xã"


def _relogin(page, login, username):
    page.context.clear_cookies()
    return login(username)


def test_registration_journey_return_fix_accept(demo, login, live_server):
    registration = Registration.objects.get(
        period__year=2021, organization__unit__name="Xã Ia Dom", organization__kind="women"
    )
    detail = f"{live_server.url}/registrations/{registration.pk}/"

    # phunu.iadom fills two items and submits: the commune-wide rules (an outstanding
    # residential area) are the commune Front's, not a warning to the Women's Union.
    page = login("phunu.iadom")
    page.goto(detail)
    page.get_by_role("link", name="Sửa nội dung đăng ký").click()
    page.select_option("#id_form-0-kind", "content")
    page.fill("#id_form-0-description", "Vận động hội viên trồng rau sạch, nuôi gà thả vườn")
    page.select_option("#id_form-0-content", index=1)
    page.select_option("#id_form-1-kind", "initiative")
    page.fill("#id_form-1-description", "Nhân rộng mô hình trong các chi hội")
    page.fill("#id_form-1-initiative_name", "Hàng rào xanh")
    page.select_option("#id_form-1-novelty", "new")
    page.select_option("#id_form-1-initiative_field", index=1)
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("main")).to_contain_text("Đã lưu bảng đăng ký")
    expect(page.locator("#findings")).to_have_count(0)
    page.get_by_role("button", name="Nộp cho Mặt trận").click()
    expect(page.locator("#registration-status")).to_contain_text("Đã nộp")

    # mttq.huyen returns it with a reason.
    page = _relogin(page, login, "mttq.huyen")
    page.goto(detail)
    page.get_by_label("Lý do trả lại bảng đăng ký").fill(REASON)
    page.get_by_role("button", name="Trả lại với lý do này").click()
    expect(page.locator("#registration-status")).to_contain_text("Bị trả lại")

    # phunu.iadom sees the reason, adds the outstanding residential area, resubmits.
    page = _relogin(page, login, "phunu.iadom")
    page.goto(detail)
    expect(page.locator("#return-reason")).to_contain_text(REASON)
    page.get_by_role("link", name="Sửa nội dung đăng ký").click()
    expect(page.locator("#return-reason")).to_contain_text(REASON)  # on the form too
    page.select_option("#id_form-2-kind", "outstanding_area")
    page.fill("#id_form-2-description", "Xây dựng Làng 1 thành khu dân cư kiểu mẫu")
    page.select_option("#id_form-2-area", label="Làng 1")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("#findings")).to_have_count(0)
    page.get_by_role("button", name="Nộp cho Mặt trận").click()
    expect(page.locator("#registration-status")).to_contain_text("Đã nộp")
    expect(page.locator("#history")).to_contain_text(REASON)

    # mttq.huyen accepts; the tracking view shows it accepted.
    page = _relogin(page, login, "mttq.huyen")
    page.goto(detail)
    page.get_by_role("button", name="Tiếp nhận", exact=True).click()
    page.get_by_role("button", name="Xác nhận tiếp nhận").click()  # the confirm step
    expect(page.locator("#registration-status")).to_contain_text("Đã tiếp nhận")
    page.goto(f"{live_server.url}/tracking/?year=2021")
    row = page.locator(f'tr[data-registration="{registration.pk}"]')
    expect(row).to_contain_text("Hội Liên hiệp Phụ nữ xã Ia Dom")
    expect(row).to_contain_text("Đã tiếp nhận")
