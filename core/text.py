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
