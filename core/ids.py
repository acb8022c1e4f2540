"""Ids (and other whole numbers) read from a request: a URL's ``<int:pk>``, a query
string, a posted field.

Read as they come, ids broke pages instead of being refused: SQLite cannot hold an
integer beyond 64 bits in a query (10^20 in ``?commune=`` raised OverflowError, a server
error), ``int("abc")`` raises ValueError, ``int("١٢")`` reads Arabic-Indic digits as 12
and ``"²".isdigit()`` is true. Every id from a request is read here: ASCII digits naming a
number from 1 to the largest value of the model's primary key column on the database in
use (bigint for the portal's models, int4 for an AutoField on PostgreSQL), else nothing.
"""

from __future__ import annotations

from django.db import connections, router
from django.db.models import Model
from django.http import Http404

# More digits than any column's number has (2**63 - 1 has 19): longer text is refused
# before it is converted (int() of a huge text is slow, and refused past 4,300 digits).
MAX_DIGITS = 20

# Years are read as numbers too: one past any calendar's matches nothing (and 10^20 reached
# SQLite as an error).
LAST_YEAR = 9999


def largest_id(model: type[Model]) -> int:
    """The largest value the primary key column of ``model`` holds."""
    field = model._meta.pk
    while field.is_relation:  # a one-to-one primary key holds the other model's ids
        field = field.target_field
    ops = connections[router.db_for_read(model)].ops
    return ops.integer_field_range(field.get_internal_type())[1]


def read_number(value, largest: int, *, smallest: int = 0) -> int | None:
    """``value`` (text or a number) as a whole number from ``smallest`` to ``largest``
    written in ASCII digits, or None."""
    if isinstance(value, str):
        if not (value.isascii() and value.isdigit() and len(value) <= MAX_DIGITS):
            return None
        value = int(value)
    elif isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if smallest <= value <= largest else None


def read_id(value, model: type[Model]) -> int | None:
    """``value`` (text or a number) as an id of ``model``, or None when it cannot be one."""
    return read_number(value, largest_id(model), smallest=1)


def read_ids(values, model: type[Model]) -> list[int]:
    """The values that can be ids of ``model``, as ids; the others left out."""
    return [pk for pk in (read_id(v, model) for v in values) if pk is not None]


def id_or_404(value, model: type[Model]) -> int:
    """``value`` as an id of ``model``; a value that names no row answers 404."""
    number = read_id(value, model)
    if number is None:
        raise Http404
    return number
