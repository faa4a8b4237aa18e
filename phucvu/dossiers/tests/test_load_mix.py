"""The load test's people (benchmarks/locustfile.py) do their whole day's work without an error.

Runs locust against a live server holding a small province, so a page, a form field or an API contract the
load test relies on cannot change without this failing. In the locustfile's tour mode each simulated person
makes each of their kinds of request once and the run ends when all have, so nothing here depends on how fast
the machine is (a time bound only stops a hung server). No figure is asserted: throughput and latency are
docs/performance.md §13's, measured with `python -m benchmarks load`.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from django.db import connection

from benchmarks.bench_load import run_locust
from phucvu.dossiers.models import Dossier
from phucvu.organization.services import api_token_issue

pytestmark = pytest.mark.django_db(transaction=True)

KINDS = {"landing", "public page", "catalogue search", "catalogue page", "citizen look-up", "desk intake",
         "transition", "work queue", "dossier page", "dashboard", "form 06"}


def test_every_kind_of_the_mix_is_served_without_error(live_server, province, procedure, staff, receive, tmp_path):
    if connection.vendor == "sqlite":
        pytest.skip("Cần PostgreSQL: SQLite trong bộ nhớ của bộ kiểm thử khoá cả bảng khi nhiều người cùng ghi.")
    if shutil.which("locust", path=str(Path(sys.executable).parent)) is None:
        pytest.fail("locust is a dev dependency: `make install` installs it")
    received = [receive(applicant_name=f"Nguyễn Văn {i}") for i in range(3)]
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({
        "password": "MatKhau!2026", "leader": staff["leader"].user.username, "public_month": "2026-03",
        "period": "from=2026-03-01&to=2026-03-31", "procedures": [procedure.pk],
        "lookups": [[d.code, d.secret] for d in received],
        "desks": [{"username": staff["clerk"].user.username, "agency_id": province["commune_desk"].pk,
                   "token": api_token_issue(user=staff["clerk"].user), "procedures": [procedure.pk],
                   "dossiers": [d.pk for d in received]}],
    }), encoding="utf-8")
    # 10 people: 6 citizens, 3 clerks, 1 leader (the classes' weights), each making each request once.
    rows = run_locust(live_server.url, plan, ["Citizen", "Clerk", "Leader"], 300, tmp_path / "mix", users=10,
                      tour=True)
    by_kind = {row["Name"]: row for row in rows if row["Name"] != "Aggregated"}
    assert set(by_kind) >= KINDS, f"kinds never requested: {KINDS - set(by_kind)}"
    failures = (tmp_path / "mix_failures.csv").read_text(encoding="utf-8")
    assert all(row["Failure Count"] == "0" for row in rows), failures
    assert {kind: int(by_kind[kind]["Request Count"]) for kind in ("landing", "desk intake", "form 06")} == {
        "landing": 6, "desk intake": 3, "form 06": 1}
    # The clerks' intakes went through the services.
    assert Dossier.objects.count() == 3 + 3
