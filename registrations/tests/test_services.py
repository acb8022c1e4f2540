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
    assert "− Vận động quỹ" in changed.summary


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
    assert services.accept_many(registrations=regs, by=world.mttq_huyen) == 2
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
        items[0].description,
        items[1].description,
    ]
    assert target.events.get().action == RegistrationAction.CARRIED_OVER
    with pytest.raises(ValidationError):
        services.carry_over(registration=reg, by=world.phunu_iadom)
