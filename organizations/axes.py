"""Login lockout on django-axes, and what the home page tells of failed logins.

Failed logins are counted per (username, address) by axes itself (AXES_LOCKOUT_PARAMETERS):
five wrong passwords from one address lock that username from that address only, for
AXES_COOLOFF_TIME, so a stranger cannot lock an officer out of the office's own address.
Guessing from many addresses is stopped by a slower limit per username alone, counted here
on axes' failure log (``LockoutHandler``). Both locks end by themselves. The choice and its
reasons: docs/deployment.md, "Login lockout".
"""

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.db.models import Count, Max, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.utils import timezone

from . import access
from .access import Permission
from .models import User

MAX_LENGTH = User._meta.get_field("username").max_length


def login_username(request, credentials: dict | None = None) -> str | None:
    """The username axes records for a login attempt, cut to what its column holds.

    Django's login form does not enforce the username's maximum length, so axes received the
    raw value: a failed login with a 300-character username answered 500 on PostgreSQL
    (axes' username column is 255 long). Found by portal/tests/test_bad_input.py.
    """
    field = getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")
    if credentials:
        value = credentials.get(field)
    else:
        value = getattr(request, "data", request.POST).get(field)
    return value[:MAX_LENGTH] if isinstance(value, str) else value


def client_address(request) -> str | None:
    """The address a login comes from, as the proxy in front of the portal saw it.

    Behind nginx every request reaches gunicorn from 127.0.0.1: counting by that address
    would count every office together. A request from a trusted proxy (TRUSTED_PROXIES) is
    read from the right of X-Forwarded-For, the entries the proxies appended themselves;
    the left part is what the client sent and could name anyone's address.
    """
    address = request.META.get("REMOTE_ADDR")
    trusted = set(settings.TRUSTED_PROXIES)
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    while address in trusted and hops:
        address = hops.pop()
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        # Not an address (a broken or forged header): the direct peer's own address.
        return request.META.get("REMOTE_ADDR")


def username_failures(username: str | None) -> int:
    """Failed logins on this username from any address within LOCKOUT_USERNAME_WINDOW."""
    if not username:
        return 0
    since = timezone.now() - settings.LOCKOUT_USERNAME_WINDOW
    return AccessFailureLog.objects.filter(username=username, attempt_time__gte=since).count()


def username_locked(username: str | None) -> bool:
    return username_failures(username) >= settings.LOCKOUT_USERNAME_FAILURE_LIMIT


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with the slower per-username limit added.

    Attempts refused while locked are not recorded (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT
    is off): no password was tried, and counting them would let one address stretch its own
    lock for ever or push the username over the slower limit alone.
    """

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        return username_locked(get_client_username(request, credentials))

    def remove_out_of_limit_failure_logs(self, *, username: str, limit: int | None = None) -> int:
        """Keep the newest AXES_ACCESS_FAILURE_LOG_PER_USER_LIMIT failures of a username.

        Axes' own version deletes the newest ones (its log is ordered newest first): once a
        username had that many, each new failure was deleted as soon as written, hidden from
        the slower limit and from the home page."""
        limit = settings.AXES_ACCESS_FAILURE_LOG_PER_USER_LIMIT if limit is None else limit
        newest_first = AccessFailureLog.objects.filter(username=username).order_by("-attempt_time", "-pk")
        older = list(newest_first.values_list("pk", flat=True)[limit:])
        count, _ = AccessFailureLog.objects.filter(pk__in=older).delete() if older else (0, None)
        return count


def lockout_response(request, original_response=None, credentials: dict | None = None):
    """Axes' lockout page (AXES_LOCKOUT_TEMPLATE), saying how long the lock that applies
    lasts: the slower per-username lock lasts up to its window, not one address's cool-off."""
    username = get_client_username(request, credentials)
    lasts = settings.LOCKOUT_USERNAME_WINDOW if username_locked(username) else get_cool_off(request)
    return render(
        request,
        settings.AXES_LOCKOUT_TEMPLATE,
        {"username": username or "", "cooloff_timedelta": lasts},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


# ---------------------------------------------------------------- the home page's panel

# Accounts listed at most (the most recently attacked first).
PANEL_ROWS = 10


def failed_logins_since_last_login(user) -> list[dict]:
    """Failed logins on the user's own account and, for a reviewer, on the accounts they
    manage, since the user's previous login (the one before this session's): one query.

    The previous login is axes' access log of successful logins, second newest; before a
    second login, since the account was created."""
    previous_login = (
        AccessLog.objects.filter(username=user.username).order_by("-attempt_time").values("attempt_time")[1:2]
    )
    since = Coalesce(Subquery(previous_login), Value(user.date_joined))
    accounts = Q(username=user.username)
    if access.is_reviewer(user):
        managed = access.permitted(User.objects.all(), user, Permission.MANAGE_USERS)
        accounts |= Q(username__in=managed.values("username"))
    return list(
        AccessFailureLog.objects.filter(accounts, attempt_time__gt=since)
        .values("username")
        .annotate(
            failures=Count("pk"), addresses=Count("ip_address", distinct=True), latest=Max("attempt_time")
        )
        .order_by("-latest", "username")[:PANEL_ROWS]
    )
