"""The registry behind `phucvu import KIND FILE`: each app names its importer here, lazily."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from phucvu.core.tables import ImportResult

# kind -> "module:function"; the function takes (path, *, dry_run: bool) and returns ImportResult
# or raises ImportRejected with every bad line.
IMPORTERS: dict[str, str] = {
    "agencies": "phucvu.organization.importers:import_agencies",
    "calendar": "phucvu.workcalendar.importers:import_calendar",
    "procedures": "phucvu.catalog.importers:import_procedures",
    "dossiers": "phucvu.dossiers.importers:import_dossiers",
}


def importer_for(kind: str) -> Callable[..., ImportResult]:
    module_name, func_name = IMPORTERS[kind].split(":")
    return getattr(import_module(module_name), func_name)
