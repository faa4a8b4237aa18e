"""Figures that are the same for every visitor, computed at most once per period and language.

The public pages (landing, monthly results, the catalogue) show province-wide figures that every citizen sees
alike; computing them per request made them the costliest pages under load (docs/performance.md §13). They are
kept in the cache (Redis in production, the process's memory otherwise) for PHUCVU_SHARED_CACHE_SECONDS
(60 s by default; 0 turns it off, as the tests do), so a figure is at most that old. Personal data — a
dossier, a look-up, a staff page — never goes through here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

T = TypeVar("T")
_MISSING = object()


def shared(key: str, build: Callable[[], T]) -> T:
    """`build()`'s value for `key`, from the cache when it was built less than the period ago."""
    seconds = int(getattr(settings, "PHUCVU_SHARED_CACHE_SECONDS", 0))
    if seconds <= 0:
        return build()
    # Keys carry what citizens type (a search): hashed, so any text is a valid key for every backend.
    digest = hashlib.sha256(f"{get_language()}|{key}".encode()).hexdigest()[:40]
    full = f"phucvu:shared:{digest}"
    value = cache.get(full, _MISSING)
    if value is _MISSING:
        value = build()
        cache.set(full, value, seconds)
    return value  # type: ignore[return-value]
