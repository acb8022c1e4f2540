"""Keyset pagination: a page is the rows after the last id of the page before, in id
order, so the 5,000th page of a province's households costs what the first does (an
OFFSET reads and throws away every row before it). The cursor is opaque to callers:
they pass back what ``next_cursor`` gave them."""

from __future__ import annotations

import base64
import binascii

from django.conf import settings
from django.db.models import QuerySet

from .errors import ApiError

CURSOR_VERSION = "k1"


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"{CURSOR_VERSION}:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The id the cursor continues after; 400 for anything that is not a cursor we gave."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ApiError(400, "bad_cursor") from None
    version, _sep, number = text.partition(":")
    if version != CURSOR_VERSION or not (number.isascii() and number.isdigit()) or len(number) > 19:
        raise ApiError(400, "bad_cursor")
    return int(number)


def keyset_page(
    request, qs: QuerySet, *, cursor: str | None, page_size: int | None
) -> tuple[list, str | None]:
    """The page of ``qs`` after ``cursor``: its rows (in id order) and the cursor of the
    next page, None on the last. One query: a row more than the page tells whether
    another page follows. Records the number of rows for the call log."""
    size = page_size or settings.API_PAGE_SIZE
    after = decode_cursor(cursor) if cursor else 0
    rows = list(qs.filter(pk__gt=after).order_by("pk")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    request.api_rows = len(rows)
    return rows, encode_cursor(rows[-1].pk) if more else None
