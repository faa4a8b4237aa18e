"""Figures one app computes for another app's page without an import between them: the Decision 766 page
(reports) shows the satisfaction group the portal computes from its 9 indicators.

A provider registered under a name is called with keyword arguments and returns its figure (or None);
`compute` returns None when no app registered one.
"""

from __future__ import annotations

from collections.abc import Callable

_PROVIDERS: dict[str, Callable[..., object]] = {}


def register(name: str, provider: Callable[..., object]) -> None:
    _PROVIDERS[name] = provider


def compute(name: str, **kwargs) -> object | None:
    provider = _PROVIDERS.get(name)
    return None if provider is None else provider(**kwargs)
