"""`phucvu backup` → changes → `phucvu restore`: the same reports as at the backup, on the suite's engine.

Each test works on a database of its own through the command line, as an operator would: a SQLite file, or
on the PostgreSQL run a database created for it (and dropped after).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import psycopg
import pytest

SUITE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = SUITE_URL.startswith("postgres")


@pytest.fixture
def database_url(tmp_path):
    if not ON_POSTGRES:
        yield f"sqlite:///{tmp_path / 'b.sqlite3'}"
        return
    base, _, _ = SUITE_URL.rpartition("/")
    name = f"phucvu_backup_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{base}/{name}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def phucvu(tmp_path, url, *args, check=True) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DATABASE_URL": url, "PHUCVU_HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "phucvu", *args], env=environment, capture_output=True, text=True,
                          timeout=600)
    if check:
        assert done.returncode == 0, done.stderr
    return done


def report(tmp_path, url) -> dict:
    return json.loads(phucvu(tmp_path, url, "report", "--from", "2017-01-01", "--to", "2017-12-31",
                             "--by", "agency").stdout)


def test_backup_then_restore_gives_back_the_same_reports_and_files(tmp_path, database_url):
    phucvu(tmp_path, database_url, "migrate", "--no-input", "-v0")
    phucvu(tmp_path, database_url, "seed", "--dossiers", "300", "-v0")
    paper = tmp_path / "var" / "media" / "papers" / "giay-to.pdf"
    paper.parent.mkdir(parents=True)
    paper.write_bytes(b"%PDF-1.4 ban goc")
    before = report(tmp_path, database_url)
    archive = tmp_path / "sao-luu.tar"
    phucvu(tmp_path, database_url, "backup", "--output", str(archive))
    with tarfile.open(archive) as written:
        assert {"manifest.json", "media/papers/giay-to.pdf"} <= set(written.getnames())

    phucvu(tmp_path, database_url, "seed", "--dossiers", "200", "--seed", "9", "-v0")  # life goes on
    paper.write_bytes(b"%PDF-1.4 da sua")
    assert report(tmp_path, database_url) != before

    refused = phucvu(tmp_path, database_url, "restore", str(archive), check=False)
    assert refused.returncode != 0 and "--yes" in refused.stderr
    assert report(tmp_path, database_url) != before  # refused: nothing written

    phucvu(tmp_path, database_url, "restore", str(archive), "--yes")
    assert report(tmp_path, database_url) == before
    assert paper.read_bytes() == b"%PDF-1.4 ban goc"


def test_a_backup_restores_into_an_empty_database_without_asking(tmp_path, database_url):
    phucvu(tmp_path, database_url, "migrate", "--no-input", "-v0")
    phucvu(tmp_path, database_url, "seed", "--dossiers", "50", "-v0")
    archive = tmp_path / "b.tar"
    phucvu(tmp_path, database_url, "backup", "--output", str(archive))
    before = report(tmp_path, database_url)
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    if ON_POSTGRES:
        return  # the restore drill onto a new server is the test above with --yes; a second database is not needed
    empty = f"sqlite:///{fresh / 'new.sqlite3'}"
    phucvu(fresh, empty, "restore", str(archive))
    assert report(fresh, empty) == before


def test_what_is_not_a_backup_is_refused_clearly(tmp_path, database_url):
    phucvu(tmp_path, database_url, "migrate", "--no-input", "-v0")
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"not a tar at all")
    refused = phucvu(tmp_path, database_url, "restore", str(junk), check=False)
    assert refused.returncode != 0 and "không phải bản sao lưu" in refused.stderr
    other = tmp_path / "other.tar"
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"format": 1, "engine": "oracle", "counts": {}, "created_at": "x"}))
    with tarfile.open(other, "w") as archive:
        archive.add(manifest, arcname="manifest.json")
    refused = phucvu(tmp_path, database_url, "restore", str(other), "--yes", check=False)
    assert refused.returncode != 0 and "không khôi phục được vào" in refused.stderr
    missing = phucvu(tmp_path, database_url, "restore", str(Path(tmp_path) / "none.tar"), check=False)
    assert missing.returncode != 0 and "Không có tệp sao lưu" in missing.stderr
