"""The calendar of core.widgets.VietnameseDateInput (static/js/datepicker.js) in a browser."""

import re
from pathlib import Path

from django import forms
from django.utils import translation
from playwright.sync_api import expect

from core.widgets import VietnameseDateInput

BASE = Path(__file__).resolve().parents[1]


class EventForm(forms.Form):
    day = forms.DateField(label="Ngày", widget=VietnameseDateInput())


def _open(page, value=""):
    with translation.override("vi"):
        field = EventForm(initial={"day": value} if value else None)["day"]
        html = f'<html lang="vi"><body><label for="{field.id_for_label}">Ngày</label>{field}</body></html>'
    page.set_content(html)
    page.add_script_tag(path=str(BASE / "static" / "js" / "datepicker.js"))
    page.add_style_tag(path=str(BASE / "static" / "css" / "portal.css"))
    page.get_by_role("button", name="Chọn ngày").click()
    return page.get_by_role("dialog")


def test_datepicker_shows_vietnamese_month_and_day_names(page):
    dialog = _open(page, "25/12/2017")
    expect(dialog).to_have_attribute("aria-label", "Tháng 12 2017")
    expect(dialog.locator("th")).to_have_text(["T2", "T3", "T4", "T5", "T6", "T7", "CN"])
    expect(dialog.locator(".is-selected")).to_have_text("25")
    expect(page.get_by_role("button", name="Tháng sau")).to_be_visible()


def test_datepicker_keyboard_picks_a_day_first_date(page):
    _open(page, "25/12/2017")
    expect(page.locator("[data-date='25/12/2017']")).to_be_focused()
    page.keyboard.press("ArrowRight")  # 26/12
    page.keyboard.press("PageDown")  # 26/01/2018
    page.keyboard.press("Enter")
    expect(page.get_by_role("textbox", name="Ngày")).to_have_value("26/01/2018")
    expect(page.get_by_role("dialog")).to_be_hidden()


def test_datepicker_escape_closes_and_typing_still_works(page):
    _open(page)
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    page.get_by_role("textbox", name="Ngày").fill("01/02/2017")
    expect(page.get_by_role("textbox", name="Ngày")).to_have_value(re.compile(r"^01/02/2017$"))
