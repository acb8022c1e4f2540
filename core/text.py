"""Text helpers shared by every app."""

import unicodedata


def normalize(text: str) -> str:
    """Lower case without diacritics ("Rơ Mah Jin" -> "ro mah jin"), for accent-insensitive search.

    đ/Đ is a separate letter, not a d with a combining mark, so it is mapped by hand.
    """
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def normalized_for(model, text: str, field: str = "name_normalized") -> str:
    """``normalize(text)`` as ``model``'s normalized column keeps it: cut to the column's
    length. A compatibility character can grow tenfold ("ﷺ" is 18 letters decomposed), so
    a name that fits its own column may not fit once normalized; stored values and the
    lookups that compare with them are cut alike."""
    return normalize(text)[: model._meta.get_field(field).max_length].rstrip()
