"""`python -m benchmarks demo`: time `make demo`'s build (migrate + `phucvu demo --no-server`) from an empty DB.

BENCH_DEMO_SCALE (default 0.005, the command's default) and BENCH_DEMO_DATABASE_URL (default: a fresh SQLite
file under /tmp). The PostgreSQL database named in the URL is dropped and re-created first. Prints wall
and CPU seconds, and dossiers and service calls per second of the replay.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _fresh(url: str) -> None:
    if url.startswith("postgres"):
        base, name = url.rsplit("/", 1)
        for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
            subprocess.run([sys.executable, "-c", (
                "import psycopg,sys; c=psycopg.connect(sys.argv[1], autocommit=True); c.execute(sys.argv[2])"),
                f"{base}/postgres", sql], check=True)
    elif url.startswith("sqlite:///"):
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)


def main() -> None:
    scale = os.environ.get("BENCH_DEMO_SCALE", "0.005")
    url = os.environ.get("BENCH_DEMO_DATABASE_URL") or f"sqlite:///{tempfile.gettempdir()}/phucvu-bench-demo.sqlite3"
    _fresh(url)
    env = {**os.environ, "DATABASE_URL": url}
    phucvu = [sys.executable, "-m", "phucvu"]
    started = time.perf_counter()
    subprocess.run([*phucvu, "migrate", "--no-input", "-v0"], env=env, check=True)
    migrated = time.perf_counter()
    subprocess.run([*phucvu, "demo", "--no-server", "-v0", "--scale", scale], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    done = time.perf_counter()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    summary = json.loads(subprocess.run(
        [*phucvu, "shell", "-c", "import json; from phucvu.demo.models import DemoRun; "
                                 "print(json.dumps(DemoRun.objects.latest('id').summary))"],
        env=env, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])
    replay = summary["timings"]["replay"]
    print(f"   database: {url.split('@')[-1]}  scale {scale}: {summary['dossiers']} dossiers, "
          f"{summary['transitions']} service calls")
    print(f"   migrate {migrated - started:.1f} s; demo build {done - migrated:.1f} s "
          f"(phases {summary['timings']}); total wall {done - started:.1f} s; "
          f"CPU of the child processes {usage.ru_utime + usage.ru_stime:.1f} s")
    print(f"   replay: {summary['dossiers'] / replay:.0f} dossiers/s, {summary['transitions'] / replay:.0f} calls/s; "
          f"--scale 1 (485,590 dossiers) extrapolates to ≈ {485_590 / (summary['dossiers'] / replay) / 60:.0f} min")
