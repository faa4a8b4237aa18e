"""The menu: each app registers its entries in its AppConfig.ready(), so no app edits another's files.

Core knows the menu's areas (one-stop, reports, discipline and inspection, organisation) but no app: an
entry names its area. A test reverses every registered entry, so a link to a page that does not exist
fails the build instead of vanishing from the menu.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext, gettext_noop

# Menu areas: a dozen links do not fit one bar on a laptop, let alone a phone. key -> (order, label, icon)
AREAS: dict[str, tuple[int, str, str]] = {
    "one_stop": (10, gettext_noop("Một cửa"), "inboxes"),
    "feedback": (15, gettext_noop("Phản ánh, kiến nghị"), "chat-left-text"),
    "reports": (20, gettext_noop("Báo cáo, thống kê"), "bar-chart-line"),
    "oversight": (30, gettext_noop("Kỷ cương, thanh tra"), "shield-check"),
    "organization": (40, gettext_noop("Tổ chức"), "diagram-3"),
    "other": (90, gettext_noop("Khác"), "three-dots"),
}


@dataclass(frozen=True)
class NavEntry:
    url_name: str
    label: str  # Vietnamese, marked for translation by the registering app
    icon: str = "circle"
    roles: frozenset[str] = field(default_factory=frozenset)  # empty: every signed-in staff member
    order: int = 100
    description: str = ""
    area: str = "other"  # a key of AREAS

    def __post_init__(self) -> None:
        if self.area not in AREAS:
            raise ValueError(f"Unknown menu area {self.area!r} for {self.url_name}: one of {sorted(AREAS)}.")


_ENTRIES: list[NavEntry] = []


def register(entry: NavEntry) -> None:
    if all(e.url_name != entry.url_name for e in _ENTRIES):
        _ENTRIES.append(entry)


def registered() -> list[NavEntry]:
    return sorted(_ENTRIES, key=lambda e: e.order)


def entries_for(role: str | None, *, superuser: bool = False) -> list[dict]:
    return [
        {"url": reverse(entry.url_name), "label": entry.label, "icon": entry.icon,
         "description": entry.description, "url_name": entry.url_name, "area": entry.area}
        for entry in registered()
        if not entry.roles or superuser or role in entry.roles
    ]


def grouped(entries: list[dict]) -> list[dict]:
    """Entries gathered under their area's heading, areas in a fixed order, entries in theirs."""
    groups: dict[str, dict] = {}
    for entry in entries:
        order, label, icon = AREAS[entry["area"]]
        group = groups.setdefault(entry["area"], {"label": gettext(label), "icon": icon, "order": order,
                                                  "items": []})
        group["items"].append(entry)
    return sorted(groups.values(), key=lambda g: g["order"])
