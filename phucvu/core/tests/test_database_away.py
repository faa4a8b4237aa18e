"""The database goes away under a running server: pages answer a clear 503 (HTML and API JSON) with
Retry-After, /readyz says so, /healthz still answers; when it comes back the same server serves again.
On the PostgreSQL run the server's database refuses connections; on SQLite its file is moved away."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from phucvu.core.tests.conftest import ON_POSTGRES, ScratchDatabase
from phucvu.core.tests.test_serve import get, start, stop


class SqliteOutage:
    """The database file (and its WAL) moved away and back."""

    def __init__(self, database: ScratchDatabase) -> None:
        assert database.file is not None
        self.file, self.url = database.file, database.url

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


class PostgresOutage:
    """The database refuses connections, and those it had are ended; then it allows them again."""

    def __init__(self, database: ScratchDatabase) -> None:
        self.database, self.url = database, database.url

    def begin(self) -> None:
        name = self.database.name
        self.database.admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false',
                            f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")

    def end(self) -> None:
        self.database.admin(f'ALTER DATABASE "{self.database.name}" ALLOW_CONNECTIONS true')


def api_get(url: str, token: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def outage(scratch_database):
    yield PostgresOutage(scratch_database) if ON_POSTGRES else SqliteOutage(scratch_database)


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
