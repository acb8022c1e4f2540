"""Template filters for showing stored values in the user's language."""

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def audit_value(value):
    """A value from the audit log (stored as text) as a user reads it: no "None"/"True"."""
    text = "" if value is None else str(value)
    # "None", or a related manager's repr ("organizations.Membership.None").
    if text in ("", "None") or (text.endswith(".None") and " " not in text):
        return "—"
    if text == "True":
        return gettext("yes")
    if text == "False":
        return gettext("no")
    return text
