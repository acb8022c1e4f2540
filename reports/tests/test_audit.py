"""The change log page: who changed which record, when, old → new, scoped like the rest."""

import datetime
import json

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.urls import reverse

from households import services
from households.models import EntryKind
from households.tests.factories import household

URL = reverse("reports:audit_log")


def _household(world, area, name, by):
    with set_actor(by):
        return services.create_household(area=area, head_name=name, birth_year=1980, by=by)


def _move(world, h, area, by, **fields):
    with set_actor(by):
        return services.update_household(
            household=h,
            version=h.version,
            by=by,
            area=area,
            head_name=fields.get("head_name", h.head_name),
            birth_year=1980,
            members=fields.get("members"),
        )


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("admin", 200),
        ("mttq.huyen", 200),
        ("mttq.iadom", 200),
        ("mttq.iakla", 200),
        ("phunu.iadom", 403),
        ("nongdan.huyen", 403),
        ("lanhdao", 403),
    ],
)
def test_audit_log_is_for_the_fronts_staff(client_for, world, username, expected):
    client = client_for(world.users[username])
    assert client.get(URL).status_code == expected
    nav = client.get("/").content.decode()
    assert (URL in nav) == (expected == 200)


def test_audit_log_anonymous_goes_to_login(client, world):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_audit_log_a_commune_sees_only_its_own_records(client_for, world):
    _household(world, world.iadom_areas[0], "Rơ Mah Jin", world.mttq_iadom)
    _household(world, world.iakla_areas[0], "Siu Thị Kla", world.mttq_iakla)
    dom = client_for(world.mttq_iadom).get(URL).content.decode()
    assert "Rơ Mah Jin" in dom and "Siu Thị Kla" not in dom
    kla = client_for(world.mttq_iakla).get(URL).content.decode()
    assert "Siu Thị Kla" in kla and "Rơ Mah Jin" not in kla
    district = client_for(world.mttq_huyen).get(URL).content.decode()
    assert "Siu Thị Kla" in district and "Rơ Mah Jin" in district


def test_audit_log_shows_who_when_old_and_new_with_names_and_a_link(client_for, world):
    h = _household(world, world.iadom_areas[0], "Rơ Mah Jin", world.mttq_iadom)
    _move(world, h, world.iadom_areas[1], world.phunu_iadom, head_name="Rơ Mah Jơn", members=5)
    response = client_for(world.mttq_iadom).get(URL)
    body = response.content.decode()
    row = next(r for r in response.context["rows"] if r.entry.action == LogEntry.Action.UPDATE)
    assert row.entry.actor == world.phunu_iadom and row.link == reverse("households:detail", args=[h.pk])
    changes = {c.label: (c.old, c.new) for c in row.changes}
    # the residential area by its name, not its id
    assert ("Làng 1", "Thôn 3") in changes.values()
    assert ("Rơ Mah Jin", "Rơ Mah Jơn") in changes.values()
    assert ("1", "5") in changes.values()
    assert "phunu.iadom" in body and f'href="{row.link}"' in body
    assert "Đã sửa" in body or "Sửa" in body
    assert datetime.date.today().strftime("%d/%m/%Y") in body


def test_audit_log_a_new_record_lists_its_content_not_its_id(client_for, world):
    h = _household(world, world.iadom_areas[0], "Rơ Mah Jin", world.mttq_iadom)
    response = client_for(world.mttq_iadom).get(URL, {"model": "households.household"})
    row = next(r for r in response.context["rows"] if r.entry.object_id == h.pk)
    changes = {c.label: (c.old, c.new) for c in row.changes}
    # What the record holds, by its Vietnamese labels: no id, no bookkeeping columns, no
    # empty field (the masked empty ID number included).
    assert changes == {
        "Khu dân cư": ("—", "Làng 1"),
        "Chủ hộ": ("—", "Rơ Mah Jin"),
        "Năm sinh": ("—", "1980"),
        "Số nhân khẩu": ("—", "1"),
        "Hộ chính sách": ("—", "Không"),
        "Người tạo": ("—", "mttq.iadom"),
    }


def test_audit_log_money_is_grouped_and_links_only_what_the_user_may_open(client_for, world):
    with set_actor(world.mttq_iadom):
        services.record_fund_entry(
            unit=world.iadom,
            kind=EntryKind.RECEIPT,
            date=datetime.date(2017, 10, 17),
            amount=12_500_000,
            donor="Công ty Đức Cơ",
            by=world.mttq_iadom,
        )
    response = client_for(world.mttq_iadom).get(URL)
    body = response.content.decode()
    assert "12.500.000" in body and "17/10/2017" in body
    row = response.context["rows"][0]
    assert row.link == reverse("households:fund", args=[world.iadom.pk])
    # a user record: no page the officer may open, so no link
    assert all(r.link is None for r in response.context["rows"] if r.model_label == "Người dùng")


def test_audit_log_filters_by_user_kind_of_record_and_days(client_for, world):
    _household(world, world.iadom_areas[0], "Rơ Mah Jin", world.mttq_iadom)
    _household(world, world.iadom_areas[1], "Nay Blơi", world.phunu_iadom)
    client = client_for(world.mttq_iadom)
    body = client.get(URL, {"actor": world.phunu_iadom.pk}).content.decode()
    assert "Nay Blơi" in body and "Rơ Mah Jin" not in body
    rows = client.get(URL, {"model": "households.household"}).context["rows"]
    assert {r.entry.object_repr for r in rows} == {"Rơ Mah Jin", "Nay Blơi"}
    today = datetime.date.today()
    rows = client.get(URL, {"date_from": today.strftime("%d/%m/%Y"), "date_to": today.strftime("%d/%m/%Y")})
    assert len(rows.context["rows"]) > 0
    tomorrow = (today + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    assert client.get(URL, {"date_from": tomorrow}).context["rows"] == []


@pytest.mark.parametrize(
    "query",
    [
        {"date_from": "31/02/2024"},
        {"date_from": "02/01/2024", "date_to": "01/01/2024"},
        {"actor": "99999999999999999999"},
        {"actor": "1 OR 1=1"},
        {"model": "auth.permission"},
        {"model": "<script>"},
        {"page": "-1"},
        {"page": "99999"},
        {"date_to": "\x00"},
        {"date_to": "31/12/9999"},
        {"date_from": "01/01/0001"},
    ],
)
def test_audit_log_bad_filters_are_refused_not_a_server_error(client_for, world, query):
    _household(world, world.iadom_areas[0], "Rơ Mah Jin", world.mttq_iadom)
    response = client_for(world.mttq_iadom).get(URL, query)
    assert response.status_code == 200


def test_audit_log_day_beyond_the_years_is_refused_with_a_message(client_for, world):
    """31/12/9999 was read "up to the next day", which does not exist: a server error."""
    _household(world, world.iadom_areas[0], "Rơ Mah Jin", world.mttq_iadom)
    response = client_for(world.mttq_iadom).get(URL, {"date_to": "31/12/9999"})
    assert response.status_code == 200 and response.context["rows"] == []
    assert "Hãy chọn một ngày trong khoảng năm 1990 đến năm 2100." in response.content.decode()


def test_audit_log_user_filter_offers_no_account_of_another_commune(client_for, world):
    response = client_for(world.mttq_iadom).get(URL)
    offered = set(response.context["form"].fields["actor"].queryset.values_list("username", flat=True))
    assert "mttq.iadom" in offered and "phunu.iadom" in offered
    assert "mttq.iakla" not in offered
    # another commune's officer as the filter is not among the choices: nothing is listed
    _household(world, world.iakla_areas[0], "Siu Thị Kla", world.mttq_iakla)
    response = client_for(world.mttq_iadom).get(URL, {"actor": world.mttq_iakla.pk})
    assert response.context["rows"] == [] and "Siu Thị Kla" not in response.content.decode()


def test_audit_log_is_paginated(client_for, world):
    for i in range(55):
        household(world.iadom_areas[i % 2], name=f"Hộ số {i}")
    client = client_for(world.mttq_iadom)
    first = client.get(URL)
    assert len(first.context["rows"]) == 50 and first.context["page"].has_next()
    second = client.get(URL, {"page": 2})
    assert second.context["page"].number == 2 and len(second.context["rows"]) > 0


def test_audit_log_account_changes_only_for_those_who_manage_accounts(client_for, world):
    with set_actor(world.mttq_huyen):
        world.phunu_iadom.email = "phunu.iadom@example.vn"
        world.phunu_iadom.save()
    reviewer = client_for(world.mttq_huyen).get(URL, {"model": "organizations.user"})
    assert "phunu.iadom@example.vn" in reviewer.content.decode()
    editor = client_for(world.mttq_iadom).get(URL)
    assert "phunu.iadom@example.vn" not in editor.content.decode()
    choices = dict(editor.context["form"].fields["model"].choices)
    assert "organizations.user" not in choices and "households.household" in choices


# ---------------------------------------------------------------- every write, read as typed


def _entries_of(model, **filters):
    from django.contrib.contenttypes.models import ContentType

    return LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model), **filters)


def test_audit_import_writes_one_entry_per_household_and_status_it_changed(world):
    from households import imports
    from households.models import Household, HouseholdStatus
    from households.tests.factories import review_list, row

    listed = [row(1, "Nay Blơi", 1980), row(2, "Siu H' Nga", 1974, female=True), row(3, "Rơ Mah Jin", 1985)]
    imports.apply_plan(content=review_list(listed), commune=world.iadom, year=2017, by=world.mttq_iadom)
    created = _entries_of(Household, action=LogEntry.Action.CREATE)
    assert sorted(e.object_repr for e in created) == ["Nay Blơi", "Rơ Mah Jin", "Siu H' Nga"]
    assert _entries_of(HouseholdStatus, action=LogEntry.Action.CREATE).count() == 3
    assert {e.actor for e in created} == {world.mttq_iadom}

    # One status changes, one household's members change, the third stays as it was.
    listed[0] = row(1, "Nay Blơi", 1980, status="Hộ thoát nghèo")
    listed[1] = row(2, "Siu H' Nga", 1974, female=True, members=6)
    imports.apply_plan(content=review_list(listed), commune=world.iadom, year=2017, by=world.phunu_iadom)
    (status,) = _entries_of(HouseholdStatus, action=LogEntry.Action.UPDATE)
    assert status.actor == world.phunu_iadom and status.changes["status"] == ["poor", "escaped"]
    (household,) = _entries_of(Household, action=LogEntry.Action.UPDATE)
    assert household.object_repr == "Siu H' Nga" and household.changes == {"members": ["4", "6"]}


def test_audit_import_confirmed_on_the_page_keeps_the_user_and_the_address(client_for, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from households.models import Household, ReviewImport
    from households.tests.factories import review_list, row

    client = client_for(world.mttq_iadom)
    content = review_list([row(1, "Nay Blơi", 1980)])
    client.post(
        reverse("households:import"),
        {"commune": world.iadom.pk, "year": 2017, "file": SimpleUploadedFile("ds.xlsx", content)},
    )
    client.post(reverse("households:import_confirm", args=[ReviewImport.objects.get().pk]))
    entry = _entries_of(Household).get()
    assert entry.actor == world.mttq_iadom and entry.remote_addr == "127.0.0.1"
    body = client.get(URL, {"model": "households.household"}).content.decode()
    assert "Nay Blơi" in body and "Tạo mới" in body


def test_audit_registration_upload_logs_each_item_it_removes_and_adds(world, program, women_iadom):
    from devdata.registrations import full_items
    from registrations import excel
    from registrations import services as registration_services
    from registrations.models import RegistrationItem

    items = full_items(world, program, women_iadom)
    registration_services.save_items(
        registration=women_iadom, items=items, version=women_iadom.version, by=world.phunu_iadom
    )
    women_iadom.refresh_from_db()
    replaced = set(women_iadom.items.values_list("pk", flat=True))
    excel.apply_upload(
        registration=women_iadom, items=items, version=women_iadom.version, by=world.phunu_iadom
    )
    added = set(women_iadom.items.values_list("pk", flat=True))
    entries = _entries_of(RegistrationItem)
    assert {e.object_id for e in entries.filter(action=LogEntry.Action.DELETE)} >= replaced
    created = entries.filter(action=LogEntry.Action.CREATE)
    assert sorted(e.object_id for e in created) == sorted(added)
    assert {e.actor for e in created} == {world.phunu_iadom}
    first = created.get(object_id=min(added))
    assert first.changes["description"] == ["None", items[0]["description"]]


def test_audit_password_reset_is_logged_when_the_flag_was_already_set(client_for, world):
    from organizations.models import User

    User.objects.filter(pk=world.phunu_iadom.pk).update(must_change_password=True)
    response = client_for(world.mttq_huyen).post(
        reverse("organizations:account_reset_password", args=[world.phunu_iadom.pk])
    )
    temporary = response.context["temporary"]
    (entry,) = _entries_of(User, object_id=world.phunu_iadom.pk, action=LogEntry.Action.UPDATE)
    assert entry.actor == world.mttq_huyen and entry.remote_addr == "127.0.0.1"
    assert entry.additional_data == {"event": "password_reset"}
    # never the password, nor its hash
    stored = repr((entry.changes, entry.serialized_data, entry.changes_text))
    assert temporary not in stored and "argon2" not in stored and "password" not in stored
    rows = client_for(world.mttq_huyen).get(URL, {"model": "organizations.user"}).context["rows"]
    row = next(r for r in rows if r.entry == entry)
    assert row.action_label == "Đặt lại mật khẩu" and row.entry.object_repr == str(world.phunu_iadom)


def test_audit_password_reset_logs_the_flag_it_sets_in_the_same_entry(world):
    from organizations import services as org_services
    from organizations.models import User

    User.objects.filter(pk=world.phunu_iadom.pk).update(must_change_password=False)
    world.phunu_iadom.refresh_from_db()
    org_services.reset_password(user=world.phunu_iadom, by=world.mttq_huyen)
    (entry,) = _entries_of(User, object_id=world.phunu_iadom.pk, action=LogEntry.Action.UPDATE)
    assert entry.additional_data == {"event": "password_reset"}
    assert entry.changes == {"must_change_password": ["False", "True"]}


def test_audit_password_change_by_the_user_is_logged(client_for, world):
    from organizations.models import User

    user = world.phunu_iadom
    user.set_password("Mat-khau-cu-2017")
    User.objects.filter(pk=user.pk).update(password=user.password, must_change_password=False)
    changed = client_for(user).post(
        reverse("organizations:password_change"),
        {
            "old_password": "Mat-khau-cu-2017",
            "new_password1": "Mat-khau-moi-2018",
            "new_password2": "Mat-khau-moi-2018",
        },
    )
    assert changed.status_code == 302
    (entry,) = _entries_of(User, object_id=user.pk, action=LogEntry.Action.UPDATE)
    assert entry.actor == user and entry.additional_data == {"event": "password_changed"}
    assert "Mat-khau-moi-2018" not in repr((entry.changes, entry.serialized_data))


def test_audit_log_labels_in_vietnamese_time_local_and_values_unescaped(client_for, world):
    from households.models import HouseholdStatus, PovertyStandard

    with set_actor(world.mttq_iadom):
        h = services.create_household(
            area=world.iadom_areas[0], head_name="Rơ Mah Jin", national_id="064123456789", by=world.mttq_iadom
        )
    three = PovertyStandard.for_year(2022).indicators[:3]
    indicators = three[:2]
    with set_actor(world.mttq_iadom):
        services.set_status(household=h, year=2022, status="poor", deprivations=three, by=world.mttq_iadom)
        services.set_status(
            household=h, year=2022, status="near_poor", deprivations=indicators, by=world.mttq_iadom
        )
    status = HouseholdStatus.objects.get(household=h, year=2022)
    entry = _entries_of(HouseholdStatus, action=LogEntry.Action.UPDATE).get()
    assert "\\u" in json.dumps(entry.changes["deprivations"])  # as auditlog keeps it
    # A change made at 23:30 UTC is on the next day in Việt Nam (UTC+7).
    late = datetime.datetime(2024, 5, 31, 23, 30, tzinfo=datetime.UTC)
    entry.changes["recorded_at"] = ["2024-05-31 23:30:00", "2024-05-31 23:45:00"]
    entry.timestamp = late
    entry.save()
    response = client_for(world.mttq_iadom).get(URL, {"model": "households.householdstatus"})
    body = response.content.decode()
    row = next(r for r in response.context["rows"] if r.entry.pk == entry.pk)
    assert row.when == "01/06/2024 06:30" and "01/06/2024 06:30" in body
    changes = {c.label: (c.old, c.new) for c in row.changes}
    assert changes["Phân loại"] == ("Hộ nghèo", "Hộ cận nghèo")
    assert changes["Chỉ số thiếu hụt"] == (", ".join(three), ", ".join(indicators))
    assert changes["Thời điểm ghi nhận"] == ("01/06/2024 06:30", "01/06/2024 06:45")
    assert "\\u" not in body and ", ".join(indicators) in body
    for english in ("Recorded at", "Recorded by", "Created by", "Deprivation", "Status"):
        assert english not in body
    assert status.pk == row.entry.object_id
    # the ID number stays masked, as auditlog keeps it
    body = client_for(world.mttq_iadom).get(URL, {"model": "households.household"}).content.decode()
    assert "064123456789" not in body and "******456789" in body
