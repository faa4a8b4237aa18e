"""The signed-in home page's parts, registered by apps from AppConfig.ready().

- Duties: what each role does first, as links to the pages where it is done (each app registers the
  duties its own pages serve; a duty is registered by the app that builds its page, once the page exists).
- Sections: panels (today's queue, the scope in numbers…). Like `phucvu.core.landing`, but each provider
  also receives the signed-in staff member (or None for a superuser without a staff row) and returns
  (order, html) or None when it has nothing for that role.

Role names are the organization's; core only keys by them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse


@dataclass(frozen=True)
class Duty:
    label: str  # Vietnamese, marked for translation by the registering app
    url_name: str
    icon: str = "check2-square"
    query: str = ""  # a filter of the target list, e.g. "status=submitted"
    order: int = 100

    def url(self) -> str:
        url = reverse(self.url_name)
        return f"{url}?{self.query}" if self.query else url


_DUTIES: dict[str, list[Duty]] = {}
_PROVIDERS: list[Callable[[HttpRequest, object], tuple[int, str] | None]] = []


def register_duty(role: str, duty: Duty) -> None:
    duties = _DUTIES.setdefault(role, [])
    if duty not in duties:
        duties.append(duty)


def registered_duties() -> dict[str, list[Duty]]:
    return {role: sorted(duties, key=lambda d: d.order) for role, duties in _DUTIES.items()}


def duties_of(role: str | None) -> list[dict]:
    """The role's duties in order, each {label, url, icon}."""
    duties = sorted(_DUTIES.get(role or "", []), key=lambda d: d.order)
    return [{"label": d.label, "url": d.url(), "icon": d.icon} for d in duties]


def register(provider: Callable[[HttpRequest, object], tuple[int, str] | None]) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def sections(request: HttpRequest, staff) -> list[str]:
    rendered = [p(request, staff) for p in _PROVIDERS]
    return [html for _, html in sorted((r for r in rendered if r), key=lambda r: r[0])]
