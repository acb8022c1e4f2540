"""The registration form as its user meets it: errors next to their field and once in the
summary, required fields marked, warnings only to who can act on them, the Front's reason
for returning it, and the bulk accept's confirm step."""

import lxml.html
from django.contrib.messages import constants as message_levels
from django.urls import reverse

from devdata.registrations import full_items
from organizations.models import OrgKind
from registrations import services
from registrations.models import Registration, RegistrationStatus

from .test_named_households import _post

COMMUNE_WARNING = "khu dân cư nổi bật"  # "A commune registers at least 1 outstanding residential area"


def _edit(registration):
    return reverse("registrations:registration_edit", args=[registration.pk])


def _doc(response):
    return lxml.html.fromstring(response.content.decode())


def _label_has_star(doc, control_id) -> bool:
    (label,) = doc.xpath(f'//label[@for="{control_id}"]')
    return bool(label.xpath('span[@class="asteriskField"]'))


def test_registration_form_required_marks_follow_the_kind(client_for, world, program, women_iadom):
    rows = full_items(world, program, women_iadom)
    services.save_items(registration=women_iadom, items=rows, version=1, by=world.phunu_iadom)
    doc = _doc(client_for(world.phunu_iadom).get(_edit(women_iadom)))
    assert " ".join(doc.get_element_by_id("required-legend").text_content().split()) == "(*) bắt buộc"
    # The model (item 2): its name and field are marked and said required; its amount hidden.
    for name in ("kind", "description", "initiative_name", "initiative_field"):
        control = doc.get_element_by_id(f"id_form-1-{name}")
        assert _label_has_star(doc, control.get("id")) and control.get("aria-required") == "true", name
    assert not _label_has_star(doc, "id_form-1-target_unit")
    (amount,) = doc.xpath('//*[@id="id_form-1-amount"]/ancestor::*[@data-field][1]')
    assert "d-none" in amount.classes
    # The residential area of an outstanding area (item 3) and the pledge's count (item 4).
    assert _label_has_star(doc, "id_form-2-area") and _label_has_star(doc, "id_form-3-households_pledged")
    # A new row: only its kind and description.
    assert _label_has_star(doc, "id_form-5-kind") and not _label_has_star(doc, "id_form-5-area")


def test_registration_form_rule_errors_next_to_the_field_and_once_in_the_summary(
    client_for, world, program, women_iadom
):
    rows = full_items(world, program, women_iadom)
    rows[1]["initiative_name"] = ""  # the model without its name
    rows[3]["households_pledged"] = 9  # more than the program's range
    response = client_for(world.phunu_iadom).post(_edit(women_iadom), _post(rows, 1))
    assert response.status_code == 200 and not women_iadom.items.exists()
    forms = response.context["formset"].forms
    assert forms[1].errors["initiative_name"] == ["Nhập tên mô hình."]
    assert "(ở đây: 9)" in forms[3].errors["households_pledged"][0]
    doc = _doc(response)
    # One red box: the summary, each line linking to its field.
    (summary,) = doc.xpath('//*[contains(@class, "alert-danger")]')
    assert summary.get("id") == "form-errors"
    lines = [" ".join(li.text_content().split()) for li in summary.xpath(".//li")]
    assert lines[0] == "Mục 2 – Tên mô hình: Nhập tên mô hình."
    assert len(lines) == 2 and lines[1].startswith("Mục 4 – ")
    assert summary.xpath('.//a[@href="#id_form-1-initiative_name"]')
    feedback = doc.get_element_by_id("id_form-1-initiative_name_error")
    assert feedback.text_content().strip() == "Nhập tên mô hình."


def test_registration_form_commune_warnings_only_for_the_commune_front(client_for, world, period):
    women = Registration.objects.get(period=period, organization=world.org(world.iadom, OrgKind.WOMEN))
    front = Registration.objects.get(period=period, organization=world.org(world.iadom, OrgKind.FRONT))
    union_page = client_for(world.phunu_iadom).get(_edit(women))
    warnings = [w["message"] for w in union_page.context["warnings"]]
    assert warnings and not any(COMMUNE_WARNING in w for w in warnings)  # its own: a model
    assert COMMUNE_WARNING not in union_page.content.decode()
    front_page = client_for(world.mttq_iadom).get(_edit(front))
    assert any(COMMUNE_WARNING in w["message"] for w in front_page.context["warnings"])
    # One yellow box, drawn with the page.
    assert len(_doc(front_page).xpath('//*[contains(@class, "alert-warning")]')) == 1


def test_registration_detail_union_submits_without_the_commune_warnings(
    client_for, world, program, women_iadom
):
    rows = [r for r in full_items(world, program, women_iadom) if r["kind"] != "outstanding_area"]
    services.save_items(registration=women_iadom, items=rows, version=1, by=world.phunu_iadom)
    client = client_for(world.phunu_iadom)
    detail = reverse("registrations:registration_detail", args=[women_iadom.pk])
    page = client.get(detail)
    assert COMMUNE_WARNING not in page.content.decode() and not page.context["has_warnings"]
    client.post(reverse("registrations:registration_transition", args=[women_iadom.pk, "submit"]))
    assert Registration.objects.get(pk=women_iadom.pk).status == RegistrationStatus.SUBMITTED


def test_registration_detail_unticked_warnings_come_back_as_warnings(client_for, world, program, period):
    front = Registration.objects.get(period=period, organization=world.org(world.iadom, OrgKind.FRONT))
    rows = [r for r in full_items(world, program, front) if r["kind"] != "outstanding_area"]
    services.save_items(registration=front, items=rows, version=front.version, by=world.mttq_iadom)
    response = client_for(world.mttq_iadom).post(
        reverse("registrations:registration_transition", args=[front.pk, "submit"]), follow=True
    )
    (shown,) = response.context["messages"]
    assert shown.level == message_levels.WARNING and "xác nhận" in str(shown)
    doc = _doc(response)
    assert not doc.xpath('//*[contains(@class, "alert-danger")]')
    assert COMMUNE_WARNING in doc.get_element_by_id("findings").text_content()
    assert Registration.objects.get(pk=front.pk).status == RegistrationStatus.DRAFT


def test_registration_form_shows_why_the_front_returned_it(client_for, world, submitted):
    services.return_registration(registration=submitted, reason="Bổ sung khu dân cư", by=world.mttq_huyen)
    doc = _doc(client_for(world.phunu_iadom).get(_edit(submitted)))
    assert "Bổ sung khu dân cư" in doc.get_element_by_id("return-reason").text_content()


def test_registration_form_offers_a_block_to_add(client_for, world, women_iadom):
    """The formset's empty form, ready for “Thêm mục”; a third new block posted is saved."""
    doc = _doc(client_for(world.phunu_iadom).get(_edit(women_iadom)))
    (template,) = doc.xpath('//template[@id="item-template"]')
    assert template.xpath('.//*[@name="form-__prefix__-kind"]')
    assert doc.get_element_by_id("add-item").text_content().strip() == "Thêm mục"


def test_period_accept_asks_to_confirm_and_names_what_blocks(client_for, world, period, submitted):
    farmers = Registration.objects.get(period=period, organization=world.org(world.iadom, OrgKind.FARMERS))
    url = reverse("registrations:period_accept", args=[period.pk])
    client = client_for(world.mttq_huyen)
    response = client.post(url, {"registration": [submitted.pk, farmers.pk]})
    assert response.status_code == 200
    doc = _doc(response)
    assert [li.text_content() for li in doc.get_element_by_id("confirm-listed")] == [
        submitted.organization.name
    ]
    assert "Hội Nông dân xã Ia Dom: chưa nộp" in doc.get_element_by_id("confirm-blocked").text_content()
    assert Registration.objects.get(pk=submitted.pk).status == RegistrationStatus.SUBMITTED  # nothing yet
    (form,) = doc.xpath('//form[.//input[@name="confirm"]]')
    posted = {i.get("name"): i.get("value") for i in form.xpath(".//input[@type='hidden']")}
    assert posted["registration"] == str(submitted.pk)
    client.post(url, {"registration": [submitted.pk], "confirm": "1"})
    assert Registration.objects.get(pk=submitted.pk).status == RegistrationStatus.ACCEPTED


def test_period_accept_confirm_refused_to_a_non_reviewer(client_for, world, period, submitted):
    response = client_for(world.phunu_iadom).post(
        reverse("registrations:period_accept", args=[period.pk]), {"registration": [submitted.pk]}
    )
    assert response.status_code == 403


def test_results_form_summarises_field_errors_with_links(client_for, world, accepted):
    item = accepted.items.first()
    url = reverse("registrations:results_edit", args=[accepted.pk])
    client = client_for(world.phunu_iadom)
    assert "form-errors" not in client.get(url).content.decode()  # nothing before acting
    response = client.post(url, {"version": accepted.version, f"item-{item.pk}-achieved_quantity": "nhiều"})
    assert response.status_code == 200
    doc = _doc(response)
    (summary,) = doc.xpath('//*[contains(@class, "alert-danger")]')
    (link,) = summary.xpath(f'.//a[@href="#id_item-{item.pk}-achieved_quantity"]')
    assert link.text_content().startswith("1. ")
    assert doc.get_element_by_id(f"id_item-{item.pk}-achieved_quantity").get("aria-invalid") == "true"
