"""The registration form checks the program's rules as the user types, before submitting."""

import re

from playwright.sync_api import expect

from households.models import Household
from organizations.models import Unit
from registrations.models import Registration


def test_pledge_of_four_households_shows_the_error_before_submitting(demo, login, live_server):
    registration = Registration.objects.get(
        period__year=2021, organization__unit__name="Xã Ia Dom", organization__kind="women"
    )
    program = registration.period.program
    page = login("phunu.iadom")
    page.goto(f"{live_server.url}/registrations/{registration.pk}/edit/")
    saved = registration.items.count()
    cards = page.locator(".item-card")
    # The faulty item goes in the last card; the new row before it stays empty.
    expect(cards).to_have_count(saved + 2)
    last = cards.last
    # The new rows are "Mục mới" until something is entered.
    expect(cards.nth(saved).locator("legend")).to_have_text("Mục mới")
    expect(last.locator("legend")).to_have_text("Mục mới")
    prefix = last.locator("select.js-kind").get_attribute("name").removesuffix("-kind")
    live = page.locator("#live-findings")
    # The form-wide warnings are there from the start (a commune's Women's Union).
    expect(live).to_contain_text("Cảnh báo")
    page.select_option(f"#id_{prefix}-kind", "sponsorship_pledge")
    page.fill(f"#id_{prefix}-description", "Nhận giúp hộ nghèo Làng 1")
    # The households are offered once an area is chosen: that area's, from the page's list.
    offered = page.locator(f"#id_{prefix}-households option")
    expect(offered).to_have_count(0)
    page.select_option(f"#id_{prefix}-area", label="Làng 1")
    area = Unit.objects.get(parent=registration.organization.unit, name="Làng 1")
    expect(offered).to_have_count(Household.objects.filter(area=area).count())
    assert set(offered.evaluate_all("els => els.map(e => e.dataset.area)")) == {str(area.pk)}
    page.fill(f"#id_{prefix}-households_pledged", "4")
    limits = f"{program.min_households_per_branch} đến {program.max_households_per_branch} hộ"
    expect(live).to_contain_text(limits)
    own = last.locator(".live-item-findings")
    expect(own).to_contain_text("(ở đây: 4)")
    # The card and its error number the item as the server will, the empty row before it
    # skipped: the last card is "Mục {saved + 1}".
    expect(last.locator("legend")).to_have_text(f"Mục {saved + 1}")
    expect(cards.nth(saved).locator("legend")).to_have_text("Mục mới")
    expect(own).to_contain_text(f"Mục {saved + 1}: ")
    live_message = own.locator("li", has_text=limits).inner_text()
    expect(page.locator(f"#id_{prefix}-households_pledged")).to_have_class(re.compile(r"is-invalid"))
    # Nothing was sent: the page is still the form and the registration unchanged.
    assert page.url.endswith("/edit/")
    page.fill(f"#id_{prefix}-households_pledged", "2")
    expect(live).not_to_contain_text(limits)
    expect(own).to_be_empty()
    # Saved with the faulty pledge, the server refuses it with the very same message.
    page.fill(f"#id_{prefix}-households_pledged", "4")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator("#form-errors")).to_contain_text(live_message)
    # Sent back with the form, the card keeps the number its message uses.
    expect(page.locator(".item-card").nth(saved + 1).locator("legend")).to_have_text(f"Mục {saved + 1}")
    expect(page.locator(".item-card").nth(saved).locator("legend")).to_have_text("Mục mới")
