"""Who calls: the token in ``Authorization: Bearer …``, and how often it may call.

A token found and valid makes its service account the request's user for the reads
(``request.auth``); a token that is unknown, revoked or expired answers 401. The token
found is kept on the request (``request.api_token``) even when refused, for the call log."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from . import services
from .errors import ApiError
from .models import ApiToken

security_log = logging.getLogger("portal.security")

WINDOW_SECONDS = 60


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        prefix = services.split_token(token.strip())
        found = (
            ApiToken.objects.select_related("user", "organization__unit").filter(prefix=prefix).first()
            if prefix
            else None
        )
        if found is None or not services.matches(found, token.strip()):
            security_log.warning("API token refused: unknown (prefix %s)", prefix or "-")
            raise ApiError(401, "token_invalid")
        request.api_token = found
        if found.is_revoked or not found.user.is_active:
            raise ApiError(401, "token_revoked")
        if found.is_expired(timezone.now()):
            raise ApiError(401, "token_expired")
        return found.user


class PerTokenRate(BaseThrottle):
    """At most ``API_RATE_LIMIT_PER_MINUTE`` calls per token in each clock minute, counted
    in Django's cache (Redis in production: one counter shared by every process). A fixed
    window: one atomic increment a call, where a sliding one keeps a list per token."""

    def allow_request(self, request) -> bool:
        token = getattr(request, "api_token", None)
        if token is None:
            return True
        key = f"api-rate:{token.pk}:{int(time.time() // WINDOW_SECONDS)}"
        # add() does nothing when the key exists: the first call of the window makes it.
        cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
        try:
            count = cache.incr(key)
        except ValueError:  # evicted between add() and incr()
            cache.set(key, 1, timeout=WINDOW_SECONDS * 2)
            count = 1
        return count <= settings.API_RATE_LIMIT_PER_MINUTE

    def wait(self) -> float:
        """Seconds until the next window opens (ninja sends them as Retry-After)."""
        return max(WINDOW_SECONDS - time.time() % WINDOW_SECONDS, 1)
