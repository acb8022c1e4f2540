"""The workflow as one table (services.WORKFLOW): every action from every status, who may
take it, the buttons the page shows, and the admin that leaves the workflow alone."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from devdata.registrations import full_items
from registrations import services
from registrations.admin import WORKFLOW_FIELDS
from registrations.models import (
    ItemResult,
    Registration,
    RegistrationAction,
    RegistrationStatus,
    ResultsStatus,
)

# (the registration's status, its results' status), by name.
STATES = {
    "draft": (RegistrationStatus.DRAFT, ResultsStatus.DRAFT),
    "submitted": (RegistrationStatus.SUBMITTED, ResultsStatus.DRAFT),
    "returned": (RegistrationStatus.RETURNED, ResultsStatus.DRAFT),
    "accepted": (RegistrationStatus.ACCEPTED, ResultsStatus.DRAFT),
    "results submitted": (RegistrationStatus.ACCEPTED, ResultsStatus.SUBMITTED),
    "results returned": (RegistrationStatus.ACCEPTED, ResultsStatus.RETURNED),
    "results confirmed": (RegistrationStatus.ACCEPTED, ResultsStatus.CONFIRMED),
}

# What each action moving a status does: (who takes it, the column, the states it starts
# from, the status it leads to, the history entry it records).
MOVES = {
    "submit": (
        "phunu_iadom",
        "status",
        {"draft", "returned"},
        RegistrationStatus.SUBMITTED,
        RegistrationAction.SUBMITTED,
    ),
    "return": (
        "mttq_huyen",
        "status",
        {"submitted"},
        RegistrationStatus.RETURNED,
        RegistrationAction.RETURNED,
    ),
    "accept": (
        "mttq_huyen",
        "status",
        {"submitted"},
        RegistrationStatus.ACCEPTED,
        RegistrationAction.ACCEPTED,
    ),
    "submit_results": (
        "phunu_iadom",
        "results_status",
        {"accepted", "results returned"},
        ResultsStatus.SUBMITTED,
        RegistrationAction.RESULTS_SUBMITTED,
    ),
    "return_results": (
        "mttq_huyen",
        "results_status",
        {"results submitted"},
        ResultsStatus.RETURNED,
        RegistrationAction.RESULTS_RETURNED,
    ),
    "confirm_results": (
        "mttq_huyen",
        "results_status",
        {"results submitted"},
        ResultsStatus.CONFIRMED,
        RegistrationAction.RESULTS_CONFIRMED,
    ),
}
REASON = "Bổ sung minh chứng"

CASES = [(action, state) for action in MOVES for state in STATES]


def _in_state(world, program, registration, state, unmet=False) -> Registration:
    """The registration with the items of every rule, in ``state``; once accepted, every
    item has its result (one partly achieved if ``unmet``)."""
    services.save_items(
        registration=registration,
        items=full_items(world, program, registration),
        version=registration.version,
        by=world.phunu_iadom,
    )
    status, results_status = STATES[state]
    if status == RegistrationStatus.ACCEPTED:
        registration.items.update(result=ItemResult.ACHIEVED)
        if unmet:
            registration.items.filter(order=1).update(result=ItemResult.PARTLY)
    Registration.objects.filter(pk=registration.pk).update(
        status=status,
        results_status=results_status,
        submitted_at=None if status == RegistrationStatus.DRAFT else timezone.now(),
    )
    return Registration.objects.select_related("period__program", "organization__unit").get(
        pk=registration.pk
    )


def _everything(registration) -> tuple:
    """What a refused action must leave as it was."""
    fresh = Registration.objects.get(pk=registration.pk)
    return (
        fresh.status,
        fresh.results_status,
        fresh.version,
        fresh.submitted_at,
        fresh.accepted_at,
        fresh.return_reason,
        fresh.results_submitted_at,
        fresh.results_return_reason,
        list(fresh.events.values_list("pk", flat=True)),
        list(fresh.items.values_list("pk", "result", "initiative_id", "outstanding_area_id")),
        list(fresh.tallies.values_list("kind", "submitted", "committed")),
    )


def test_the_table_holds_every_action_of_the_page():
    route = reverse("registrations:registration_transition", args=[1, "submit"])
    assert route == "/registrations/1/submit/"
    assert list(services.WORKFLOW) == [
        "submit",
        "return",
        "accept",
        "submit_results",
        "return_results",
        "confirm_results",
        "carry_over",
    ]
    for action, (_who, column, _sources, target, event) in MOVES.items():
        step = services.WORKFLOW[action]
        assert (step.column, step.target, step.event) == (column, target, event)
        assert step.permission == ("edit_own" if action.startswith("submit") else "review")
        assert bool(step.reason_field) == action.startswith("return")


@pytest.mark.parametrize("action, state", CASES, ids=[f"{a} from {s}" for a, s in CASES])
def test_each_action_from_each_status(world, program, women_iadom, action, state):
    who, column, sources, target, event = MOVES[action]
    registration = _in_state(world, program, women_iadom, state)
    before = _everything(registration)
    previous = getattr(registration, column)
    if state not in sources:
        with pytest.raises(ValidationError) as error:
            services.transition(
                registration=registration,
                action=action,
                by=getattr(world, who),
                reason=REASON,
                acknowledge_warnings=True,
            )
        # The results are entered, then submitted, only once the registration is accepted
        # and while they are not already submitted or confirmed: a lock says why.
        expected = "locked" if action == "submit_results" else "illegal_transition"
        assert services.error_code(error.value) == expected
        assert error.value.messages and error.value.messages[0]
        if expected == "illegal_transition":
            assert error.value.messages[0].startswith("Không thể ")
        assert _everything(registration) == before
        return
    changed = services.transition(
        registration=registration,
        action=action,
        by=getattr(world, who),
        reason=REASON,
        acknowledge_warnings=True,
    )
    fresh = Registration.objects.get(pk=registration.pk)
    assert getattr(fresh, column) == getattr(changed, column) == target
    assert fresh.version == registration.version + 1 and fresh.updated_by == getattr(world, who)
    entry = fresh.events.order_by("at", "id").last()
    assert (entry.action, entry.from_status, entry.to_status, entry.by) == (
        event,
        previous,
        target,
        getattr(world, who),
    )
    assert len(entry.snapshot) == 5
    assert entry.reason == (REASON if action.startswith("return") else "")
    if action == "return":
        assert fresh.return_reason == REASON
    if action == "return_results":
        assert fresh.results_return_reason == REASON
    if action == "submit":
        assert fresh.submitted_at is not None and not fresh.is_late
        assert fresh.tallies.filter(submitted=True).exists()
    if action == "accept":
        assert fresh.accepted_at is not None
        # The initiative and the outstanding area it registers are recorded.
        assert fresh.items.exclude(created_initiative=None).count() == 1
        assert fresh.items.exclude(outstanding_area=None).count() == 1
    if action == "submit_results":
        assert fresh.results_submitted_at is not None and not fresh.results_is_late


@pytest.mark.parametrize("action", list(MOVES))
def test_each_action_refused_to_the_other_role_and_to_a_viewer(world, program, women_iadom, action):
    who, _column, sources, _target, _event = MOVES[action]
    registration = _in_state(world, program, women_iadom, sorted(sources)[0])
    before = _everything(registration)
    other = "mttq_huyen" if who == "phunu_iadom" else "phunu_iadom"
    for user in (getattr(world, other), world.lanhdao, world.mttq_iadom):
        with pytest.raises(PermissionDenied):
            services.transition(registration=registration, action=action, by=user, reason=REASON)
    assert _everything(registration) == before


@pytest.mark.parametrize("action", list(MOVES))
def test_each_action_refused_once_the_period_is_closed(world, program, women_iadom, action):
    who, _column, sources, _target, _event = MOVES[action]
    registration = _in_state(world, program, women_iadom, sorted(sources)[0])
    services.close_period(period=registration.period, by=world.mttq_huyen)
    registration.refresh_from_db()
    before = _everything(registration)
    with pytest.raises(ValidationError) as error:
        services.transition(
            registration=registration,
            action=action,
            by=getattr(world, who),
            reason=REASON,
            acknowledge_warnings=True,
        )
    assert services.error_code(error.value) == "locked" and "khóa sổ" in error.value.messages[0]
    assert _everything(registration) == before


@pytest.mark.parametrize(
    "action, state, message",
    [
        ("return", "submitted", "Ghi rõ lý do trả lại bảng đăng ký."),
        ("return_results", "results submitted", "Ghi rõ lý do trả lại kết quả."),
    ],
)
def test_a_return_needs_its_reason(world, program, women_iadom, action, state, message):
    registration = _in_state(world, program, women_iadom, state)
    before = _everything(registration)
    with pytest.raises(ValidationError) as error:
        services.transition(registration=registration, action=action, by=world.mttq_huyen, reason="  ")
    assert error.value.message_dict == {"reason": [message]}
    assert _everything(registration) == before


def test_a_stale_version_is_refused(world, program, women_iadom):
    registration = _in_state(world, program, women_iadom, "draft")
    before = _everything(registration)
    with pytest.raises(ValidationError) as error:
        services.transition(
            registration=registration, action="submit", by=world.phunu_iadom, version=registration.version - 1
        )
    assert services.error_code(error.value) == "stale"
    assert _everything(registration) == before


def test_submitting_results_needs_every_result(world, program, women_iadom):
    registration = _in_state(world, program, women_iadom, "accepted")
    registration.items.filter(order__in=[2, 4]).update(result="")
    before = _everything(registration)
    with pytest.raises(ValidationError) as error:
        services.transition(registration=registration, action="submit_results", by=world.phunu_iadom)
    assert "2, 4" in error.value.messages[0]
    assert _everything(registration) == before


def test_unknown_action_is_a_programming_error(world, women_iadom):
    with pytest.raises(ValueError):
        services.transition(registration=women_iadom, action="publish", by=world.admin)


# ---------------------------------------------------------------- the page's buttons

# What allowed_actions gives each role in each state (one item partly achieved once accepted).
BUTTONS = {
    "mttq_huyen": {
        "submitted": ["return", "accept"],
        "results submitted": ["return_results", "confirm_results"],
    },
    "phunu_iadom": {
        "draft": ["submit"],
        "returned": ["submit"],
        "accepted": ["submit_results", "carry_over"],
        "results submitted": ["carry_over"],
        "results returned": ["submit_results", "carry_over"],
        "results confirmed": ["carry_over"],
    },
    "lanhdao": {},  # a viewer of the district
    "mttq_iadom": {},  # the commune's Front: sees the Women's Union's form, does not write it
}
PAGES = [(username, state) for username in BUTTONS for state in STATES]


def _page_actions(html: str, registration) -> set[str]:
    """The workflow actions the page's forms post to."""
    found = set()
    for action in services.WORKFLOW:
        url = reverse("registrations:registration_transition", args=[registration.pk, action])
        if re.search(rf'<form[^>]*action="{re.escape(url)}"', html):
            found.add(action)
    return found


@pytest.mark.parametrize("username, state", PAGES, ids=[f"{u} {s}" for u, s in PAGES])
def test_the_page_shows_exactly_the_allowed_actions(client_for, world, program, women_iadom, username, state):
    registration = _in_state(world, program, women_iadom, state, unmet=True)
    user = getattr(world, username)
    allowed = services.allowed_actions(registration, user)
    assert allowed == BUTTONS[username].get(state, [])
    response = client_for(user).get(reverse("registrations:registration_detail", args=[registration.pk]))
    assert response.status_code == 200
    assert response.context["actions"] == allowed
    assert _page_actions(response.content.decode(), registration) == set(allowed)


def test_no_action_is_offered_once_the_period_is_closed_but_the_carry_over(world, program, women_iadom):
    registration = _in_state(world, program, women_iadom, "accepted", unmet=True)
    services.close_period(period=registration.period, by=world.mttq_huyen)
    registration.refresh_from_db()
    assert services.allowed_actions(registration, world.phunu_iadom) == ["carry_over"]
    Registration.objects.filter(pk=registration.pk).update(status=RegistrationStatus.SUBMITTED)
    registration.refresh_from_db()
    assert services.allowed_actions(registration, world.mttq_huyen) == []


def test_an_accepted_registration_without_items_offers_no_results_to_submit(world, women_iadom):
    Registration.objects.filter(pk=women_iadom.pk).update(
        status=RegistrationStatus.ACCEPTED, submitted_at=timezone.now()
    )
    women_iadom.refresh_from_db()
    assert services.allowed_actions(women_iadom, world.phunu_iadom) == []


def test_the_page_takes_each_action_through_the_table(client_for, world, program, women_iadom):
    registration = _in_state(world, program, women_iadom, "results submitted")
    url = reverse("registrations:registration_transition", args=[registration.pk, "return_results"])
    response = client_for(world.mttq_huyen).post(url, {"reason": REASON}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Đã trả lại kết quả kèm lý do."]
    registration.refresh_from_db()
    assert registration.results_status == ResultsStatus.RETURNED
    assert registration.results_return_reason == REASON
    client_for(world.phunu_iadom).post(
        reverse("registrations:registration_transition", args=[registration.pk, "submit_results"])
    )
    client_for(world.mttq_huyen).post(
        reverse("registrations:registration_transition", args=[registration.pk, "confirm_results"])
    )
    registration.refresh_from_db()
    assert registration.results_status == ResultsStatus.CONFIRMED
    assert list(registration.events.order_by("at", "id").values_list("action", flat=True))[-3:] == [
        RegistrationAction.RESULTS_RETURNED,
        RegistrationAction.RESULTS_SUBMITTED,
        RegistrationAction.RESULTS_CONFIRMED,
    ]


# ---------------------------------------------------------------- the admin


def test_the_admin_shows_the_workflow_and_the_items_read_only(client_for, world, submitted):
    client = client_for(world.admin)
    url = reverse("admin:registrations_registration_change", args=[submitted.pk])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    names = set(re.findall(r'name="([^"]+)"', html))
    assert {"status", "results_status", "submitted_at", "version"} <= set(WORKFLOW_FIELDS)
    for field in WORKFLOW_FIELDS:
        assert field not in names, field
    # The items and the history are shown, with no form to change, add or delete one.
    item_inputs = {n for n in names if n.startswith(("items-", "events-"))}
    assert {re.sub(r"^(items|events)-(\d+-)?", "", n) for n in item_inputs} <= {
        "id",
        "registration",
        "TOTAL_FORMS",
        "INITIAL_FORMS",
        "MIN_NUM_FORMS",
        "MAX_NUM_FORMS",
    }
    assert "__prefix__" not in html and "-DELETE" not in html
    assert "Phát triển kinh tế hộ" in html and "Đã nộp" in html

    # A post naming a status or changing an item changes neither.
    items = list(submitted.items.order_by("order", "id"))
    events = list(submitted.events.all())
    data = {
        "period": submitted.period_id,
        "organization": submitted.organization_id,
        "status": RegistrationStatus.ACCEPTED,
        "results_status": ResultsStatus.CONFIRMED,
        "version": "99",
        "items-TOTAL_FORMS": str(len(items)),
        "items-INITIAL_FORMS": str(len(items)),
        "events-TOTAL_FORMS": str(len(events)),
        "events-INITIAL_FORMS": str(len(events)),
        "_save": "1",
    }
    for n, item in enumerate(items):
        data.update(
            {
                f"items-{n}-id": item.pk,
                f"items-{n}-registration": submitted.pk,
                f"items-{n}-description": "Sửa ngoài quy trình",
                f"items-{n}-DELETE": "on",
            }
        )
    for n, event in enumerate(events):
        data.update({f"events-{n}-id": event.pk, f"events-{n}-registration": submitted.pk})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    fresh = Registration.objects.get(pk=submitted.pk)
    assert (fresh.status, fresh.results_status, fresh.version) == (
        RegistrationStatus.SUBMITTED,
        ResultsStatus.DRAFT,
        submitted.version,
    )
    assert list(fresh.items.order_by("order", "id").values_list("description", flat=True)) == [
        i.description for i in items
    ]
    assert fresh.events.count() == len(events)
