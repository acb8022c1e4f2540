from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def vnd(value):
    """Integer VND with grouped thousands: 5.000.000 đ."""
    if value is None or value == "":
        return ""
    return f"{number_format(int(value), force_grouping=True)} đ"


@register.filter
def grouped(value):
    if value is None or value == "":
        return ""
    return number_format(value, force_grouping=True)


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
