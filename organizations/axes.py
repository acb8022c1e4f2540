"""The username django-axes records for a login attempt, cut to what its column holds.

Django's login form does not enforce the username's maximum length, so axes received the
raw value: a failed login with a 300-character username answered 500 on PostgreSQL
(axes' username column is 255 long). Found by portal/tests/test_bad_input.py.
"""

from django.conf import settings

from .models import User

MAX_LENGTH = User._meta.get_field("username").max_length


def login_username(request, credentials: dict | None = None) -> str | None:
    field = getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")
    if credentials:
        value = credentials.get(field)
    else:
        value = getattr(request, "data", request.POST).get(field)
    return value[:MAX_LENGTH] if isinstance(value, str) else value
