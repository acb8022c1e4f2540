from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def status_label(code) -> str:
    from households.models import Status

    return str(dict(Status.choices).get(code, "")) if code else ""


BADGE_CLASSES = {
    "poor": "text-bg-danger",
    "near_poor": "text-bg-warning",
    "escaped": "text-bg-success",
    "escaped_near": "text-bg-success",
}


@register.simple_tag
def status_badge(code, label="") -> str:
    """A household's status in a year as a coloured badge with its name ("no review" when
    none). A tag rather than an included template: a list draws fifty (an include each
    took 0.1 ms)."""
    if not code:
        return format_html('<span class="text-muted">{}</span>', _("no review"))
    classes = BADGE_CLASSES.get(code, "text-bg-secondary")
    return format_html('<span class="badge status-badge {}">{}</span>', classes, label or status_label(code))
