"""The API's errors: a stable code for programs, a Vietnamese message for people.

Every error answers ``{"code": "...", "message": "..."}`` (a bad parameter also names the
parameters in ``fields``); the codes are listed in docs/api.md and never change meaning."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "token_missing": _("Send the API token in the header: Authorization: Bearer <token>."),
    "token_invalid": _("The API token is not valid."),
    "token_revoked": _("The API token has been revoked."),
    "token_expired": _("The API token has expired."),
    "rate_limited": _("Too many requests with this token: wait the seconds given in Retry-After."),
    "not_found": _("Not found, or outside the token's scope."),
    "bad_parameter": _("Invalid parameters: %(names)s."),
    "bad_cursor": _("The cursor is not valid: start the list again without it."),
    "status_needs_year": _("Filtering households by status needs a year."),
    "too_many_years": _("Ask for at most %(count)s years at once."),
    "unknown_indicator": _("No indicator has this code."),
    "method_not_allowed": _("The API is read-only: only GET is allowed."),
}


class ApiError(Exception):
    """An answer other than 200, raised anywhere below the API's views."""

    def __init__(self, status: int, code: str, fields: list[str] | None = None, **params):
        self.status, self.code, self.fields, self.params = status, code, fields or [], params
        super().__init__(code)

    def body(self) -> dict:
        message = str(MESSAGES[self.code])
        if self.params:
            message = message % self.params
        body = {"code": self.code, "message": message}
        if self.fields:
            body["fields"] = self.fields
        return body


def not_found() -> ApiError:
    return ApiError(404, "not_found")


def bad_parameter(*fields: str) -> ApiError:
    return ApiError(400, "bad_parameter", list(fields), names=", ".join(fields))
