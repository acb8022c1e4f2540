import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation


class PasswordChangeRequiredMiddleware:
    """Send a user whose password was reset by someone else to choose a new one first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {reverse("organizations:password_change"), reverse("logout")}
            if request.path not in allowed and not request.path.startswith("/static/"):
                return redirect("organizations:password_change")
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


class UserLanguageMiddleware:
    """The language a logged-in user chose wins over the browser's and the cookie's.

    Placed after AuthenticationMiddleware. It activates ``user.language`` for the request
    and keeps the language cookie in step, so the login page itself (before the user is
    known) and the pages after logout keep the last choice too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = self._user_language(request)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        language = self._user_language(request) or None  # login/logout change the user
        if language and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response

    @staticmethod
    def _user_language(request) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        language = getattr(user, "language", "")
        return language if language in dict(settings.LANGUAGES) else None
