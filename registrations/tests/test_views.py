import lxml.html
import pytest
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.formats import date_format

from devdata.registrations import full_items, open_year
from organizations.models import OrgKind, Unit, UnitLevel
from organizations.services import ensure_organizations
from registrations import services
from registrations.models import ItemKind, Registration, RegistrationPeriod, RegistrationStatus


def _formset_post(registration, rows, version, extra=0):
    data = {
        "form-TOTAL_FORMS": str(len(rows) + extra),
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "version": str(version),
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"form-{i}-{key}"] = getattr(value, "pk", value)
    return data


def _registration_urls(reg):
    urls = [
        ("get", reverse("registrations:registration_detail", args=[reg.pk])),
        ("get", reverse("registrations:registration_edit", args=[reg.pk])),
        ("get", reverse("registrations:results_edit", args=[reg.pk])),
    ]
    for action in (
        "submit",
        "return",
        "accept",
        "submit_results",
        "return_results",
        "confirm_results",
        "carry_over",
    ):
        urls.append(("post", reverse("registrations:registration_transition", args=[reg.pk, action])))
    return urls


def test_views_anonymous_redirected_to_login(client, world, period, women_iadom):
    urls = [
        ("get", reverse("registrations:period_list")),
        ("get", reverse("registrations:period_create")),
        ("get", reverse("registrations:period_detail", args=[period.pk])),
        ("post", reverse("registrations:period_close", args=[period.pk])),
        ("post", reverse("registrations:period_accept", args=[period.pk])),
        ("get", reverse("registrations:tracking")),
        ("get", reverse("registrations:registration_list")),
        *_registration_urls(women_iadom),
    ]
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url


def test_views_iadom_cannot_see_iakla_by_any_url(client_for, world, women_iakla):
    client = client_for(world.mttq_iadom)
    for method, url in _registration_urls(women_iakla):
        assert getattr(client, method)(url).status_code == 404, url
    listing = client.get(reverse("registrations:registration_list")).content.decode()
    assert "Ia Kla" not in listing
    tracking = client.get(
        reverse("registrations:period_detail", args=[women_iakla.period_id])
    ).content.decode()
    assert "Ia Kla" not in tracking


def test_views_viewer_write_is_403(client_for, world, submitted):
    client = client_for(world.lanhdao)
    assert client.get(reverse("registrations:registration_detail", args=[submitted.pk])).status_code == 200
    assert client.get(reverse("registrations:registration_edit", args=[submitted.pk])).status_code == 403
    assert client.get(reverse("registrations:results_edit", args=[submitted.pk])).status_code == 403
    for action in ("submit", "return", "accept"):
        response = client.post(
            reverse("registrations:registration_transition", args=[submitted.pk, action]), {"reason": "x"}
        )
        assert response.status_code == 403, action
    assert client.post(reverse("registrations:period_close", args=[submitted.period_id])).status_code == 403
    assert client.get(reverse("registrations:period_create")).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == RegistrationStatus.SUBMITTED


def test_views_commune_front_cannot_edit_womens_form(client_for, world, women_iadom):
    client = client_for(world.mttq_iadom)
    assert client.get(reverse("registrations:registration_detail", args=[women_iadom.pk])).status_code == 200
    assert client.get(reverse("registrations:registration_edit", args=[women_iadom.pk])).status_code == 403


def test_views_edit_and_submit_by_editor(client_for, world, program, women_iadom):
    client = client_for(world.phunu_iadom)
    url = reverse("registrations:registration_edit", args=[women_iadom.pk])
    page = client.get(url)
    assert page.status_code == 200
    rows = full_items(world, program, women_iadom)
    response = client.post(url, _formset_post(women_iadom, rows, women_iadom.version, extra=2))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert women_iadom.items.count() == 5
    women_iadom.refresh_from_db()
    detail = client.get(reverse("registrations:registration_detail", args=[women_iadom.pk])).content.decode()
    assert "Hàng rào xanh" in detail
    client.post(
        reverse("registrations:registration_transition", args=[women_iadom.pk, "submit"]),
        {"version": women_iadom.version},
    )
    women_iadom.refresh_from_db()
    assert women_iadom.status == RegistrationStatus.SUBMITTED


def test_views_edit_keeps_existing_items_unchanged(client_for, world, program, women_iadom):
    services.save_items(
        registration=women_iadom,
        items=full_items(world, program, women_iadom),
        version=1,
        by=world.phunu_iadom,
    )
    client = client_for(world.phunu_iadom)
    url = reverse("registrations:registration_edit", args=[women_iadom.pk])
    page = client.get(url)
    formset = page.context["formset"]
    data = {"version": "2"}
    for form in formset.forms:
        for name in form.fields:
            value = form[name].value()
            if value not in (None, "", False):
                data[form.add_prefix(name)] = value
    management = formset.management_form
    for name in management.fields:
        data[management.add_prefix(name)] = management[name].value()
    assert client.post(url, data).status_code == 302
    assert women_iadom.items.count() == 5


def test_views_edit_pledge_out_of_range_shows_error(client_for, world, program, women_iadom):
    client = client_for(world.phunu_iadom)
    rows = full_items(world, program, women_iadom)
    rows[3]["households_pledged"] = 4
    response = client.post(
        reverse("registrations:registration_edit", args=[women_iadom.pk]), _formset_post(women_iadom, rows, 1)
    )
    assert response.status_code == 200
    assert "1 to 3" in response.content.decode() or "1 đến 3" in response.content.decode()
    assert women_iadom.items.count() == 0


def test_views_stale_save_refused_with_message(client_for, world, program, women_iadom):
    services.save_items(
        registration=women_iadom, items=full_items(world, program, women_iadom), version=1, by=world.admin
    )
    client = client_for(world.phunu_iadom)
    rows = [{"kind": ItemKind.OTHER, "description": "Khác"}]
    response = client.post(
        reverse("registrations:registration_edit", args=[women_iadom.pk]), _formset_post(women_iadom, rows, 1)
    )
    assert response.status_code == 409
    assert "admin" in response.content.decode()
    assert women_iadom.items.count() == 5


def test_views_submit_with_warnings_needs_acknowledgement(client_for, world, program, women_iadom):
    rows = [r for r in full_items(world, program, women_iadom) if r["kind"] != ItemKind.INITIATIVE]
    services.save_items(registration=women_iadom, items=rows, version=1, by=world.phunu_iadom)
    client = client_for(world.phunu_iadom)
    detail = client.get(reverse("registrations:registration_detail", args=[women_iadom.pk]))
    assert detail.context["has_warnings"] and "acknowledge_warnings" in detail.content.decode()
    url = reverse("registrations:registration_transition", args=[women_iadom.pk, "submit"])
    client.post(url, {"version": 2})
    women_iadom.refresh_from_db()
    assert women_iadom.status == RegistrationStatus.DRAFT
    client.post(url, {"version": 2, "acknowledge_warnings": "1"})
    women_iadom.refresh_from_db()
    assert women_iadom.status == RegistrationStatus.SUBMITTED


def test_views_return_and_accept_by_reviewer(client_for, world, submitted):
    client = client_for(world.mttq_huyen)
    detail = client.get(reverse("registrations:registration_detail", args=[submitted.pk]))
    assert detail.context["actions"] == ["return", "accept"]
    client.post(
        reverse("registrations:registration_transition", args=[submitted.pk, "return"]), {"reason": ""}
    )
    submitted.refresh_from_db()
    assert submitted.status == RegistrationStatus.SUBMITTED
    client.post(
        reverse("registrations:registration_transition", args=[submitted.pk, "return"]),
        {"reason": "Bổ sung chỉ tiêu"},
    )
    submitted.refresh_from_db()
    assert submitted.status == RegistrationStatus.RETURNED
    editor = client_for(world.phunu_iadom)
    page = editor.get(reverse("registrations:registration_detail", args=[submitted.pk])).content.decode()
    assert "Bổ sung chỉ tiêu" in page


def test_views_results_entry(client_for, world, accepted):
    client = client_for(world.phunu_iadom)
    url = reverse("registrations:results_edit", args=[accepted.pk])
    assert client.get(url).status_code == 200
    data = {"version": accepted.version}
    for item in accepted.items.all():
        data[f"item-{item.pk}-result"] = "achieved"
        data[f"item-{item.pk}-achieved_quantity"] = "1"
    assert client.post(url, data).status_code == 302
    assert not accepted.items.filter(result="").exists()
    client.post(reverse("registrations:registration_transition", args=[accepted.pk, "submit_results"]))
    accepted.refresh_from_db()
    assert accepted.results_status == "submitted"


def test_views_period_create_and_close(client_for, world, program):
    client = client_for(world.mttq_huyen)
    assert client.get(reverse("registrations:period_create")).status_code == 200
    response = client.post(
        reverse("registrations:period_create"),
        {
            "program": program.pk,
            "year": 2018,
            "opens_on": "01/02/2018",
            "registration_deadline": "31/03/2018",
            "results_deadline": "15/12/2018",
        },
    )
    period = RegistrationPeriod.objects.get(year=2018)
    assert response.url == reverse("registrations:period_detail", args=[period.pk])
    assert period.opens_on.month == 2 and period.registrations.count() == 17
    client.post(reverse("registrations:period_close", args=[period.pk]), {"confirm": "1"})
    period.refresh_from_db()
    assert period.is_closed
    assert client_for(world.mttq_iadom).get(reverse("registrations:period_create")).status_code == 403


def test_views_bulk_accept(client_for, world, program, period):
    regs = []
    for kind in (OrgKind.WOMEN, OrgKind.FARMERS):
        reg = Registration.objects.get(period=period, organization=world.org(world.iadom, kind))
        services.save_items(
            registration=reg, items=full_items(world, program, reg), version=1, by=world.admin
        )
        regs.append(services.submit(registration=reg, by=world.admin))
    client = client_for(world.mttq_huyen)
    client.post(
        reverse("registrations:period_accept", args=[period.pk]),
        {"registration": [r.pk for r in regs], "confirm": "1"},
    )
    assert Registration.objects.filter(status="accepted").count() == 2


def _fill(world, program, year, communes):
    from organizations.models import Unit, UnitLevel
    from organizations.services import ensure_organizations

    for n in range(communes):
        unit = Unit.objects.create(name=f"Xã Thử {year}-{n}", level=UnitLevel.COMMUNE, parent=world.district)
        ensure_organizations(unit)
    period = open_year(world, program, year)
    for reg in period.registrations.filter(organization__kind=OrgKind.FRONT):
        services.save_items(
            registration=reg,
            items=[{"kind": ItemKind.OTHER, "description": "Tuyên truyền"}],
            version=reg.version,
            by=world.admin,
        )
    return period


def test_views_tracking_filters_and_missing(client_for, world, submitted):
    client = client_for(world.mttq_huyen)
    response = client.get(
        reverse("registrations:period_detail", args=[submitted.period_id]), {"status": "submitted"}
    )
    assert [r.pk for r in response.context["rows"]] == [submitted.pk]
    response = client.get(reverse("registrations:period_detail", args=[submitted.period_id]))
    assert response.context["summary"].received == 1
    assert response.context["summary"].completeness == round(100 / 17)
    missing_units = [unit.name for unit, _orgs in response.context["missing"]]
    assert missing_units == ["Huyện Đức Cơ", "Xã Ia Dom", "Xã Ia Kla"]


def test_views_period_list_and_tracking_redirect(client_for, world, period):
    client = client_for(world.phunu_iadom)
    assert client.get(reverse("registrations:period_list")).status_code == 200
    response = client.get(reverse("registrations:tracking"), {"year": 2017})
    assert response.url == reverse("registrations:period_detail", args=[period.pk])


def test_views_tracking_ids_are_not_grouped(client_for, world, women_iadom):
    """Ids above 999 must not render as "12.345" (Vietnamese thousands separator)."""
    Registration.objects.filter(pk=women_iadom.pk).update(id=12345)
    page = client_for(world.mttq_huyen).get(
        reverse("registrations:period_detail", args=[women_iadom.period_id])
    )
    assert 'data-registration="12345"' in page.content.decode()


def test_views_results_with_evidence_file(client_for, world, accepted, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client = client_for(world.phunu_iadom)
    item = accepted.items.first()
    data = {
        "version": accepted.version,
        f"item-{item.pk}-result": "partly",
        f"item-{item.pk}-achieved_quantity": "1",
    }
    data[f"item-{item.pk}-evidence"] = SimpleUploadedFile(
        "bien-ban.pdf", b"%PDF-1.4 minh chung", "application/pdf"
    )
    assert client.post(reverse("registrations:results_edit", args=[accepted.pk]), data).status_code == 302
    item.refresh_from_db()
    assert item.result == "partly" and item.evidence.name.endswith(".pdf")
    url = reverse("registrations:evidence_download", args=[accepted.pk, item.pk])
    assert (
        url in client.get(reverse("registrations:registration_detail", args=[accepted.pk])).content.decode()
    )
    assert b"".join(client.get(url).streaming_content).startswith(b"%PDF")
    bad = {"version": accepted.version + 1, f"item-{item.pk}-result": "achieved"}
    bad[f"item-{item.pk}-evidence"] = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00", "application/pdf")
    response = client.post(reverse("registrations:results_edit", args=[accepted.pk]), bad)
    assert response.status_code == 200 and response.context["error_list"]
    item.refresh_from_db()
    assert item.result == "partly"
    assert client_for(world.mttq_iakla).get(url).status_code == 404


def test_views_illegal_transition_shows_message_and_changes_nothing(client_for, world, women_iadom):
    client = client_for(world.mttq_huyen)
    response = client.post(
        reverse("registrations:registration_transition", args=[women_iadom.pk, "accept"]), follow=True
    )
    messages = [str(m) for m in response.context["messages"]]
    assert messages and "tiếp nhận" in messages[0]
    women_iadom.refresh_from_db()
    assert women_iadom.status == RegistrationStatus.DRAFT


def test_views_carry_over_opens_next_years_draft(client_for, world, program, accepted):
    items = list(accepted.items.all())
    results = {i.pk: {"result": "achieved"} for i in items}
    results[items[0].pk] = {"result": "not_achieved"}
    accepted = services.save_results(
        registration=accepted, results=results, version=accepted.version, by=world.phunu_iadom
    )
    period_2018 = open_year(world, program, 2018)
    response = client_for(world.phunu_iadom).post(
        reverse("registrations:registration_transition", args=[accepted.pk, "carry_over"])
    )
    target = Registration.objects.get(period=period_2018, organization=accepted.organization)
    assert response.url == reverse("registrations:registration_detail", args=[target.pk])
    assert list(target.items.values_list("description", flat=True)) == [
        f"{items[0].description} — chuyển tiếp từ năm 2017: không đạt"
    ]


def test_views_carried_over_items_keep_their_origin_through_an_edit(client_for, world, program, accepted):
    """Saved from the form, a carried-over draft still knows what it carried: its items keep
    their mark, and carrying over again adds nothing twice. A posted origin that is not one
    of the draft's is dropped."""
    items = list(accepted.items.all())
    results = {i.pk: {"result": "achieved"} for i in items}
    results[items[0].pk] = {"result": "not_achieved"}
    accepted = services.save_results(
        registration=accepted, results=results, version=accepted.version, by=world.phunu_iadom
    )
    open_year(world, program, 2018)
    client = client_for(world.phunu_iadom)
    transition = reverse("registrations:registration_transition", args=[accepted.pk, "carry_over"])
    target = Registration.objects.get(pk=resolve(client.post(transition).url).kwargs["pk"])
    url = reverse("registrations:registration_edit", args=[target.pk])
    form = client.get(url).context["formset"].forms[0]
    assert f'name="form-0-carried_from_id" value="{items[0].pk}"' in client.get(url).content.decode()
    row = {**{k: v for k, v in form.initial.items() if v not in (None, "", [])}, "description": "Sửa lại"}
    stranger = items[1].pk  # an item of last year this draft did not carry
    for origin, kept in ((row["carried_from_id"], items[0].pk), (stranger, None)):
        target.refresh_from_db()
        response = client.post(
            url, _formset_post(target, [{**row, "carried_from_id": origin}], target.version)
        )
        assert response.status_code == 302
        assert list(target.items.values_list("carried_from_id", flat=True)) == [kept]
        if kept:
            client.post(transition)  # carried over again: nothing added
            assert target.items.count() == 1


def test_views_registration_list_by_year(client_for, world, program, period):
    open_year(world, program, 2018)
    client = client_for(world.phunu_iadom)
    response = client.get(reverse("registrations:registration_list"))
    assert response.context["year"] == "2018"
    assert {r.period.year for r in response.context["registrations"]} == {2018}
    response = client.get(reverse("registrations:registration_list"), {"year": "2017"})
    assert [r.organization.name for r in response.context["registrations"]] == [
        "Hội Liên hiệp Phụ nữ xã Ia Dom"
    ]


def test_views_expected_organizations_add_and_remove(client_for, world, period, women_iadom):
    branch = world.org(world.iadom_areas[0], OrgKind.WOMEN)
    client = client_for(world.mttq_huyen)
    url = reverse("registrations:period_expected", args=[period.pk])
    client.post(url, {"organization": branch.pk})  # no reason: nothing changes
    assert not Registration.objects.filter(period=period, organization=branch).exists()
    client.post(url, {"organization": branch.pk, "reason": "Chi hội mới thành lập"})
    added = Registration.objects.get(period=period, organization=branch)
    assert period.registrations.count() == 18
    client.post(url, {"remove": added.pk, "reason": "  "})
    assert Registration.objects.filter(pk=added.pk).exists()
    page = client.post(url, {"remove": added.pk, "reason": "Sáp nhập chi hội"}, follow=True).content.decode()
    assert not Registration.objects.filter(pk=added.pk).exists()
    assert "Chi hội mới thành lập" in page and "Sáp nhập chi hội" in page
    assert [c.action for c in period.expected_changes.order_by("at", "id")] == ["added", "removed"]
    assert client_for(world.mttq_iadom).post(
        reverse("registrations:period_expected", args=[period.pk]), {"remove": women_iadom.pk}
    ).status_code in (403, 404)
    assert Registration.objects.filter(pk=women_iadom.pk).exists()


def test_views_expected_form_leaves_out_area_branches_in_a_large_scope(
    client_for, world, period, monkeypatch
):
    from registrations import forms

    client = client_for(world.mttq_huyen)
    options = client.get(reverse("registrations:period_detail", args=[period.pk])).context["expected_form"]
    offered = {value for value, _label in options.fields["organization"].choices if value}
    branch = world.org(world.iadom_areas[0], OrgKind.WOMEN)
    assert branch.pk in offered
    # The district's branches lie in two communes: each says its commune.
    assert dict(options.fields["organization"].choices)[branch.pk] == f"{branch.name} — Xã Ia Dom"
    monkeypatch.setattr(forms, "MAX_EXPECTED_OPTIONS", 3)
    options = client.get(reverse("registrations:period_detail", args=[period.pk])).context["expected_form"]
    offered = {value for value, _label in options.fields["organization"].choices if value}
    assert branch.pk not in offered and 0 < len(offered) <= 3
    # A branch can still be added (the choice is validated against the whole scope).
    client.post(
        reverse("registrations:period_expected", args=[period.pk]),
        {"organization": branch.pk, "reason": "Bổ sung"},
    )
    assert Registration.objects.filter(period=period, organization=branch).exists()


def test_views_expected_remove_refused_once_filled(client_for, world, program, period, submitted):
    client = client_for(world.mttq_huyen)
    response = client.post(
        reverse("registrations:period_expected", args=[period.pk]),
        {"remove": submitted.pk, "reason": "Nhầm"},
        follow=True,
    )
    assert Registration.objects.filter(pk=submitted.pk).exists()
    assert [str(m) for m in response.context["messages"]] == [
        f"{submitted.organization.name} đã gửi bảng đăng ký ("
        + date_format(timezone.localtime(submitted.submitted_at), "SHORT_DATETIME_FORMAT")
        + "): không thể đưa ra khỏi danh sách."
    ]
    assert not period.expected_changes.exists()


def test_views_expected_remove_refused_once_submitted_even_if_returned(client_for, world, submitted):
    services.return_registration(registration=submitted, reason="Bổ sung mô hình", by=world.mttq_huyen)
    response = client_for(world.mttq_huyen).post(
        reverse("registrations:period_expected", args=[submitted.period_id]),
        {"remove": submitted.pk, "reason": "Nhầm"},
    )
    assert response.status_code == 302
    assert Registration.objects.filter(pk=submitted.pk).exists()


def test_views_expected_changes_refused_when_period_closed(client_for, world, period, women_iadom):
    services.close_period(period=period, by=world.mttq_huyen)
    client_for(world.mttq_huyen).post(
        reverse("registrations:period_expected", args=[period.pk]),
        {"remove": women_iadom.pk, "reason": "Giải thể"},
    )
    assert Registration.objects.filter(pk=women_iadom.pk).exists() and not period.expected_changes.exists()


def test_views_tracking_matrix_communes_by_organizations(client_for, world, submitted):
    response = client_for(world.mttq_huyen).get(
        reverse("registrations:period_detail", args=[submitted.period_id])
    )
    kinds, lines = response.context["matrix"]
    assert len(kinds) == 6 and [unit.name for unit, _cells in lines] == [
        "Huyện Đức Cơ",
        "Xã Ia Dom",
        "Xã Ia Kla",
    ]
    district_cells = lines[0][1]
    assert district_cells[kinds.index(OrgKind.FRONT)] is None
    iadom_cells = lines[1][1]
    assert iadom_cells[kinds.index(OrgKind.WOMEN)].pk == submitted.pk


@pytest.mark.parametrize("username", ["phunu.iadom", "nongdan.huyen", "lanhdao"])
def test_views_expected_refused_with_403_to_those_who_do_not_manage_the_period(
    client_for, world, period, username
):
    """Regression: an organization the user cannot see was a form error (a redirect, as if
    done) instead of 403 for one who may see the period but not manage it."""
    branch = world.org(world.iadom_areas[0], OrgKind.YOUTH)
    before = period.registrations.count()
    response = client_for(world.users[username]).post(
        reverse("registrations:period_expected", args=[period.pk]),
        {"organization": branch.pk, "reason": "Bổ sung"},
    )
    assert response.status_code == 403
    assert period.registrations.count() == before


def test_views_only_the_front_reviews_registrations(client_for, world, submitted):
    """Regression: a reviewer of a member organization (here the district Women's Union)
    could accept its commune branches' registrations; only the Front reviews them."""
    from organizations.models import Membership, Role, User

    reviewer = User.objects.create_user(username="phunu.huyen.reviewer", full_name="Phụ nữ huyện")
    Membership.objects.create(
        user=reviewer, organization=world.org(world.district, OrgKind.WOMEN), role=Role.REVIEWER
    )
    client = client_for(reviewer)
    for action in ("accept", "return"):
        response = client.post(
            reverse("registrations:registration_transition", args=[submitted.pk, action]),
            {"reason": "Thiếu minh chứng"},
        )
        assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == RegistrationStatus.SUBMITTED


def test_views_registration_history_shows_the_old_and_new_target(client_for, world, program, women_iadom):
    items = full_items(world, program, women_iadom)
    reg = services.save_items(registration=women_iadom, items=items, version=1, by=world.phunu_iadom)
    items[-1] = {**items[-1], "amount": 10_000_000}
    services.save_items(registration=reg, items=items, version=reg.version, by=world.phunu_iadom)
    page = client_for(world.mttq_huyen).get(reverse("registrations:registration_detail", args=[reg.pk]))
    history = lxml.html.fromstring(page.content).get_element_by_id("history").text_content()
    assert "Sửa: Chỉ tiêu vận động quỹ “Vận động quỹ” — Số tiền (đồng): 5.000.000 đ → 10.000.000 đ" in history
    assert "Bỏ:" not in history


def test_views_resubmitted_registration_shows_its_first_submission(client_for, world, submitted):
    first = submitted.submitted_at
    reg = services.return_registration(registration=submitted, reason="Bổ sung", by=world.mttq_huyen)
    reg = services.submit(registration=reg, by=world.phunu_iadom)
    page = client_for(world.mttq_huyen).get(reverse("registrations:registration_detail", args=[reg.pk]))
    status = lxml.html.fromstring(page.content).get_element_by_id("first-submission").text_content()
    assert status == f"(nộp lần đầu lúc {date_format(timezone.localtime(first), 'SHORT_DATETIME_FORMAT')})"


def test_views_bulk_accept_names_each_registration_not_accepted(client_for, world, period, submitted):
    farmers = Registration.objects.get(period=period, organization=world.org(world.iadom, OrgKind.FARMERS))
    response = client_for(world.mttq_huyen).post(
        reverse("registrations:period_accept", args=[period.pk]),
        {"registration": [submitted.pk, farmers.pk], "confirm": "1"},
        follow=True,
    )
    shown = [str(m) for m in response.context["messages"]]
    assert shown == [
        "Đã tiếp nhận 1 bảng đăng ký.",
        "1 bảng đăng ký chưa được tiếp nhận:",
        "Hội Nông dân xã Ia Dom: chưa nộp",
    ]
    assert Registration.objects.get(pk=submitted.pk).status == RegistrationStatus.ACCEPTED


def _area_options(response, name="form-0-area") -> list[str]:
    doc = lxml.html.fromstring(response.content)
    return [o.text_content() for o in doc.xpath(f'//select[@name="{name}"]/option') if o.get("value")]


def test_views_area_select_names_the_commune_when_areas_span_several(client_for, world, period):
    for commune in (world.iadom, world.iakla):
        Unit.objects.create(name="Làng Krêl", level=UnitLevel.AREA, parent=commune)
    district = Registration.objects.get(
        period=period, organization=world.org(world.district, OrgKind.FARMERS)
    )
    response = client_for(world.nongdan_huyen).get(
        reverse("registrations:registration_edit", args=[district.pk])
    )
    options = _area_options(response)
    assert "Làng Krêl — Xã Ia Dom" in options and "Làng Krêl — Xã Ia Kla" in options
    assert "Làng 1 — Xã Ia Dom" in options and "Làng Krêl" not in options
    commune = Registration.objects.get(period=period, organization=world.org(world.iadom, OrgKind.WOMEN))
    response = client_for(world.phunu_iadom).get(
        reverse("registrations:registration_edit", args=[commune.pk])
    )
    assert _area_options(response) == ["Làng 1", "Thôn 3", "Làng Krêl"]  # one commune: the names


def test_views_expected_form_names_the_commune_of_branches_when_they_span_several(world, period):
    from registrations.forms import ExpectedForm

    for commune in (world.iadom, world.iakla):
        ensure_organizations(Unit.objects.create(name="Làng Krêl", level=UnitLevel.AREA, parent=commune))
    labels = [
        label
        for _pk, label in ExpectedForm(period=period, user=world.mttq_huyen).fields["organization"].choices
    ]
    assert (
        "Chi hội Phụ nữ Làng Krêl — Xã Ia Dom" in labels and "Chi hội Phụ nữ Làng Krêl — Xã Ia Kla" in labels
    )
    assert "Ủy ban MTTQ Việt Nam huyện Đức Cơ" in labels  # not a branch: named as it is
    # The part of the view shown is one commune: its branches' names are enough.
    shown = ExpectedForm(period=period, user=world.mttq_huyen, shown=world.iadom).fields["organization"]
    assert "Chi hội Phụ nữ Làng Krêl" in [label for _pk, label in shown.choices]
