"""Panels that apps add to another app's page without the page's app importing them (the dossier page
shows the notifications app's messages of that dossier).

A provider registered for a page name returns (order, html) or None; the page renders
`{% panels "dossier" obj %}` (core_tags) where the panels belong.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

Provider = Callable[[HttpRequest, object], tuple[int, str] | None]

_PROVIDERS: dict[str, list[Provider]] = {}


def register(page: str, provider: Provider) -> None:
    providers = _PROVIDERS.setdefault(page, [])
    if provider not in providers:
        providers.append(provider)


def render(page: str, request: HttpRequest, obj: object) -> list[str]:
    rendered = [p(request, obj) for p in _PROVIDERS.get(page, [])]
    return [html for _, html in sorted((r for r in rendered if r), key=lambda r: r[0])]
