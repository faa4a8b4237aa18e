"""Vietnamese text helpers: accent-insensitive search keys."""

from __future__ import annotations

import unicodedata

_SPECIAL = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str | None) -> str:
    """'Nguyễn Văn Ánh' -> 'nguyen van anh': lower case, no diacritics, single spaces.

    Stored beside names in a `search_key` column so that one plain `icontains` finds a name on
    SQLite and PostgreSQL alike, with or without accents typed.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_SPECIAL))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())
