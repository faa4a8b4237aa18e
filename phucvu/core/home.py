"""Sections of the signed-in home page, registered by apps (today's queue, overdue work, inspections due…).

Like `phucvu.core.landing`, but each provider also receives the signed-in staff member (or None for a
superuser without a staff row) and returns (order, html) or None when it has nothing for that role.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

_PROVIDERS: list[Callable[[HttpRequest, object], tuple[int, str] | None]] = []


def register(provider: Callable[[HttpRequest, object], tuple[int, str] | None]) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def sections(request: HttpRequest, staff) -> list[str]:
    rendered = [p(request, staff) for p in _PROVIDERS]
    return [html for _, html in sorted((r for r in rendered if r), key=lambda r: r[0])]
