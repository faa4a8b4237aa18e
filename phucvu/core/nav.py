"""The menu: each app registers its entries in its AppConfig.ready(), so no app edits another's files."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_noop


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


# Menu groups by the URL namespace of the entry: a dozen links do not fit one bar on a laptop, let alone a phone.
GROUPS: dict[str, tuple[int, str, str]] = {
    "dossiers": (10, gettext_noop("Một cửa"), "inboxes"),
    "catalog": (10, gettext_noop("Một cửa"), "inboxes"),
    "portal": (15, gettext_noop("Phản ánh, kiến nghị"), "chat-left-text"),
    "reports": (20, gettext_noop("Báo cáo, thống kê"), "bar-chart-line"),
    "discipline": (30, gettext_noop("Kỷ cương, thanh tra"), "shield-check"),
    "inspections": (30, gettext_noop("Kỷ cương, thanh tra"), "shield-check"),
    "organization": (40, gettext_noop("Tổ chức"), "diagram-3"),
    "workcalendar": (40, gettext_noop("Tổ chức"), "diagram-3"),
}


def grouped(entries: list[dict]) -> list[dict]:
    """Entries gathered under their group's heading, groups in a fixed order, entries in theirs."""
    from django.utils.translation import gettext

    groups: dict[str, dict] = {}
    for entry in entries:
        namespace = entry["url_name"].split(":", 1)[0]
        order, label, icon = GROUPS.get(namespace, (90, gettext_noop("Khác"), "three-dots"))
        group = groups.setdefault(label, {"label": gettext(label), "icon": icon, "order": order, "items": []})
        group["items"].append(entry)
    return sorted(groups.values(), key=lambda g: g["order"])
