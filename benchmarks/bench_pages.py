"""What each hot page costs, in CPU and wall time, on a database that holds the demo (any scale).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/phucvu_load .venv/bin/python -m benchmarks pages

Reads the database in DATABASE_URL as it is (no test copy: build the demo there first, `phucvu demo
--no-server`), and requests each page the load test mixes through Django's test client, as the visitor who
opens it: anonymous citizens, the provincial desk's clerk, the province's leader. Prints the median of
BENCH_PAGES_REPEAT requests (default 7) after one warm-up: this process's CPU (steady whatever the machine is
doing, so it is the budget's unit in docs/performance.md §13) and the wall time, with the page's size.
Set PHUCVU_SHARED_CACHE_SECONDS=0 to see the public pages without the shared cache. Asserts nothing.
"""

from __future__ import annotations

import os
import statistics
import time

REPEAT = int(os.environ.get("BENCH_PAGES_REPEAT", "7"))
CLERK, LEADER = "motcua.tinh", "lanhdao.tinh"


def _measure(client, url: str) -> tuple[int, int, float, float]:
    client.get(url)
    cpu, wall = [], []
    response = None
    for _ in range(REPEAT):
        started_cpu, started = time.process_time(), time.perf_counter()
        response = client.get(url)
        cpu.append(time.process_time() - started_cpu)
        wall.append(time.perf_counter() - started)
    assert response is not None
    size = len(response.content) if not response.streaming else sum(len(c) for c in response.streaming_content)
    return response.status_code, size, statistics.median(cpu) * 1000, statistics.median(wall) * 1000


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "phucvu.settings.base")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from phucvu.dossiers.models import Dossier

    users = get_user_model().objects.select_related("staff__agency")
    if not users.filter(username=CLERK).exists():
        print("   no demo in this database: run `phucvu demo --no-server` on it first")
        return
    anonymous, clerk, leader = (Client(HTTP_HOST="127.0.0.1") for _ in range(3))
    clerk.force_login(users.get(username=CLERK))
    leader.force_login(users.get(username=LEADER))
    at_desk = Dossier.objects.filter(agency=users.get(username=CLERK).staff.agency).order_by("-received_at")
    sample = Dossier.objects.exclude(secret="").order_by("pk").first()
    period = "from=2017-01-01&to=2017-07-31"
    pages = [
        ("healthz", anonymous, "/healthz"),
        ("landing", anonymous, "/"),
        ("public page", anonymous, "/reports/cong-khai/?month=2017-07"),
        ("catalogue search", anonymous, "/portal/procedures/?q=khai+sinh"),
        ("catalogue page", anonymous, "/portal/procedures/1/"),
        ("citizen look-up", anonymous, f"/portal/lookup/?code={sample.code}&secret={sample.secret}"),
        ("home", clerk, "/home/"),
        ("work queue", clerk, "/dossiers/"),
        ("dossier page", clerk, f"/dossiers/{at_desk.first().pk}/"),
        ("register", clerk, "/dossiers/register/"),
        ("dashboard", leader, f"/reports/?{period}"),
        ("form 06", leader, f"/reports/06/?{period}"),
    ]
    print(f"   {Dossier.objects.count():,} dossiers; load average {os.getloadavg()[0]:.1f};"
          f" shared cache {os.environ.get('PHUCVU_SHARED_CACHE_SECONDS', '60')} s; median of {REPEAT}")
    print(f"   {'page':<18} {'HTTP':>4} {'KiB':>6} {'CPU ms':>7} {'wall ms':>8}")
    for name, client, url in pages:
        status, size, cpu, wall = _measure(client, url)
        print(f"   {name:<18} {status:>4} {size / 1024:>6.0f} {cpu:>7.1f} {wall:>8.1f}")
    _measure_api(users.get(username=CLERK), at_desk)


def _measure_api(clerk_user, at_desk) -> None:
    """The desk's intake and forward through the JSON API, as the load test sends them (each run adds
    BENCH_PAGES_REPEAT + 1 dossiers to the database)."""
    import json

    from django.test import Client

    from phucvu.organization.services import api_token_issue

    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {api_token_issue(user=clerk_user, name='bench')}")
    body = json.dumps({"agency_id": clerk_user.staff.agency_id, "procedure_id": at_desk.first().procedure_id,
                       "applicant_name": "Nguyễn Văn Tải", "papers": ["Đơn đề nghị"]})
    cpu: dict[str, list[float]] = {"desk intake (API)": [], "forward (API)": []}
    for i in range(REPEAT + 1):
        started = time.process_time()
        dossier = client.post("/api/dossiers/", body, content_type="application/json").json()
        intake = time.process_time() - started
        started = time.process_time()
        client.post(f"/api/dossiers/{dossier['id']}/forward", json.dumps({"version": dossier["version"]}),
                    content_type="application/json")
        if i:  # the first warms what a process reads once
            cpu["desk intake (API)"].append(intake)
            cpu["forward (API)"].append(time.process_time() - started)
    for name, values in cpu.items():
        print(f"   {name:<18} {'':>4} {'':>6} {statistics.median(values) * 1000:>7.1f}")
