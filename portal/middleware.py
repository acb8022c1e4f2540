from django.conf import settings
from django.utils import translation


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
