"""`phucvu backup` → changes → `phucvu restore`: the same reports as at the backup and an event chain that
verifies (`phucvu audit verify`), on the suite's engine.

Each test works on a database of its own (`scratch_database`, conftest.py) through the command line, as an
operator would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from phucvu.core.tests.conftest import ON_POSTGRES


@pytest.fixture
def database_url(scratch_database):
    return scratch_database.url


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


# Transitions on a few seeded dossiers (chains of more than one event), then today's record of the chain.
LIFE = """
import datetime as dt
from django.utils import timezone
from phucvu.dossiers import audit, services
from phucvu.dossiers.models import Dossier
for d in Dossier.objects.filter(status="processing").order_by("id")[:5]:
    services.dossier_forward(actor=None, dossier_id=d.pk, version=d.version)
print(len(audit.seal_days(timezone.now() + dt.timedelta(days=1))))
"""


def audit_verify(tmp_path, url) -> str:
    done = phucvu(tmp_path, url, "audit", "verify", "--no-progress", check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_backup_then_restore_gives_back_the_same_reports_and_files(tmp_path, database_url):
    phucvu(tmp_path, database_url, "migrate", "--no-input", "-v0")
    phucvu(tmp_path, database_url, "seed", "--dossiers", "300", "-v0")
    assert phucvu(tmp_path, database_url, "shell", "-v0", "-c", LIFE).stdout.strip() == "1"
    verified = audit_verify(tmp_path, database_url)
    assert "305 sự kiện của 300 hồ sơ, 1 bản ghi ngày" in verified
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
    assert audit_verify(tmp_path, database_url) == verified  # the restored record is whole, as it was
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
