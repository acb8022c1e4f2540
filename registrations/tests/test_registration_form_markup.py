"""The registration form's fields as Bootstrap draws them (the ``bootstrap_field`` tag): each
control labelled, its errors and help text linked to it, its box where the page's script
looks for it."""

import lxml.html
from django.urls import reverse

from devdata.registrations import full_items
from households.models import Household

from .test_named_households import PLEDGE, _post


def _control(doc, field):
    """The control the field's label points at (the filter box of the households chooser)."""
    return doc.get_element_by_id(field.auto_id)


def _label(doc, control):
    (label,) = doc.xpath(f'//label[@for="{control.get("id")}"]')
    return label


def _described_by(doc, control) -> dict:
    """The text of each element the control's aria-describedby names, by id."""
    ids = (control.get("aria-describedby") or "").split()
    return {i: " ".join(doc.get_element_by_id(i).text_content().split()) for i in ids}


def test_registration_form_fields_labelled_with_errors_and_help_linked(
    client_for, world, program, women_iadom
):
    area = world.iadom_areas[0]
    rows = full_items(world, program, women_iadom)
    rows[1]["target_quantity"] = "abc"
    rows[PLEDGE]["households"] = [Household.objects.create(area=area, head_name=f"Hộ {i}") for i in range(3)]
    response = client_for(world.phunu_iadom).post(
        reverse("registrations:registration_edit", args=[women_iadom.pk]), _post(rows, 1)
    )
    assert response.status_code == 200
    forms = response.context["formset"].forms
    doc = lxml.html.fromstring(response.content.decode())

    # A field in error: marked invalid, its messages in the feedback that follows it (where
    # Bootstrap shows it) and that aria-describedby names; its label names it.
    for form, name, help_text in (
        (forms[1], "target_quantity", None),
        (forms[PLEDGE], "households", forms[PLEDGE]["households"].help_text),
    ):
        errors = form.errors[name]
        assert errors
        control = _control(doc, form[name])
        assert "is-invalid" in control.classes and control.get("aria-invalid") == "true"
        feedback = doc.get_element_by_id(f"{control.get('id')}_error")
        assert "invalid-feedback" in feedback.classes
        # The message follows what Bootstrap marks invalid: the control, or the chooser's box.
        anchor = control.getparent() if name == "households" else control
        assert "is-invalid" in anchor.classes
        assert feedback.getparent() is anchor.getparent() and anchor in feedback.itersiblings(preceding=True)
        described = _described_by(doc, control)
        assert described[feedback.get("id")] == " ".join(str(e) for e in errors)
        if help_text:
            assert str(help_text) in described.values()
        label = _label(doc, control)
        assert label.text_content().strip() == str(form[name].label)
        assert control.xpath("ancestor::*[@data-field]")[0].get("data-field") == name

    # Every control of every row is labelled and sits in its data-field box; only those in
    # error are marked invalid.
    for form in forms:
        for field in form.visible_fields():
            control = _control(doc, field)
            assert control.xpath("ancestor::*[@data-field]")[0].get("data-field") == field.name
            label = _label(doc, control)
            assert label.text_content().replace("*", "").strip() == str(field.label)
            assert ("is-invalid" in control.classes) == bool(field.errors), field.html_name
            assert not field.errors or field.auto_id + "_error" in control.get("aria-describedby")
            # A required field says so, as crispy-forms did.
            assert bool(label.xpath('span[@class="asteriskField"]')) == field.field.required
            if field.name == "DELETE":
                assert "form-check-input" in control.classes and "form-check-label" in label.classes
                assert "form-check" in control.getparent().classes
            elif field.name == "households":
                # The households chooser: a filter box over the checkboxes of the area's households.
                assert "form-control" in control.classes and control.get("type") == "search"
                checkboxes = doc.xpath(f'//input[@type="checkbox"][@name="{field.html_name}"]')
                assert all(doc.xpath(f'//label[@for="{c.get("id")}"]') for c in checkboxes)
            else:
                assert {"form-select", "form-control"} & set(control.classes)
                assert "form-label" in label.classes


def test_cards_numbered_as_the_items_their_messages_name(client_for, world, program, women_iadom):
    """An empty row between two items is "Mục mới", and the item after it keeps the number
    the server's messages give it (the rows in use are counted), not its card's position."""
    rows = full_items(world, program, women_iadom)
    rows.insert(1, {"kind": "", "description": ""})  # an empty new row
    rows[2]["target_quantity"] = "abc"  # the second item in use, in the third card
    response = client_for(world.phunu_iadom).post(
        reverse("registrations:registration_edit", args=[women_iadom.pk]), _post(rows, 1)
    )
    assert response.status_code == 200
    doc = lxml.html.fromstring(response.content.decode())
    legends = [
        " ".join(legend.text_content().split())
        for legend in doc.xpath('//div[@id="item-cards"]/fieldset/legend')
    ]
    assert legends[:3] == ["Mục 1", "Mục mới", "Mục 2"]
    assert legends[3:] == [f"Mục {n}" for n in range(3, len(rows))]
    summary = " ".join(doc.get_element_by_id("form-errors").text_content().split())
    assert "Mục 2 – " in summary and "Mục 3 – " not in summary
