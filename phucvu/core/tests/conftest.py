"""A throw-away database for tests that run the system as separate processes (`phucvu serve`, `backup`,
`restore`): a SQLite file, or on the PostgreSQL run a database created beside the suite's and dropped after."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

SUITE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = SUITE_URL.startswith("postgres")


@dataclass
class ScratchDatabase:
    url: str
    name: str  # the PostgreSQL database's name, or the SQLite file's path
    file: Path | None = None  # SQLite only

    def admin(self, *statements: str) -> None:
        """Statements on the PostgreSQL server's maintenance database (CREATE, DROP, ALTER DATABASE …)."""
        with psycopg.connect(f"{SUITE_URL.rpartition('/')[0]}/postgres", autocommit=True) as connection:
            for statement in statements:
                connection.execute(statement)


@pytest.fixture
def scratch_database(tmp_path):
    if not ON_POSTGRES:
        file = tmp_path / "s.sqlite3"
        yield ScratchDatabase(url=f"sqlite:///{file}", name=str(file), file=file)
        return
    name = f"phucvu_scratch_{uuid.uuid4().hex[:8]}"
    database = ScratchDatabase(url=f"{SUITE_URL.rpartition('/')[0]}/{name}", name=name)
    database.admin(f'CREATE DATABASE "{name}"')
    try:
        yield database
    finally:
        database.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
