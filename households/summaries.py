"""What the households' summaries (gaps.py, aid.py) share: adding the areas' rows of a
recount up per commune. Replacing a whole summary is core.summaries.replace_all."""

from __future__ import annotations

from organizations.models import Unit


def with_communes(areas: dict[tuple, dict[str, int]]) -> dict[tuple, dict[str, int]]:
    """A recount of areas' rows (keyed by the area first) with their communes' rows added:
    the same figures summed per commune, keyed by the commune first (both are units: the ids
    differ), as the summaries keep them."""
    commune_of = dict(Unit.objects.filter(pk__in={key[0] for key in areas}).values_list("pk", "parent_id"))
    communes: dict[tuple, dict[str, int]] = {}
    for (area, *rest), figures in areas.items():
        added = communes.setdefault((commune_of[area], *rest), dict.fromkeys(figures, 0))
        for name, value in figures.items():
            added[name] += value
    return areas | communes
