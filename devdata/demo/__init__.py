"""The Đức Cơ demo (``manage.py seed_demo``): each module's ``load(context)`` runs in this
order, building on what the ones before it put in ``context``."""

from . import households, organizations, registrations

BUILDERS = [organizations, registrations, households]


def load(context: dict) -> None:
    for builder in BUILDERS:
        builder.load(context)
