"""Numbers as the portal writes them: ``{% load numbers %}``, then ``{{ amount|vnd }}``
(1.500.000 đ) and ``{{ count|grouped }}`` (1.500), grouped with the language's separator."""

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
    """A whole number with grouped thousands: 1.500."""
    if value in (None, ""):
        return ""
    return number_format(int(value), force_grouping=True)
