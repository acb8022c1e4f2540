import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse


class PasswordChangeRequiredMiddleware:
    """Send a user whose password was reset by someone else to choose a new one first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {reverse("password_change"), reverse("logout")}
            if request.path not in allowed and not request.path.startswith("/static/"):
                return redirect("password_change")
        return self.get_response(request)


class SessionLifetimeMiddleware:
    """A session's two limits: idle and absolute.

    Idle: the session, and its cookie, expire SESSION_COOKIE_AGE after it was last renewed,
    and a request renews it when the last renewal is SESSION_RENEW_SECONDS old or more. Renewed
    on every request instead (SESSION_SAVE_EVERY_REQUEST), every page would end with an
    UPDATE of its session row and a commit. A session so ends between SESSION_COOKIE_AGE minus
    SESSION_RENEW_SECONDS and SESSION_COOKIE_AGE after its last request.

    Absolute: a session ends a fixed time after login, however active it has been.
    """

    STARTED = "_login_started_at"
    RENEWED = "_renewed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault(self.STARTED, now)
            if now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect_to_login(request.get_full_path())
            if now - request.session.get(self.RENEWED, 0) >= settings.SESSION_RENEW_SECONDS:
                request.session[self.RENEWED] = now  # a changed session is saved with a new expiry
        return self.get_response(request)
