"""The registration form in the browser, at 1280 px and 375 px: no error before the user acts,
one summary after a bad save, required fields marked, “Thêm mục” adds a block that is saved,
the households chooser filters by typing and picks with the keyboard, and nothing jumps."""

import re

from playwright.sync_api import expect

from e2e.checks import axe_violations, text_findings
from households.models import Household
from organizations.models import Unit
from registrations.models import Registration

# The layout shifts since the page started, as Lighthouse adds them up (without input).
LAYOUT_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) { if (!entry.hadRecentInput) { total += entry.value; } }
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 300);
})"""


def _registration():
    return Registration.objects.get(
        period__year=2021, organization__unit__name="Xã Ia Dom", organization__kind="women"
    )


def _open(login, live_server, registration):
    page = login("phunu.iadom")
    page.goto(f"{live_server.url}/registrations/{registration.pk}/edit/")
    return page


def _prefix(card):
    return card.locator("select.js-kind").get_attribute("name").removesuffix("-kind")


def test_registration_form_errors_only_after_acting_then_one_summary(demo, login, live_server, viewport_name):
    registration = _registration()
    saved = registration.items.count()
    page = _open(login, live_server, registration)
    expect(page.locator("#required-legend")).to_have_text("(*) bắt buộc")
    assert page.evaluate(LAYOUT_SHIFT) < 0.05
    card = page.locator(".item-card").nth(saved)
    prefix = _prefix(card)
    kind_label = card.locator(f'label[for="id_{prefix}-kind"]')
    expect(kind_label.locator(".asteriskField")).to_be_visible()

    # Choosing a kind marks what it needs, and says nothing is wrong yet.
    page.select_option(f"#id_{prefix}-kind", "initiative")
    name = page.locator(f"#id_{prefix}-initiative_name")
    expect(name).to_have_attribute("aria-required", "true")
    expect(card.locator(f'label[for="id_{prefix}-initiative_name"] .asteriskField')).to_be_visible()
    expect(page.locator(".alert-danger")).to_have_count(0)
    expect(page.locator(".is-invalid")).to_have_count(0)
    # Leaving the description empty: its message next to it, still no red box.
    page.locator(f"#id_{prefix}-description").focus()
    name.focus()
    expect(page.locator(f"#id_{prefix}-description")).to_have_class(re.compile(r"is-invalid"))
    expect(card.locator(".live-feedback")).to_have_text("Nhập nội dung đăng ký.")
    expect(page.locator(".alert-danger")).to_have_count(0)
    # The warnings of a commune as a whole are the commune Front's, not this union's.
    expect(page.locator("main")).not_to_contain_text("khu dân cư nổi bật")

    # Saved without the model's name: one summary, linking to the field, the message beside it.
    page.fill(f"#id_{prefix}-description", "Nhân rộng mô hình")
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.wait_for_load_state()
    summary = page.locator(".alert-danger")
    expect(summary).to_have_count(1)
    expect(summary).to_contain_text("Tên mô hình: Nhập tên mô hình.")
    name = page.locator(f"#id_{prefix}-initiative_name")
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"#id_{prefix}-initiative_name_error")).to_be_visible()
    summary.get_by_role("link", name=re.compile("Tên mô hình")).click()
    expect(name).to_be_focused()
    # Filled in, its message goes; the others stay as they were.
    name.fill("Hàng rào xanh")
    name.blur()
    expect(name).not_to_have_class(re.compile(r"is-invalid"))
    assert axe_violations(page) == []
    assert text_findings(page) == []


def test_registration_form_add_item_block_is_saved(demo, login, live_server, viewport_name):
    registration = _registration()
    saved = registration.items.count()
    page = _open(login, live_server, registration)
    cards = page.locator(".item-card")
    expect(cards).to_have_count(saved + 2)
    page.get_by_role("button", name="Thêm mục").click()
    expect(cards).to_have_count(saved + 3)
    added = cards.last
    prefix = _prefix(added)
    expect(page.locator(f"#id_{prefix}-kind")).to_be_focused()
    expect(page.locator('[name="form-TOTAL_FORMS"]')).to_have_value(str(saved + 3))
    page.select_option(f"#id_{prefix}-kind", "communication")
    page.fill(f"#id_{prefix}-description", "Tuyên truyền trên loa truyền thanh thôn")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator("main")).to_contain_text("Đã lưu bảng đăng ký")
    assert registration.items.count() == saved + 1
    assert registration.items.filter(description="Tuyên truyền trên loa truyền thanh thôn").exists()


def test_registration_form_households_chooser_filters_and_picks_by_keyboard(
    demo, login, live_server, viewport_name
):
    registration = _registration()
    saved = registration.items.count()
    area = Unit.objects.get(parent=registration.organization.unit, name="Làng 1")
    households = list(Household.objects.filter(area=area).order_by("name_normalized", "pk"))
    assert len(households) >= 2
    wanted = households[-1]  # the last listed: the first one is ticked below by keyboard
    page = _open(login, live_server, registration)
    card = page.locator(".item-card").nth(saved)
    prefix = _prefix(card)
    page.select_option(f"#id_{prefix}-kind", "sponsorship_pledge")
    page.select_option(f"#id_{prefix}-area", label="Làng 1")
    chooser = card.locator("[data-searchable-select]")
    rows = chooser.locator(".form-check")
    expect(rows).to_have_count(len(households))
    # Typed without accents, the name still matches.
    search = card.get_by_role("searchbox", name=re.compile("Các hộ nhận đỡ đầu"))
    search.fill(_plain(wanted.head_name))
    visible = chooser.locator(".form-check:visible")
    expect(visible.first).to_contain_text(wanted.head_name)
    assert visible.count() < len(households)
    search.press("Enter")  # ticks the first match; the form is not sent
    expect(chooser.get_by_role("checkbox", name=re.compile(re.escape(wanted.head_name)))).to_be_checked()
    assert page.url.endswith("/edit/")
    expect(chooser.locator(".searchable-status")).to_contain_text("Đã chọn 1")
    # The arrow keys go into the list, Space ticks another.
    search.fill("")
    search.press("ArrowDown")
    first = chooser.get_by_role("checkbox").first
    expect(first).to_be_focused()
    page.keyboard.press("Space")
    expect(first).to_be_checked()
    expect(chooser.locator(".searchable-status")).to_contain_text("Đã chọn 2")


def _plain(text: str) -> str:
    import unicodedata

    stripped = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in stripped if not unicodedata.combining(c)).lower()


def test_registration_form_live_check_says_what_the_server_says(demo, login, live_server, viewport_name):
    """A pledge of 4 households: flagged beside the field once the user leaves it, in the
    words the server then uses; the cards number the items as the server's messages do."""
    registration = _registration()
    program = registration.period.program
    saved = registration.items.count()
    page = _open(login, live_server, registration)
    cards = page.locator(".item-card")
    last = cards.last  # the faulty item in the last card; the new row before it stays empty
    expect(cards.nth(saved).locator("legend")).to_have_text("Mục mới")
    prefix = _prefix(last)
    page.select_option(f"#id_{prefix}-kind", "sponsorship_pledge")
    page.fill(f"#id_{prefix}-description", "Nhận giúp hộ nghèo Làng 1")
    # The households are offered once an area is chosen: that area's, from the page's list.
    offered = last.locator("[data-searchable-select] .form-check")
    expect(offered).to_have_count(0)
    page.select_option(f"#id_{prefix}-area", label="Làng 1")
    area = Unit.objects.get(parent=registration.organization.unit, name="Làng 1")
    expect(offered).to_have_count(Household.objects.filter(area=area).count())
    assert set(offered.evaluate_all("els => els.map(e => e.dataset.area)")) == {str(area.pk)}
    pledged = page.locator(f"#id_{prefix}-households_pledged")
    pledged.fill("4")
    expect(pledged).not_to_have_class(re.compile(r"is-invalid"))  # not yet left
    pledged.blur()
    limits = f"{program.min_households_per_branch} đến {program.max_households_per_branch} hộ"
    feedback = last.locator(".live-feedback")
    expect(feedback).to_contain_text(limits)
    expect(feedback).to_contain_text("(ở đây: 4)")
    expect(pledged).to_have_attribute("aria-invalid", "true")
    expect(last.locator("legend")).to_have_text(f"Mục {saved + 1}")
    expect(cards.nth(saved).locator("legend")).to_have_text("Mục mới")
    live_message = feedback.inner_text()
    pledged.fill("2")
    pledged.blur()
    expect(feedback).to_have_count(0)
    # Saved with the faulty pledge, the server refuses it with the very same words.
    pledged.fill("4")
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.wait_for_load_state()
    expect(page.locator("#form-errors")).to_contain_text(live_message)
    expect(page.locator(f"#id_{prefix}-households_pledged_error")).to_have_text(live_message)
    expect(page.locator(".item-card").nth(saved + 1).locator("legend")).to_have_text(f"Mục {saved + 1}")
