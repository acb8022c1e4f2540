"""Security log of logins and failed logins (who, from where)."""

import logging

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .axes import client_address

security_log = logging.getLogger("portal.security")


def loggable(value, limit: int = 150) -> str:
    """A value typed by someone else, safe in a log line: short, control characters escaped
    (a username with a line break could otherwise forge a log line)."""
    text = str(value)[:limit]
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def _address(request) -> str:
    """The client's address as the lockout counts it (behind the proxy: X-Forwarded-For)."""
    return (client_address(request) or "-") if request is not None else "-"


@receiver(user_logged_in)
def log_login(sender, request, user, **kwargs):
    security_log.info("login: user=%s address=%s", user.username, _address(request))


@receiver(user_logged_out)
def log_logout(sender, request, user, **kwargs):
    security_log.info("logout: user=%s", getattr(user, "username", "-"))


@receiver(user_login_failed)
def log_login_failed(sender, credentials, request=None, **kwargs):
    security_log.warning(
        "login failed: user=%s address=%s", loggable(credentials.get("username", "-")), _address(request)
    )
