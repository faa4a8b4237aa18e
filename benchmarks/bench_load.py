"""A province's mixed load against the production server, and the same server's bare throughput.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/phucvu_load .venv/bin/python -m benchmarks load

Uses the demo's data in DATABASE_URL (builds the demo there when the database holds no dossier), starts
`phucvu serve` on it, then runs locust headless (benchmarks/locustfile.py): first the mix of citizens, desk
clerks and leaders for BENCH_LOAD_SECONDS (default 60) with BENCH_LOAD_USERS simulated people (default 12) with no pause between their requests,
then `/healthz` alone with the same number of users for a third of that time. Prints requests per second and
p50 / p95 / p99 per kind of request, the errors, and the mix's throughput as a share of the health check's.
Set REDIS_URL to serve with the Redis cache, as production does. Asserts nothing: figures go to
docs/performance.md by hand.
"""

from __future__ import annotations

import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
USERS = int(os.environ.get("BENCH_LOAD_USERS", "12"))
WORKERS = os.environ.get("BENCH_LOAD_WORKERS", "")
DESKS = ("motcua.tinh", "motcua.halong", "motcua.honggai")
LEADER = "lanhdao.tinh"
PASSWORD = "phucvu2017"


def _phucvu(*args: str, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(Path(sys.executable).parent / "phucvu"), *args], check=True, env=env, **kwargs)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_plan(path: Path) -> None:
    """What the simulated people need, read from the database under test: tokens, ids, codes, secrets."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "phucvu.settings.base")
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from phucvu.catalog.models import Procedure
    from phucvu.dossiers.models import Dossier
    from phucvu.organization.services import api_token_issue

    users = get_user_model().objects.select_related("staff__agency")
    desks = []
    for username in DESKS:
        user = users.get(username=username)
        agency = user.staff.agency
        at_desk = Dossier.objects.filter(agency=agency)
        desks.append({
            "username": username, "agency_id": agency.pk, "token": api_token_issue(user=user, name="load test"),
            "procedures": sorted(set(at_desk.values_list("procedure_id", flat=True)))[:30],
            "dossiers": list(at_desk.order_by("-received_at").values_list("pk", flat=True)[:200]),
        })
    plan = {
        "password": PASSWORD, "leader": LEADER, "desks": desks, "public_month": "2017-07",
        "period": "from=2017-01-01&to=2017-07-31",
        "procedures": list(Procedure.objects.order_by("pk").values_list("pk", flat=True)[:100]),
        "lookups": [list(pair) for pair in Dossier.objects.exclude(secret="").order_by("?")
                    .values_list("code", "secret")[:300]],
    }
    path.write_text(json.dumps(plan), encoding="utf-8")


def _wait_ready(url: str, server: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"phucvu serve exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("phucvu serve did not answer /healthz in time")


def run_locust(host: str, plan: Path, classes: list[str], seconds: int, prefix: Path,
               users: int = USERS, *, tour: bool = False) -> list[dict]:
    """Run those people of benchmarks/locustfile.py headless against `host`; locust's rows per kind.

    With `tour`, each person makes each of their kinds of request once and the run ends when all have
    (`seconds` only bounds it), every request counted; otherwise they work for `seconds`, counted from the
    end of the ramp-up."""
    counting = [] if tour else ["--reset-stats"]
    subprocess.run([str(Path(sys.executable).parent / "locust"), "-f", str(ROOT / "benchmarks" / "locustfile.py"),
                    "--headless", "--only-summary", "--host", host, "-u", str(users), "-r", str(users),
                    "-t", f"{seconds}s", "--stop-timeout", "10", *counting, "--csv", str(prefix), *classes],
                   check=False, env={**os.environ, "PHUCVU_LOAD_PLAN": str(plan), "PHUCVU_LOAD_TOUR": str(int(tour))},
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _row(row: dict) -> str:
    return (f"   {row['Name']:<20} {float(row['Requests/s']):>8.1f} {row['50%']:>7} {row['95%']:>7} {row['99%']:>7}"
            f" {row['Request Count']:>8} {row['Failure Count']:>6}")


def main() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        print("   (DATABASE_URL is not PostgreSQL: the figures are SQLite's, not production's)")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "phucvu.settings.base", "DEBUG": "false",
           "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1")}
    _phucvu("migrate", "--no-input", "-v0", env=env)
    probe = _phucvu("shell", "-v0", "-c", "from phucvu.dossiers.models import Dossier; print(Dossier.objects.count())",
                    env=env, capture_output=True, text=True)
    if int(probe.stdout.split()[-1]) == 0:
        print("   building the demo in that database…", flush=True)
        _phucvu("demo", "--no-server", "-v0", env=env, stdout=subprocess.DEVNULL)
    work = Path(tempfile.mkdtemp(prefix="phucvu-load-"))
    plan = work / "plan.json"
    write_plan(plan)
    port = _free_port()
    host = f"http://127.0.0.1:{port}"
    workers = WORKERS or str(max(2, 2 * (os.cpu_count() or 1)))
    log = (work / "server.log").open("w")
    server = subprocess.Popen([str(Path(sys.executable).parent / "phucvu"), "serve", "--addr", f"127.0.0.1:{port}",
                               "--workers", workers], env=env, stdout=subprocess.DEVNULL, stderr=log)
    try:
        _wait_ready(host, server)
        load = os.getloadavg()[0]
        print(f"   server: {workers} workers on {'PostgreSQL' if url.startswith('postgres') else 'SQLite'}"
              f"{', Redis cache' if os.environ.get('REDIS_URL') else ', local-memory cache'};"
              f" {USERS} users for {SECONDS} s; load average {load:.1f} on {os.cpu_count()} cores", flush=True)
        mix = run_locust(host, plan, ["Citizen", "Clerk", "Leader"], SECONDS, work / "mix")
        health = run_locust(host, plan, ["HealthCheck"], max(10, SECONDS // 3), work / "health")
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()
    print(f"   {'kind':<20} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'requests':>8} {'errors':>6}")
    for row in sorted(mix, key=lambda r: r["Name"] == "Aggregated"):
        print(_row(row))
    total = next(r for r in mix if r["Name"] == "Aggregated")
    bare = next(r for r in health if r["Name"] == "Aggregated")
    print(_row({**bare, "Name": "healthz alone"}))
    ratio = float(total["Requests/s"]) / max(float(bare["Requests/s"]), 1e-9)
    print(f"   the mix at {ratio:.0%} of the health check's throughput; errors {total['Failure Count']}"
          f" of {total['Request Count']}; server log {work / 'server.log'}")
