"""Login lockout: by username and address together, a slower limit per username, locks
that end by themselves, and failed logins told on the home page (organizations/axes.py).

Requests come, as in production, from the proxy on 127.0.0.1 with the client's address in
X-Forwarded-For. Time is moved by making the recorded attempts older, not by waiting."""

from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.db.models import F
from django.test import Client
from django.urls import reverse

from devdata.testing import PASSWORD

OFFICE = "203.0.113.7"  # a commune office: every officer there shares this public address
ELSEWHERE = "198.51.100.20"


def login(username, password=PASSWORD, address=OFFICE, client=None, forwarded=None):
    client = client or Client()
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=forwarded or address,
    )


def fail(username, times, address=OFFICE):
    for _ in range(times):
        response = login(username, "sai-mat-khau", address)
        assert response.status_code in (200, 429)


def locked(response) -> bool:
    return response.status_code == 429 and "tạm thời bị khóa" in response.content.decode()


def older(model, by: timedelta):
    model.objects.update(attempt_time=F("attempt_time") - by)


# ---------------------------------------------------------------- username and address


def test_failures_lock_the_username_from_that_address_only(world):
    fail("phunu.iadom", settings.AXES_FAILURE_LIMIT)
    # From the office: refused, even with the right password.
    response = login("phunu.iadom")
    assert locked(response) and "15 phút" in response.content.decode()
    # The same account from another address logs in.
    assert login("phunu.iadom", address=ELSEWHERE).status_code == 302


def test_an_office_sharing_one_address_is_not_locked_out_by_one_users_mistakes(world):
    fail("phunu.iadom", settings.AXES_FAILURE_LIMIT)
    assert login("mttq.iadom", address=OFFICE).status_code == 302


def test_a_forged_forwarded_address_cannot_lock_the_office_out(world):
    """An attacker who writes the office's address in X-Forwarded-For: the proxy appends
    the attacker's real address, and that is the one counted."""
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        login("mttq.huyen", "sai", forwarded=f"{OFFICE}, {ELSEWHERE}")
    assert login("mttq.huyen", address=OFFICE).status_code == 302
    assert locked(login("mttq.huyen", address=ELSEWHERE))


def test_attempts_refused_during_a_lock_are_not_counted(world):
    """One address hammering a locked account adds nothing: neither a longer lock nor
    failures towards the per-username limit."""
    fail("phunu.iadom", settings.AXES_FAILURE_LIMIT)
    first_lock = AccessAttempt.objects.get(username="phunu.iadom").attempt_time
    fail("phunu.iadom", 3 * settings.AXES_FAILURE_LIMIT)
    assert AccessAttempt.objects.get(username="phunu.iadom").attempt_time == first_lock
    assert AccessFailureLog.objects.filter(username="phunu.iadom").count() == settings.AXES_FAILURE_LIMIT


def test_the_lock_ends_by_itself_after_the_cool_off(world):
    fail("phunu.iadom", settings.AXES_FAILURE_LIMIT)
    assert locked(login("phunu.iadom"))
    older(AccessAttempt, settings.AXES_COOLOFF_TIME - timedelta(minutes=1))
    assert locked(login("phunu.iadom"))  # a minute left
    older(AccessAttempt, timedelta(minutes=1, seconds=1))
    assert login("phunu.iadom").status_code == 302


# ---------------------------------------------------------------- per username, slower


def _guess_from_many_addresses(username, failures):
    """``failures`` wrong passwords, fewer than the address limit from each address."""
    per_address = settings.AXES_FAILURE_LIMIT - 1
    for n in range(0, failures, per_address):
        fail(username, min(per_address, failures - n), address=f"192.0.2.{n // per_address + 1}")


def test_guessing_from_many_addresses_locks_the_username_everywhere(world):
    limit = settings.LOCKOUT_USERNAME_FAILURE_LIMIT
    assert limit > settings.AXES_FAILURE_LIMIT
    _guess_from_many_addresses("mttq.huyen", limit - 1)
    assert login("mttq.huyen", address=ELSEWHERE).status_code == 302  # one below the limit

    _guess_from_many_addresses("mttq.huyen", limit)
    response = login("mttq.huyen", address="192.0.2.250")  # an address never seen
    assert locked(response)
    minutes = int(settings.LOCKOUT_USERNAME_WINDOW.total_seconds() // 60)
    assert f"{minutes} phút" in response.content.decode()
    # Other accounts are not touched.
    assert login("mttq.iadom", address="192.0.2.250").status_code == 302


def test_the_per_username_lock_ends_when_the_failures_leave_the_window(world):
    limit = settings.LOCKOUT_USERNAME_FAILURE_LIMIT
    _guess_from_many_addresses("mttq.huyen", limit)
    assert locked(login("mttq.huyen", address=ELSEWHERE))
    AccessAttempt.objects.all().delete()  # the per-address cool-offs, long over by then
    older(AccessFailureLog, settings.LOCKOUT_USERNAME_WINDOW - timedelta(minutes=1))
    assert locked(login("mttq.huyen", address=ELSEWHERE))
    older(AccessFailureLog, timedelta(minutes=1, seconds=1))
    assert login("mttq.huyen", address=ELSEWHERE).status_code == 302


def test_one_address_alone_cannot_reach_the_per_username_limit_in_its_window(world):
    """Five failures per cool-off from one address, for a whole window: the owner, from the
    office, still logs in."""
    rounds = int(settings.LOCKOUT_USERNAME_WINDOW / settings.AXES_COOLOFF_TIME) + 1
    for _ in range(rounds):
        fail("mttq.huyen", 2 * settings.AXES_FAILURE_LIMIT, address=ELSEWHERE)
        # Each lock sits out its cool-off (all the window's failures are kept in the log).
        older(AccessAttempt, settings.AXES_COOLOFF_TIME + timedelta(seconds=1))
    assert login("mttq.huyen", address=OFFICE).status_code == 302


def test_the_failure_log_keeps_the_newest_failures(world, settings):
    settings.AXES_ACCESS_FAILURE_LOG_PER_USER_LIMIT = 3
    fail("mttq.huyen", 3, address=OFFICE)
    fail("mttq.huyen", 3, address=ELSEWHERE)
    kept = AccessFailureLog.objects.filter(username="mttq.huyen")
    # The last three: axes' own trimming kept the first three and dropped each new one.
    assert sorted(kept.values_list("ip_address", flat=True)) == [ELSEWHERE] * 3


# ---------------------------------------------------------------- told on the home page


def _home(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_owner_and_a_reviewer_are_told_of_failed_logins(world):
    fail("phunu.iadom", 2, address=ELSEWHERE)
    fail("phunu.iadom", 1, address=OFFICE)

    owner = Client()
    assert login("phunu.iadom", client=owner).status_code == 302
    body = _home(owner)
    assert 'id="failed-logins"' in body and "Tài khoản của bạn" in body
    assert "3 lần đăng nhập sai" in body and "từ 2 địa chỉ" in body

    # The district Front's reviewer manages the account: told too.
    reviewer = Client()
    reviewer.force_login(world.mttq_huyen)
    body = _home(reviewer)
    assert 'id="failed-logins"' in body and "phunu.iadom" in body and "3 lần đăng nhập sai" in body

    # An editor of the same commune does not manage accounts: not told of others'.
    editor = Client()
    editor.force_login(world.mttq_iadom)
    assert 'id="failed-logins"' not in _home(editor)


def test_failed_logins_are_told_once_the_owner_logs_in_again(world):
    fail("phunu.iadom", 2)
    assert login("phunu.iadom").status_code == 302
    # The next login: those failures came before the previous login.
    client = Client()
    assert login("phunu.iadom", client=client).status_code == 302
    assert 'id="failed-logins"' not in _home(client)
    # A failure while the owner is logged in shows at once.
    fail("phunu.iadom", 1, address=ELSEWHERE)
    body = _home(client)
    assert "1 lần đăng nhập sai" in body


def test_the_security_log_names_the_clients_address_not_the_proxys(world, caplog):
    with caplog.at_level("INFO", logger="portal.security"):
        login("mttq.iadom", "sai-mat-khau", ELSEWHERE)
        login("mttq.iadom", address=OFFICE)
    lines = [r.getMessage() for r in caplog.records if r.name == "portal.security"]
    assert f"login failed: user=mttq.iadom address={ELSEWHERE}" in lines
    assert f"login: user=mttq.iadom address={OFFICE}" in lines
