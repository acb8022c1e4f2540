"""Home-page panels of the campaigns app. Each feature keeps its own module; merge by
adding to this list."""

from . import home_supervision


def panels(request, scope) -> list[dict]:
    return [*home_supervision.panels(request, scope)]
