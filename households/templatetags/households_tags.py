from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def vnd(value) -> str:
    """Integer VND with grouped thousands: 1.500.000 đ."""
    if value in (None, ""):
        return ""
    return f"{number_format(int(value), force_grouping=True)} đ"


@register.filter
def grouped(value) -> str:
    if value in (None, ""):
        return ""
    return number_format(int(value), force_grouping=True)


@register.filter
def status_label(code) -> str:
    from households.models import Status

    return str(dict(Status.choices).get(code, "")) if code else ""
