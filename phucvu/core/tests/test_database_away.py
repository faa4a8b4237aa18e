"""The database goes away under a running server: pages answer a clear 503 (HTML and API JSON) with
Retry-After, /readyz says so, /healthz still answers; when it comes back the same server serves again.
On the PostgreSQL run the server's database refuses connections; on SQLite its file is moved away."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import psycopg
import pytest

from phucvu.core.tests.test_serve import get, start, stop

SUITE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = SUITE_URL.startswith("postgres")


class SqliteOutage:
    def __init__(self, tmp_path: Path) -> None:
        self.file = tmp_path / "s.sqlite3"
        self.url = f"sqlite:///{self.file}"

    def begin(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            path = Path(f"{self.file}{suffix}")
            if path.exists():
                path.rename(f"{self.file}.away{suffix}")

    def end(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.file}{suffix}").unlink(missing_ok=True)  # what a request opened meanwhile: empty
            away = Path(f"{self.file}.away{suffix}")
            if away.exists():
                away.rename(f"{self.file}{suffix}")

    def close(self) -> None:
        pass


class PostgresOutage:
    def __init__(self) -> None:
        self.base = SUITE_URL.rpartition("/")[0]
        self.name = f"phucvu_away_{uuid.uuid4().hex[:8]}"
        self.url = f"{self.base}/{self.name}"
        self._admin(f'CREATE DATABASE "{self.name}"')

    def _admin(self, *statements: str) -> None:
        with psycopg.connect(f"{self.base}/postgres", autocommit=True) as admin:
            for statement in statements:
                admin.execute(statement)

    def begin(self) -> None:
        self._admin(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS false',
                    f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{self.name}'")

    def end(self) -> None:
        self._admin(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS true')

    def close(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def api_get(url: str, token: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def outage(tmp_path):
    found = PostgresOutage() if ON_POSTGRES else SqliteOutage(tmp_path)
    yield found
    found.close()


def test_database_away_gives_503_and_the_server_recovers(tmp_path, outage):
    process, base = start(tmp_path, DATABASE_URL=outage.url, CONN_MAX_AGE="0")
    try:
        assert get(f"{base}/readyz")[0] == 200
        assert get(f"{base}/login/")[0] == 200
        outage.begin()
        status, headers, body = get(f"{base}/reports/cong-khai/?month=2017-07")
        assert status == 503, body[:500]
        assert headers["retry-after"] == "30" and "Hệ thống tạm ngừng phục vụ" in body.decode()
        status, _, body = api_get(f"{base}/api/catalog/procedures", token="pv_any")  # the token is looked up
        assert status == 503 and json.loads(body)["code"] == "unavailable"
        assert get(f"{base}/readyz")[0] == 503
        assert get(f"{base}/healthz")[0] == 200  # the process lives: a load balancer keeps it, readiness does not
        outage.end()
        assert get(f"{base}/readyz")[0] == 200
        assert get(f"{base}/reports/cong-khai/?month=2017-07")[0] == 200
    finally:
        outage.end()
        assert stop(process) == 0
