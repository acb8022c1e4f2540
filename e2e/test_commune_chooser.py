"""A Front above many communes records a household: it chooses the commune, and the form
lists that commune's residential areas alone (organizations.forms.CommuneChoiceForm), keeping what
was already typed (static/js/portal.js)."""

from playwright.sync_api import expect


def test_front_chooses_the_commune_then_its_area_and_saves(demo, login, live_server, monkeypatch):
    from households.models import Household
    from organizations import forms
    from organizations.models import Unit, UnitLevel

    monkeypatch.setattr(forms, "LIST_ALL_COMMUNES", 1)  # Đức Cơ's 10 communes, as a province's 218
    commune = Unit.objects.get(level=UnitLevel.COMMUNE, name="Xã Ia Kla")
    areas = list(
        Unit.objects.filter(parent=commune, is_active=True).order_by("path").values_list("name", flat=True)
    )
    page = login("mttq.huyen")
    page.goto(f"{live_server.url}/households/new/")
    area = page.get_by_role("combobox", name="Khu dân cư")
    expect(area.locator("option")).to_have_count(1)  # nothing to choose before the commune
    page.get_by_label("Chủ hộ").fill("Rơ Châm Hlinh")
    page.get_by_label("Số nhân khẩu").fill("4")

    page.get_by_role("combobox", name="Thuộc xã").select_option(label="Xã Ia Kla")
    page.get_by_role("button", name="Liệt kê theo xã").click()
    expect(area.locator("option")).to_have_text(["---------", *areas])
    expect(page).to_have_url(f"{live_server.url}/households/new/?commune={commune.pk}")
    expect(page.locator("#commune-choice").get_by_role("status")).to_have_text(
        "Biểu mẫu bên dưới đã liệt kê theo lựa chọn của bạn."
    )
    # What was typed before the commune was chosen is still there.
    expect(page.get_by_label("Chủ hộ")).to_have_value("Rơ Châm Hlinh")
    expect(page.get_by_label("Số nhân khẩu")).to_have_value("4")
    area.select_option(label=areas[-1])
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".messages")).to_contain_text("Rơ Châm Hlinh")
    assert Household.objects.get(head_name="Rơ Châm Hlinh").area.name == areas[-1]

    # Editing the household opens with its commune chosen and its area selected.
    page.get_by_role("link", name="Sửa").first.click()
    expect(page.get_by_role("combobox", name="Thuộc xã")).to_have_value(str(commune.pk))
    expect(area).to_have_value(str(Household.objects.get(head_name="Rơ Châm Hlinh").area_id))
