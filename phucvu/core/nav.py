"""The menu: each app registers its entries in its AppConfig.ready(), so no app edits another's files."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavEntry:
    url_name: str
    label: str  # Vietnamese, marked for translation by the registering app
    icon: str = "circle"
    roles: frozenset[str] = field(default_factory=frozenset)  # empty: every signed-in staff member
    order: int = 100
    description: str = ""


_ENTRIES: list[NavEntry] = []


def register(entry: NavEntry) -> None:
    if all(e.url_name != entry.url_name for e in _ENTRIES):
        _ENTRIES.append(entry)


def entries_for(role: str | None, *, superuser: bool = False) -> list[dict]:
    visible = []
    for entry in sorted(_ENTRIES, key=lambda e: e.order):
        if entry.roles and not superuser and role not in entry.roles:
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        visible.append({"url": url, "label": entry.label, "icon": entry.icon, "description": entry.description,
                        "url_name": entry.url_name})
    return visible
