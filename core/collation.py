"""The order of names: Vietnamese, with numbers by value.

Names of units and organizations are sorted by the database, whose own collation (C) put
"Huyện Đức Cơ" after "Huyện Phú Thiện" (Đ is not a D to it) and "Thôn 10" before "Thôn 2".
Their columns use NAME_COLLATION instead: on PostgreSQL, ICU's Vietnamese collation with
numeric ordering, created by organizations' migration 0004; on SQLite (the embedded
default), ``compare`` below, registered on each connection. Both are deterministic: names
that differ are never equal, so uniqueness and equality behave as before.
"""

import re
import unicodedata

NAME_COLLATION = "vi_natural"
ICU_LOCALE = "vi-u-kn-true"

# The Vietnamese alphabet; ă, â, đ, ê, ô, ơ, ư are letters of their own, not accented ones.
ALPHABET = ["a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n"]
ALPHABET += ["o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z"]
LETTER = {letter: index for index, letter in enumerate(ALPHABET)}
# The marks that make those letters (breve, circumflex, horn), and the tones in their order:
# level, huyền, hỏi, ngã, sắc, nặng.
LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
CHUNK = re.compile(r"\d+|\D")


def sort_key(text: str) -> tuple:
    """Letters and numbers first, then tones, then lower case before upper case: the levels
    of ICU's comparison. Spaces and punctuation come before digits, digits before letters."""
    primary, tones, cases = [], [], []
    for chunk in CHUNK.findall(unicodedata.normalize("NFD", text or "")):
        if chunk.isdecimal():  # "²" is a digit to isdigit(), not a number to int()
            primary.append((1, int(chunk)))
            continue
        if unicodedata.combining(chunk):
            if chunk in LETTER_MARKS and primary and primary[-1][0] == 2:
                base = ALPHABET[primary[-1][1]]
                marked = unicodedata.normalize("NFC", base + chunk)
                primary[-1] = (2, LETTER.get(marked, primary[-1][1]))
            elif chunk in TONES and tones:
                tones[-1] = TONES[chunk]
            continue
        lower = chunk.lower()
        if lower in LETTER:
            primary.append((2, LETTER[lower]))
        else:
            primary.append((0 if not chunk.isalnum() else 3, ord(lower)))
        tones.append(0)
        cases.append(0 if chunk == lower else 1)
    return tuple(primary), tuple(tones), tuple(cases)


def compare(a: str, b: str) -> int:
    """SQLite's collation function: negative, zero or positive. Equal keys fall back to the
    text itself, so that only equal names compare equal."""
    ka, kb = (sort_key(a), a), (sort_key(b), b)
    return (ka > kb) - (ka < kb)


def register(sender, connection, **kwargs) -> None:
    """connection_created: teach each SQLite connection the collation the columns name."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(NAME_COLLATION, compare)
