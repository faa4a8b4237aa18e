"""Sections of the public landing page, registered by apps (the demo's seed table, public numbers…)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.template.loader import render_to_string

# Each provider returns (order, html) or None.
_PROVIDERS: list[Callable[[HttpRequest], tuple[int, str] | None]] = []


def register(provider: Callable[[HttpRequest], tuple[int, str] | None]) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def sections(request: HttpRequest) -> list[str]:
    rendered = [p(request) for p in _PROVIDERS]
    return [html for _, html in sorted((r for r in rendered if r), key=lambda r: r[0])]


def render_section(template: str, context: dict, request: HttpRequest) -> str:
    return render_to_string(template, context, request=request)
