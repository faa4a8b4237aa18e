"""The registry behind `phucvu import KIND FILE`: each app registers its importers from AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable

from phucvu.core.exceptions import InvalidInput
from phucvu.core.tables import ImportResult

# An importer takes (path, *, dry_run: bool) and returns ImportResult, or raises ImportRejected with
# every bad line.
Importer = Callable[..., ImportResult]

_IMPORTERS: dict[str, Importer] = {}


def register(kind: str, importer: Importer) -> None:
    _IMPORTERS[kind] = importer


def kinds() -> list[str]:
    return sorted(_IMPORTERS)


def importer_for(kind: str) -> Importer:
    try:
        return _IMPORTERS[kind]
    except KeyError:
        raise InvalidInput(f"Không có loại dữ liệu '{kind}' để nhập (có: {', '.join(kinds())}).") from None
