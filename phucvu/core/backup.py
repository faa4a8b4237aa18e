"""Backup and restore of the whole system: the database and the uploaded files, in one archive.

The archive is a tar file holding `manifest.json` (format, database engine, when, the counts it must give back),
the database — SQLite copied page by page with SQLite's online backup (a consistent copy while the server
runs), PostgreSQL with `pg_dump --format=custom` (one snapshot, online) — and `media/` (papers and result
documents). It is written beside its final name and renamed when complete, so a backup is whole or absent.
Restoring is refused onto a database that holds data unless asked for in so many words, and onto another engine.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from phucvu.core.exceptions import DomainError

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(DomainError):
    code = "backup_error"


def _engine() -> str:
    vendor = connections["default"].vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu {vendor}.")
    return vendor


def counts() -> dict[str, int]:
    """Rows of every table: what a restore must give back (tables not created yet count nothing)."""
    tables = set(connections["default"].introspection.table_names())
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()
            if model._meta.managed and not model._meta.proxy and model._meta.db_table in tables}


def _pg_environment() -> dict[str, str]:
    db = connections["default"].settings_dict
    environment = {**os.environ, "PGDATABASE": db["NAME"], "PGHOST": db.get("HOST") or "", "PGPORT": str(db.get("PORT") or ""),
                   "PGUSER": db.get("USER") or "", "PGPASSWORD": db.get("PASSWORD") or ""}
    return {key: value for key, value in environment.items() if value != ""}


def _run(command: list[str], what: str) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"Không tìm thấy {command[0]} (gói postgresql-client) để {what}.")
    done = subprocess.run(command, env=_pg_environment(), capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} không {what} được: {done.stderr.strip()[:500]}")


def default_path() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "backups" / f"phucvu-{stamp}.tar"


def backup(output: Path | None = None, report: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Write the archive; return its manifest. Runs while the system serves."""
    engine = _engine()
    output = Path(output or default_path())
    output.parent.mkdir(parents=True, exist_ok=True)
    say = report or (lambda text: None)
    with tempfile.TemporaryDirectory(dir=output.parent) as work:
        database = Path(work) / DATABASE_FILES[engine]
        say("Sao chép cơ sở dữ liệu…")
        if engine == "sqlite":
            connection = connections["default"]
            connection.ensure_connection()
            target = sqlite3.connect(database)
            with target:
                connection.connection.backup(target)
            target.close()
        else:
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={database}"], "sao lưu")
        manifest = {
            "format": FORMAT, "engine": engine, "created_at": timezone.now().isoformat(),
            "migrations": sorted(f"{app}.{name}" for app, name in MigrationRecorder(connections["default"])
                                 .applied_migrations()),
            "counts": counts(),
        }
        (Path(work) / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        partial = output.with_name(output.name + ".partial")
        say("Ghi tệp sao lưu…")
        with tarfile.open(partial, "w") as archive:
            archive.add(Path(work) / MANIFEST, arcname=MANIFEST)
            archive.add(database, arcname=database.name)
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                archive.add(media, arcname="media")
        partial.replace(output)
    return {**manifest, "path": str(output), "size": output.stat().st_size}


def read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = archive.extractfile(MANIFEST)
        manifest = json.loads(member.read().decode("utf-8")) if member else None
    except (KeyError, ValueError) as exc:
        raise BackupError("Tệp không phải bản sao lưu của Phục Vụ (thiếu manifest.json).") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("Bản sao lưu có định dạng không đọc được.")
    return manifest


def restore(path: Path, overwrite: bool = False, report: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Put the archive's database and files back; return the counts found afterwards and the expected ones."""
    engine = _engine()
    say = report or (lambda text: None)
    if not Path(path).is_file():
        raise BackupError(f"Không có tệp sao lưu {path}.")
    try:
        archive = tarfile.open(path, "r")  # noqa: SIM115 - closed by the `with` below, after the check
    except tarfile.TarError as exc:
        raise BackupError(f"Tệp {path} không phải bản sao lưu đọc được: {exc}") from exc
    with archive, tempfile.TemporaryDirectory() as work:
        manifest = read_manifest(archive)
        if manifest["engine"] != engine:
            raise BackupError(f"Bản sao lưu của {manifest['engine']} không khôi phục được vào {engine}: "
                              "khôi phục vào cùng loại cơ sở dữ liệu rồi chuyển dữ liệu bằng công cụ của nó.")
        present = counts()
        if not overwrite and any(n for label, n in present.items() if not label.startswith(("contenttypes.", "auth.Permission"))):
            raise BackupError("Cơ sở dữ liệu đang có dữ liệu: khôi phục sẽ ghi đè toàn bộ. Thêm --yes nếu đúng ý muốn.")
        name = DATABASE_FILES[engine]
        extract = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
        members = [m for m in archive.getmembers() if m.name == name or m.name.startswith("media/")]
        if not any(m.name == name for m in members):
            raise BackupError(f"Bản sao lưu thiếu {name}.")
        archive.extractall(work, members=members, **extract)
        database = Path(work) / name
        say("Khôi phục cơ sở dữ liệu…")
        if engine == "sqlite":
            connection = connections["default"]
            connection.close()
            connection.ensure_connection()
            source = sqlite3.connect(database)
            with source:
                source.backup(connection.connection)  # replaces every page, in one step
            source.close()
            connection.close()
        else:
            connections["default"].close()
            _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
                  f"--dbname={connections['default'].settings_dict['NAME']}", str(database)], "khôi phục")
        media = Path(work) / "media"
        if media.is_dir():
            say("Khôi phục tệp đính kèm…")
            shutil.copytree(media, settings.MEDIA_ROOT, dirs_exist_ok=True)
    found = counts()
    return {"expected": manifest["counts"], "found": found, "created_at": manifest["created_at"],
            "complete": all(found.get(label) == n for label, n in manifest["counts"].items())}
