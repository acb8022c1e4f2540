"""Benchmark data (``manage.py seed_bench``, ``make bench``): each module's ``load(context)``
fills its part at the chosen scale, in this order; ``pages(users)`` and ``jobs(users)`` name
what the benchmark measures."""

from . import api, households, jobs, organizations, registrations, reports

BUILDERS = [organizations, registrations, households, reports, api, jobs]


def hooks(name: str, users) -> list:
    """Every builder's ``name(users)`` (``pages``, ``jobs``), in order."""
    return [
        found for builder in BUILDERS if hasattr(builder, name) for found in getattr(builder, name)(users)
    ]
