import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from devdata.registrations import full_items, open_year
from organizations.models import OrgKind
from registrations import services
from registrations.models import (
    ItemKind,
    ItemResult,
    Registration,
    RegistrationAction,
    RegistrationPeriod,
    RegistrationStatus,
    ResultsStatus,
)


def _save(world, program, registration, by=None, items=None):
    registration.refresh_from_db()
    return services.save_items(
        registration=registration,
        items=items if items is not None else full_items(world, program, registration),
        version=registration.version,
        by=by or world.phunu_iadom,
    )


# ---------------------------------------------------------------- periods


def test_open_period_creates_expected_registrations(world, period):
    orgs = set(period.registrations.values_list("organization__unit__name", "organization__kind"))
    # five member organizations at the district, six at each of the two communes, none at areas
    assert len(orgs) == 5 + 6 + 6
    assert ("Huyện Đức Cơ", OrgKind.FRONT) not in orgs
    assert ("Xã Ia Dom", OrgKind.FRONT) in orgs
    assert not period.registrations.filter(organization__unit__level="area").exists()


def test_open_period_refused_to_commune_editor(world, program):
    with pytest.raises(PermissionDenied):
        services.open_period(
            program=program,
            year=2018,
            opens_on=datetime.date(2018, 1, 1),
            registration_deadline=datetime.date(2018, 3, 1),
            results_deadline=datetime.date(2018, 12, 1),
            by=world.mttq_iadom,
        )


def test_open_period_twice_or_outside_program_refused(world, program, period):
    with pytest.raises(ValidationError) as error:
        open_year(world, program, 2017)
    assert "year" in error.value.message_dict
    with pytest.raises(ValidationError):
        open_year(world, program, 2030)
    assert RegistrationPeriod.objects.count() == 1


def test_close_period_locks_entry(world, program, period, women_iadom):
    services.close_period(period=period, by=world.mttq_huyen)
    with pytest.raises(ValidationError) as error:
        _save(world, program, women_iadom)
    assert services.error_code(error.value) == "locked"
    assert "khóa sổ" in error.value.messages[0]


# ---------------------------------------------------------------- workflow


def test_workflow_submit_return_resubmit_accept(world, program, women_iadom):
    _save(world, program, women_iadom)
    reg = services.submit(registration=women_iadom, by=world.phunu_iadom)
    assert reg.status == RegistrationStatus.SUBMITTED and not reg.is_late
    reg = services.return_registration(registration=reg, reason="Thiếu chỉ tiêu", by=world.mttq_huyen)
    assert reg.status == RegistrationStatus.RETURNED and reg.return_reason == "Thiếu chỉ tiêu"
    _save(world, program, reg, items=full_items(world, program, reg)[:-1])
    reg.refresh_from_db()
    reg = services.submit(registration=reg, by=world.phunu_iadom)
    reg = services.accept(registration=reg, by=world.mttq_huyen)
    assert reg.status == RegistrationStatus.ACCEPTED
    actions = list(reg.events.values_list("action", flat=True))
    assert actions == ["saved", "submitted", "returned", "saved", "submitted", "accepted"]
    changed = reg.events.filter(action="saved").last()
    assert "Bỏ: Chỉ tiêu vận động quỹ “Vận động quỹ”" in changed.summary


def test_workflow_return_requires_reason(world, submitted):
    with pytest.raises(ValidationError) as error:
        services.return_registration(registration=submitted, reason="  ", by=world.mttq_huyen)
    assert "reason" in error.value.message_dict


@pytest.mark.parametrize("username", ["phunu.iadom", "mttq.iadom", "lanhdao", "nongdan.huyen"])
def test_workflow_accept_refused_to_non_reviewers(world, submitted, username):
    with pytest.raises((PermissionDenied, Http404)):
        services.accept(registration=submitted, by=world.users[username])


@pytest.mark.parametrize("username", ["mttq.huyen", "mttq.iadom", "lanhdao", "mttq.iakla"])
def test_workflow_submit_refused_to_others(world, program, women_iadom, username):
    _save(world, program, women_iadom)
    with pytest.raises((PermissionDenied, Http404)):
        services.submit(registration=women_iadom, by=world.users[username])


def test_workflow_out_of_scope_is_404(world, program, women_iakla):
    with pytest.raises(Http404):
        services.save_items(registration=women_iakla, items=[], version=1, by=world.mttq_iadom)


def test_workflow_illegal_transitions_refused(world, program, women_iadom, accepted):
    with pytest.raises(ValidationError) as error:
        services.accept(registration=accepted, by=world.mttq_huyen)
    assert services.error_code(error.value) == "illegal_transition"
    with pytest.raises(ValidationError):
        services.return_registration(registration=accepted, reason="x", by=world.mttq_huyen)
    with pytest.raises(ValidationError):
        services.submit(registration=accepted, by=world.phunu_iadom)
    with pytest.raises(ValidationError) as error:
        _save(world, program, accepted)
    assert "tiếp nhận" in error.value.messages[0]


def test_workflow_accept_draft_refused(world, women_iadom):
    with pytest.raises(ValidationError):
        services.accept(registration=women_iadom, by=world.mttq_huyen)


def test_workflow_late_submission_marked(world, program):
    period = open_year(world, program, 2018, deadline=datetime.date(2018, 3, 1))
    reg = Registration.objects.get(period=period, organization=world.org(world.iadom, OrgKind.WOMEN))
    _save(world, program, reg)
    reg = services.submit(registration=Registration.objects.get(pk=reg.pk), by=world.phunu_iadom)
    assert reg.is_late


def test_workflow_accept_many(world, program, period):
    regs = []
    for kind in (OrgKind.WOMEN, OrgKind.FARMERS):
        reg = Registration.objects.get(period=period, organization=world.org(world.iadom, kind))
        reg = services.save_items(
            registration=reg, items=full_items(world, program, reg), version=reg.version, by=world.admin
        )
        regs.append(services.submit(registration=reg, by=world.admin))
    assert len(services.accept_many(registrations=regs, by=world.mttq_huyen).accepted) == 2
    assert Registration.objects.filter(status="accepted").count() == 2


# ---------------------------------------------------------------- rules on submit


def test_rules_errors_block_save(world, program, women_iadom):
    items = full_items(world, program, women_iadom)
    items[3]["households_pledged"] = 4
    with pytest.raises(ValidationError) as error:
        _save(world, program, women_iadom, items=items)
    assert "1 đến 3" in error.value.messages[0]
    assert not women_iadom.items.exists()


def test_rules_warnings_must_be_acknowledged(world, program, women_iadom):
    items = [i for i in full_items(world, program, women_iadom) if i["kind"] != ItemKind.INITIATIVE]
    _save(world, program, women_iadom, items=items)
    women_iadom.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.submit(registration=women_iadom, by=world.phunu_iadom)
    assert services.error_code(error.value) == "warnings"
    reg = services.submit(registration=women_iadom, by=world.phunu_iadom, acknowledge_warnings=True)
    assert reg.status == RegistrationStatus.SUBMITTED
    assert "mô hình" in reg.events.get(action="submitted").summary


def test_rules_empty_registration_cannot_be_submitted(world, women_iadom):
    with pytest.raises(ValidationError) as error:
        services.submit(registration=women_iadom, by=world.phunu_iadom, acknowledge_warnings=True)
    assert services.error_code(error.value) == "rules"


# ---------------------------------------------------------------- concurrency


def test_concurrency_stale_save_refused(world, program, women_iadom):
    loaded_version = women_iadom.version
    services.save_items(
        registration=women_iadom,
        items=full_items(world, program, women_iadom),
        version=loaded_version,
        by=world.phunu_iadom,
    )
    with pytest.raises(ValidationError) as error:
        services.save_items(registration=women_iadom, items=[], version=loaded_version, by=world.admin)
    assert services.error_code(error.value) == "stale"
    assert "phunu.iadom" in error.value.messages[0]
    assert women_iadom.items.count() == 5


# ---------------------------------------------------------------- results and carry-over


def _results(reg, result=ItemResult.ACHIEVED):
    return {i.pk: {"result": result, "achieved_quantity": 1, "result_note": "ok"} for i in reg.items.all()}


def test_results_before_acceptance_refused(world, submitted):
    with pytest.raises(ValidationError) as error:
        services.save_results(
            registration=submitted,
            results=_results(submitted),
            version=submitted.version,
            by=world.phunu_iadom,
        )
    assert services.error_code(error.value) == "locked"


def test_results_submit_return_confirm(world, accepted):
    reg = services.save_results(
        registration=accepted, results=_results(accepted), version=accepted.version, by=world.phunu_iadom
    )
    reg = services.submit_results(registration=reg, by=world.phunu_iadom)
    assert reg.results_status == ResultsStatus.SUBMITTED
    reg = services.return_results(registration=reg, reason="Thiếu minh chứng", by=world.mttq_huyen)
    assert reg.results_status == ResultsStatus.RETURNED
    reg = services.submit_results(registration=reg, by=world.phunu_iadom)
    with pytest.raises(PermissionDenied):
        services.confirm_results(registration=reg, by=world.phunu_iadom)
    reg = services.confirm_results(registration=reg, by=world.mttq_huyen)
    assert reg.results_status == ResultsStatus.CONFIRMED
    with pytest.raises(ValidationError):
        services.save_results(
            registration=reg, results=_results(reg), version=reg.version, by=world.phunu_iadom
        )


def test_results_submit_requires_every_result(world, accepted):
    with pytest.raises(ValidationError):
        services.submit_results(registration=accepted, by=world.phunu_iadom)


def test_results_evidence_type_checked(world, accepted):
    item = accepted.items.first()
    fake = SimpleUploadedFile("minh-chung.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.save_results(
            registration=accepted,
            results={item.pk: {"result": "achieved", "evidence": fake}},
            version=accepted.version,
            by=world.phunu_iadom,
        )


def test_carry_over_unmet_items(world, program, accepted, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    items = list(accepted.items.all())
    results = _results(accepted)
    results[items[0].pk]["result"] = ItemResult.NOT_ACHIEVED
    results[items[1].pk]["result"] = ItemResult.PARTLY
    reg = services.save_results(
        registration=accepted, results=results, version=accepted.version, by=world.phunu_iadom
    )
    with pytest.raises(ValidationError):
        services.carry_over(registration=reg, by=world.phunu_iadom)  # 2018 not open yet
    open_year(world, program, 2018)
    target = services.carry_over(registration=reg, by=world.phunu_iadom)
    assert target.period.year == 2018
    assert list(target.items.values_list("description", flat=True)) == [
        f"{items[0].description} — chuyển tiếp từ năm 2017: không đạt",
        f"{items[1].description} — chuyển tiếp từ năm 2017: chỉ tiêu còn 1 km trên 2 km (đã đạt 1 km)",
    ]
    assert target.events.get().action == RegistrationAction.CARRIED_OVER
    with pytest.raises(ValidationError):
        services.carry_over(registration=reg, by=world.phunu_iadom)


# ---------------------------------------------------------------- the history of the rounds


def _with(items, kind, **changes):
    """The items, with the first one of ``kind`` changed."""
    rows = [dict(row) for row in items]
    row = next(r for r in rows if r["kind"] == kind)
    row.update(changes)
    return rows


def test_history_shows_the_target_changed_not_an_item_removed_and_added(world, program, women_iadom):
    items = full_items(world, program, women_iadom)
    _save(world, program, women_iadom, items=items)
    changed = _with(items, ItemKind.FUND_TARGET, amount=10_000_000)
    changed = _with(changed, ItemKind.SPONSORSHIP_PLEDGE, households_pledged=3, description="Giúp 3 hộ nghèo")
    reg = _save(world, program, women_iadom, items=changed)
    summary = reg.events.filter(action=RegistrationAction.SAVED).last().summary
    assert "Chỉ tiêu vận động quỹ “Vận động quỹ” — Số tiền (đồng): 5.000.000 đ → 10.000.000 đ" in summary
    assert "Mô tả: “Nhận giúp hộ nghèo” → “Giúp 3 hộ nghèo”; Số hộ nhận giúp: 2 → 3" in summary
    assert "Thêm:" not in summary and "Bỏ:" not in summary
    assert summary.count("Sửa:") == 2  # the three items left as they were are not named


def test_history_names_added_and_removed_only_for_items_new_or_gone(world, program, women_iadom):
    items = full_items(world, program, women_iadom)
    _save(world, program, women_iadom, items=items)
    communication = {"kind": ItemKind.COMMUNICATION, "description": "Tin bài", "target_quantity": 4}
    rows = [
        r for r in _with(items, ItemKind.INITIATIVE, target_quantity=3) if r["kind"] != ItemKind.FUND_TARGET
    ]
    reg = _save(world, program, women_iadom, items=[*rows, communication])
    lines = reg.events.filter(action=RegistrationAction.SAVED).last().summary.splitlines()
    assert lines == [
        "Sửa: Mô hình “Mô hình” — Chỉ tiêu: 2 → 3",
        "Thêm: Tuyên truyền “Tin bài”",
        "Bỏ: Chỉ tiêu vận động quỹ “Vận động quỹ”",
    ]


def test_history_resubmission_says_what_changed_since_the_last_round(world, program, women_iadom):
    items = full_items(world, program, women_iadom)
    reg = _save(world, program, women_iadom, items=items)
    reg = services.submit(registration=reg, by=world.phunu_iadom)
    reg = services.return_registration(registration=reg, reason="Tăng chỉ tiêu quỹ", by=world.mttq_huyen)
    _save(world, program, reg, items=_with(items, ItemKind.FUND_TARGET, amount=7_000_000))
    _save(world, program, reg, items=_with(items, ItemKind.FUND_TARGET, amount=10_000_000))
    reg = services.submit(registration=Registration.objects.get(pk=reg.pk), by=world.phunu_iadom)
    summary = reg.events.filter(action=RegistrationAction.SUBMITTED).last().summary
    assert summary.startswith("Thay đổi so với lần nộp lúc ")
    assert "Số tiền (đồng): 5.000.000 đ → 10.000.000 đ" in summary  # the rounds, not each save


# ---------------------------------------------------------------- on time is the first submission's


def test_workflow_on_time_stays_on_time_when_resubmitted_after_the_deadline(world, program, women_iadom):
    reg = services.submit(registration=_save(world, program, women_iadom), by=world.phunu_iadom)
    first = reg.submitted_at
    assert not reg.is_late and reg.first_submitted_at == first
    reg = services.return_registration(registration=reg, reason="Bổ sung", by=world.mttq_huyen)
    RegistrationPeriod.objects.filter(pk=reg.period_id).update(
        registration_deadline=datetime.date(2017, 3, 31)
    )
    reg = services.submit(registration=_save(world, program, reg), by=world.phunu_iadom)
    reg.refresh_from_db()
    assert not reg.is_late
    assert reg.first_submitted_at == first and reg.submitted_at > first


def test_workflow_late_first_submission_stays_late_when_resubmitted(world, program):
    period = open_year(world, program, 2018, deadline=datetime.date(2018, 3, 1))
    reg = Registration.objects.get(period=period, organization=world.org(world.iadom, OrgKind.WOMEN))
    reg = services.submit(registration=_save(world, program, reg), by=world.phunu_iadom)
    reg = services.return_registration(registration=reg, reason="Bổ sung", by=world.mttq_huyen)
    # The Front extends the deadline: the second round is before it, the first was not.
    later = datetime.date.today() + datetime.timedelta(days=30)
    RegistrationPeriod.objects.filter(pk=period.pk).update(
        registration_deadline=later, results_deadline=later
    )
    reg = services.submit(registration=_save(world, program, reg), by=world.phunu_iadom)
    assert Registration.objects.get(pk=reg.pk).is_late


# ---------------------------------------------------------------- bulk acceptance


def _submitted(world, program, period, kind):
    reg = Registration.objects.get(period=period, organization=world.org(world.iadom, kind))
    return services.submit(registration=_save(world, program, reg, by=world.admin), by=world.admin)


def test_workflow_accept_many_names_each_registration_not_accepted(world, program, period, monkeypatch):
    women = _submitted(world, program, period, OrgKind.WOMEN)
    youth = services.accept(
        registration=_submitted(world, program, period, OrgKind.YOUTH), by=world.mttq_huyen
    )
    veterans = _submitted(world, program, period, OrgKind.VETERANS)
    farmers = Registration.objects.get(period=period, organization=world.org(world.iadom, OrgKind.FARMERS))
    real = services.records_from_accepted_registration

    def refuse_veterans(*, registration, by):
        real(registration=registration, by=by)
        if registration.pk == veterans.pk:
            raise ValidationError("Mô hình “Hàng rào xanh” đã có ở xã này.")

    monkeypatch.setattr(services, "records_from_accepted_registration", refuse_veterans)
    done = services.accept_many(registrations=[women, youth, veterans, farmers], by=world.mttq_huyen)
    assert [r.pk for r in done.accepted] == [women.pk]
    assert done.messages == [
        "Đoàn TNCS Hồ Chí Minh xã Ia Dom: đã được tiếp nhận",
        "Hội Cựu chiến binh xã Ia Dom: Mô hình “Hàng rào xanh” đã có ở xã này.",
        "Hội Nông dân xã Ia Dom: chưa nộp",
    ]
    statuses = dict(Registration.objects.filter(period=period).values_list("pk", "status"))
    assert statuses[women.pk] == RegistrationStatus.ACCEPTED
    assert statuses[veterans.pk] == RegistrationStatus.SUBMITTED  # nothing of it is left
    assert not veterans.events.filter(action=RegistrationAction.ACCEPTED).exists()
    assert statuses[farmers.pk] == RegistrationStatus.DRAFT


# ---------------------------------------------------------------- carry-over of what is left


def test_carry_over_carries_what_is_left_of_each_target(world, program, accepted):
    by_kind = {i.kind: i for i in accepted.items.all()}
    results = {i.pk: {"result": ItemResult.ACHIEVED} for i in by_kind.values()}
    results[by_kind[ItemKind.FUND_TARGET].pk] = {"result": ItemResult.PARTLY, "achieved_amount": 2_000_000}
    results[by_kind[ItemKind.SPONSORSHIP_PLEDGE].pk] = {"result": ItemResult.PARTLY, "achieved_quantity": 1}
    # Reported partly achieved, but its figure (2 km) was reached: nothing is left to carry.
    results[by_kind[ItemKind.INITIATIVE].pk] = {"result": ItemResult.PARTLY, "achieved_quantity": 2}
    results[by_kind[ItemKind.CONTENT].pk] = {"result": ItemResult.NOT_ACHIEVED}
    reg = services.save_results(
        registration=accepted, results=results, version=accepted.version, by=world.phunu_iadom
    )
    open_year(world, program, 2018)
    target = services.carry_over(registration=reg, by=world.phunu_iadom)
    carried = {i.kind: i for i in target.items.all()}
    assert set(carried) == {ItemKind.CONTENT, ItemKind.SPONSORSHIP_PLEDGE, ItemKind.FUND_TARGET}
    assert carried[ItemKind.FUND_TARGET].amount == 3_000_000
    assert carried[ItemKind.FUND_TARGET].description == (
        "Vận động quỹ — chuyển tiếp từ năm 2017: "
        "số tiền (đồng) còn 3.000.000 đ trên 5.000.000 đ (đã đạt 2.000.000 đ)"
    )
    assert carried[ItemKind.SPONSORSHIP_PLEDGE].households_pledged == 1
    assert (
        carried[ItemKind.CONTENT].description == "Phát triển kinh tế hộ — chuyển tiếp từ năm 2017: không đạt"
    )
    assert carried[ItemKind.CONTENT].content_id == by_kind[ItemKind.CONTENT].content_id
    assert all(i.carried_from_id for i in carried.values())


def test_workflow_first_submission_filled_from_the_history_for_earlier_registrations(world, submitted):
    """The migration that keeps the first submission reads it from the history."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("registrations.migrations.0002_first_submission")
    first = submitted.events.get(action=RegistrationAction.SUBMITTED).at
    reg = services.return_registration(registration=submitted, reason="Bổ sung", by=world.mttq_huyen)
    reg = services.submit(registration=reg, by=world.phunu_iadom)
    Registration.objects.filter(pk=reg.pk).update(first_submitted_at=None)
    migration.fill_first_submission(apps, None)
    assert Registration.objects.get(pk=reg.pk).first_submitted_at == first
    assert Registration.objects.filter(first_submitted_at__isnull=False).count() == 1  # drafts have none
