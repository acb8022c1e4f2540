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
}


@register.inclusion_tag("registrations/_badge.html")
def badge(value, label):
    return {"style": STATUS_STYLE.get(value, "text-bg-light"), "label": label, "value": value}
