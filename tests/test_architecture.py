"""The shape the build enforces beside the import contracts (`lint-imports`, pyproject.toml):

- no module of `phucvu` is in an import cycle (imports inside functions count too);
- no app's views import another app's views;
- `core` names no app, neither by import nor in a string (a dotted path, a URL name, a template path);
- every link an app registers with core (menu entries, home-page duties) resolves, and every link on
  the landing page and on each role's home page leads to a page that exists.

See docs/architecture.md, "Layers".
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from urllib.parse import urlsplit

import grimp
import pytest
from django.urls import Resolver404, resolve, reverse

from phucvu.catalog.models import TimeUnit
from phucvu.core import home, nav
from phucvu.organization.models import Role
from phucvu.workcalendar import clock
from phucvu.workcalendar.models import Kind

PACKAGE = Path(__file__).resolve().parent.parent / "phucvu"
APPS = ["organization", "workcalendar", "catalog", "dossiers", "reports", "portal", "notifications",
        "discipline", "inspections", "synthetic", "demo", "project"]


def import_cycles(graph: grimp.ImportGraph) -> list[set[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[set[str]] = []
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        cycles.append(component)
    return cycles


def test_no_module_is_in_an_import_cycle():
    graph = grimp.build_graph("phucvu", cache_dir=None)
    cycles = import_cycles(graph)
    assert not cycles, f"Import cycles: {[sorted(c) for c in cycles]}"


def test_the_cycle_finder_finds_a_cycle():
    graph = grimp.ImportGraph()
    for module in ["p", "p.a", "p.b", "p.c"]:
        graph.add_module(module)
    graph.add_import(importer="p.a", imported="p.b")
    graph.add_import(importer="p.b", imported="p.a")
    graph.add_import(importer="p.c", imported="p.a")
    assert import_cycles(graph) == [{"p.a", "p.b"}]


def test_no_view_imports_another_apps_view():
    """Shared web helpers live in core (`phucvu.core.web`) or in the app's selectors, not in a view."""
    graph = grimp.build_graph("phucvu", cache_dir=None)
    found = []
    for module in sorted(graph.modules):
        parts = module.split(".")
        if len(parts) < 3 or not parts[2].startswith("views"):
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            other = imported.split(".")
            if len(other) >= 3 and other[2].startswith("views") and other[1] != parts[1]:
                found.append((module, imported))
    assert not found, f"views importing another app's views: {found}"


def _core_sources() -> list[Path]:
    return [p for p in (PACKAGE / "core").rglob("*") if p.suffix in {".py", ".html", ".txt"}
            and "tests" not in p.relative_to(PACKAGE).parts]


def test_core_names_no_app():
    apps = "|".join(APPS)
    dotted = re.compile(rf"\bphucvu[./]({apps})\b")
    url_name = re.compile(rf"^({apps}):")
    template = re.compile(rf"^({apps})/")
    found = []
    for path in _core_sources():
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".py":
            tree = ast.parse(text)
            strings = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
            imports = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
            imports += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
            found += [(path.name, s) for s in strings + imports
                      if dotted.search(s) or url_name.match(s) or template.match(s)]
        else:
            found += [(path.name, m.group(0)) for m in re.finditer(rf"['\"]({apps}):[\w-]+['\"]", text)]
            found += [(path.name, m.group(0)) for m in dotted.finditer(text)]
    assert not found, f"core names an app: {found}"


def test_every_registered_menu_entry_and_duty_resolves():
    roles = set(Role.values)
    entries = nav.registered()
    assert entries, "no app registered a menu entry"
    for entry in entries:
        reverse(entry.url_name)  # NoReverseMatch fails the test
        assert entry.roles <= roles, (entry.url_name, entry.roles - roles)
    duties = home.registered_duties()
    assert set(duties) <= roles, set(duties) - roles
    for role_duties in duties.values():
        for duty in role_duties:
            resolve(urlsplit(duty.url()).path)  # NoReverseMatch or Resolver404 fails the test


def _internal_links(body: str) -> list[str]:
    links = re.findall(r'href="(/[^"]*)"', body)
    return [urlsplit(link).path for link in links if not link.startswith(("/static/", "//"))]


def _assert_links_resolve(body: str, page: str) -> None:
    links = _internal_links(body)
    assert links, f"no link on {page}"
    broken = []
    for link in links:
        try:
            resolve(link)
        except Resolver404:
            broken.append(link)
    assert not broken, f"links on {page} that lead nowhere: {broken}"


@pytest.mark.django_db
def test_every_link_of_the_landing_page_resolves(client):
    response = client.get(reverse("landing"))
    assert response.status_code == 200
    _assert_links_resolve(response.content.decode(), "the landing page")


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
def test_every_link_of_each_roles_home_page_resolves(client, province, make_staff, role):
    client.force_login(make_staff(province["district"], role).user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    body = response.content.decode()
    _assert_links_resolve(body, f"the home page of {role}")
    if role in home.registered_duties():
        assert 'data-testid="role-duties"' in body



# --- one truth for time and enums (issue 12, point 5) ---------------------------------------------------

_TIME_EXEMPT = {PACKAGE / "core" / "localtime.py", PACKAGE / "core" / "tests" / "test_localtime.py", Path(__file__).resolve()}
_TIME_HELPERS = {"local_day", "local_time", "start_of_day", "today", "_now", "at_or_now"}


def _time_definitions(path: Path) -> list[str]:
    """Zones built from a name, the zone's name as a string, and the local-time helpers defined in `path`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "ZoneInfo":
            found.append(f"ZoneInfo(...) line {node.lineno}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and "'Asia/" in node.value:
            found.append(f"SQL zone literal line {node.lineno}")
        elif isinstance(node, ast.Constant) and node.value == "Asia/Ho_Chi_Minh":
            found.append(f"zone name line {node.lineno}")
        elif isinstance(node, ast.FunctionDef) and node.name in _TIME_HELPERS and node.col_offset == 0:
            found.append(f"def {node.name} line {node.lineno}")
        elif (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "timezone"
              and any(isinstance(a, ast.Call) and getattr(a.func, "id", "") == "timedelta" for a in node.args)):
            found.append(f"fixed offset line {node.lineno}")
    return found


def test_the_zone_local_day_and_now_are_defined_once():
    """`phucvu.core.localtime` is the one place; everything else imports from it."""
    roots = [PACKAGE, PACKAGE.parent / "benchmarks", PACKAGE.parent / "tests"]
    found = []
    for root in roots:
        for path in root.rglob("*.py"):
            if path in _TIME_EXEMPT or "migrations" in path.parts:
                continue
            found += [f"{path.relative_to(PACKAGE.parent)}: {what}" for what in _time_definitions(path)]
    assert not found, "define time in phucvu/core/localtime.py only:\n" + "\n".join(found)


def test_the_catalogs_and_calendars_choices_are_the_clocks_enums():
    """The catalogue's time units and the calendar's day kinds carry labels for exactly the clock's values."""
    assert [(m.name, m.value) for m in TimeUnit] == [(m.name, m.value) for m in clock.TimeUnit]
    assert [(m.name, m.value) for m in Kind] == [(m.name, m.value) for m in clock.DayKind]


def test_no_project_module_is_imported_inside_a_function():
    """Imports of `phucvu` modules are at the top of modules, migrations included (ruff's PLC0415 skips
    them); only `AppConfig.ready()` in `apps.py` imports inside a function."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "apps.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                names = ([node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level
                         else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
                found += [f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {name}" for name in names
                          if name == "phucvu" or name.startswith("phucvu.")]
    assert not found, "imports of project modules inside functions:\n" + "\n".join(sorted(set(found)))
