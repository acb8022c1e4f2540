from django import template

register = template.Library()


STATUS_STYLE = {
    "draft": "text-bg-secondary",
    "submitted": "text-bg-primary",
    "returned": "text-bg-warning",
    "accepted": "text-bg-success",
    "confirmed": "text-bg-success",
    "achieved": "text-bg-success",
    "partly": "text-bg-warning",
    "not_achieved": "text-bg-danger",
    # status.Word codes of deadlines and rounds
    "on_time": "text-bg-success",
    "late": "text-bg-danger",
    "overdue": "text-bg-danger",
    "due_soon": "text-bg-warning",
    "pending": "text-bg-light border",
    "not_submitted": "text-bg-light border",
    "not_open": "text-bg-light border",
    "needs_review": "text-bg-info",
}


@register.inclusion_tag("registrations/_badge.html")
def badge(value, label):
    return {"style": STATUS_STYLE.get(value, "text-bg-light"), "label": label, "value": value}


@register.inclusion_tag("registrations/_badge.html")
def word(w):
    """A status.Word as a badge (nothing for None)."""
    if w is None:
        return {"style": "d-none", "label": "", "value": ""}
    return badge(w.code, w.label)
