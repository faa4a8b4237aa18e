"""What several benchmarks share: a throw-away test database and a median timer."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable


def in_test_database(run: Callable[[], None]) -> None:
    """Run `run` against a fresh test database (SQLite in memory, or a test copy of DATABASE_URL)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "phucvu.settings.test")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def median_ms(fn: Callable[[], object], repeat: int = 5) -> tuple[float, object]:
    """Median wall time of `repeat` calls in milliseconds, and the last call's result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, result
