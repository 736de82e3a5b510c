"""Text folding for search that ignores case and Polish diacritics ("lodz" finds "Łódź")."""

import unicodedata

# Letters that Unicode does not decompose into a base letter and a combining mark.
_UNDECOMPOSABLE = str.maketrans(
    {"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ß": "ss"}
)


def fold(text: str) -> str:
    """Return ``text`` lower-cased, without diacritics and with runs of spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(_UNDECOMPOSABLE))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())
