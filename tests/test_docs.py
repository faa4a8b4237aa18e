"""The repository stands on its own: what the code and the docs cite resolves inside it.

- Nothing in `phucvu/`, `docs/` or the README cites a file outside the repository (the design notes the
  project was started from, a path on the build machine).
- Every `docs/<page>.md §N` names a numbered heading of that page; in a page of `docs/`, a bare `§N` names
  one of its own headings; in code, a `§` always comes with the page it belongs to.
- Every repository path cited (`phucvu/…`, `docs/…`, `benchmarks/…`, `tests/…`, a Markdown link, a page
  name, an app-relative `reports/engine.py` in a doc) exists.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCANNED = [ROOT / "phucvu", ROOT / "docs", ROOT / "README.md"]
SUFFIXES = {".py", ".md", ".html", ".txt", ".toml", ".cfg"}
SKIPPED_DIRS = {"vendor", "__pycache__", "locale", "node_modules"}
APPS = ("core", "organization", "workcalendar", "catalog", "dossiers", "reports", "portal", "notifications",
        "discipline", "inspections", "synthetic", "demo")

# Files outside the repository that must never be cited.
FORBIDDEN = re.compile(r"\b(?:DOMAIN|DISCIPLINE|ARCHITECTURE|STYLE)\.md\b|\.\./shared\b|/work/|shared/design\b")
SECTION_CITE = re.compile(
    r"(?P<page>(?:docs/)?[\w-]+(?:/[\w-]+)*\.md)\s*§§?\s*(?P<first>\d+(?:\.\d+)*)"
    r"(?:\s*[–-]\s*§?(?P<last>\d+(?:\.\d+)*))?")
BARE_SECTION = re.compile(r"(?<![\w.§])§§?\s*(?P<first>\d+(?:\.\d+)*)(?:\s*[–-]\s*§?(?P<last>\d+(?:\.\d+)*))?")
HEADING = re.compile(r"^#{2,4}\s+(\d+(?:\.\d+)*)\.?\s", re.MULTILINE)
ROOTED_PATH = re.compile(r"(?<![\w./:-])((?:phucvu|docs|benchmarks|tests)/[\w./{},-]*[\w/}])")
APP_PATH = re.compile(r"(?<![\w./:-])((?:" + "|".join(APPS) + r")/[\w./{},-]*\.py)\b")
PAGE_NAME = re.compile(r"(?<![\w./:-])([\w-]+\.md)\b")
MD_LINK = re.compile(r"\]\(([^)\s]+)\)")


def scanned_files() -> list[Path]:
    files = []
    for base in SCANNED:
        candidates = [base] if base.is_file() else sorted(base.rglob("*"))
        for path in candidates:
            if path.is_file() and path.suffix in SUFFIXES and not SKIPPED_DIRS & set(path.relative_to(ROOT).parts):
                files.append(path)
    return files


def expand_braces(text: str) -> list[str]:
    """`a/{b,c}.py` → `a/b.py`, `a/c.py` (what a doc writes for several files of one folder)."""
    parts = re.split(r"\{([^{}]*)\}", text)
    choices = [[p] if i % 2 == 0 else p.split(",") for i, p in enumerate(parts)]
    return ["".join(combo) for combo in itertools.product(*choices)]


def sections_of(page: Path) -> set[str]:
    return set(HEADING.findall(page.read_text(encoding="utf-8")))


def numbers(first: str, last: str | None) -> list[str]:
    """A cited section, or every whole section of a range `§3–§5`."""
    if not last:
        return [first]
    if "." in first or "." in last:
        return [first, last]
    return [str(n) for n in range(int(first), int(last) + 1)]


def exists(relative: str, *bases: Path) -> bool:
    for base in bases:
        target = (base / relative).resolve()
        if target.is_relative_to(ROOT) and target.exists():
            return True
    return False


def test_nothing_cites_a_file_outside_the_repository():
    problems = []
    for path in scanned_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if FORBIDDEN.search(line):
                problems.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:120]}")
    assert not problems, "Cite docs/domain.md §N, docs/<topic>.md or the law instead of:\n" + "\n".join(problems)


def test_every_cited_section_exists():
    problems = []
    pages: dict[Path, set[str]] = {}

    def check(where: str, page: Path, first: str, last: str | None) -> None:
        if not page.exists():
            problems.append(f"{where}: {page.relative_to(ROOT)} does not exist")
            return
        known = pages.setdefault(page, sections_of(page))
        for number in numbers(first, last):
            if number not in known:
                problems.append(f"{where}: {page.relative_to(ROOT)} has no section §{number}")

    for path in scanned_files():
        text = path.read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), 1):
            where = f"{path.relative_to(ROOT)}:{number}"
            cited = list(SECTION_CITE.finditer(line))
            for match in cited:
                name = match["page"]
                page = ROOT / name if name.startswith("docs/") else (path.parent / name)
                if not name.startswith("docs/") and not page.exists():
                    page = ROOT / "docs" / name
                check(where, page, match["first"], match["last"])
            rest = SECTION_CITE.sub("", line)
            for match in BARE_SECTION.finditer(rest):
                if path.suffix == ".md" and path.is_relative_to(ROOT / "docs"):
                    check(where, path, match["first"], match["last"])
                else:
                    problems.append(f"{where}: '§{match['first']}' without the page it belongs to "
                                    "(write docs/<page>.md §N)")
    assert not problems, "\n".join(problems)


def test_every_cited_path_exists():
    problems = []
    for path in scanned_files():
        text = path.read_text(encoding="utf-8")
        is_doc = path.suffix == ".md"
        for number, line in enumerate(text.splitlines(), 1):
            where = f"{path.relative_to(ROOT)}:{number}"
            cited: list[tuple[str, tuple[Path, ...]]] = []
            for match in ROOTED_PATH.finditer(line):
                cited += [(p, (ROOT,)) for p in expand_braces(match[1])]
            if is_doc:
                for match in APP_PATH.finditer(line):
                    cited += [(p, (ROOT / "phucvu",)) for p in expand_braces(match[1])]
                for match in MD_LINK.finditer(line):
                    target = match[1].split("#", 1)[0]
                    if target and not re.match(r"^[a-z]+:|^/", target):
                        cited.append((target, (path.parent,)))
            for match in PAGE_NAME.finditer(line):
                cited.append((match[1], (path.parent, ROOT / "docs", ROOT)))
            for relative, bases in cited:
                if any(mark in relative for mark in "<>*…"):
                    continue  # a pattern (`phucvu/<app>/…`, `templates/**`), not one path
                if not exists(relative.rstrip("/"), *bases):
                    problems.append(f"{where}: {relative} does not exist in the repository")
    assert not problems, "\n".join(problems)
