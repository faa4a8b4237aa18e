"""The server killed (SIGKILL, every process of it) in the middle of a stream of transitions through the API:
every acknowledged transition is in the database, none is half-written — each dossier's status is its last
event's, its version counts its events, its pauses its payment requests — the reports' rollups are what a
rebuild from the dossiers gives, and the event chain verifies. On SQLite and on PostgreSQL (the suite's)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict

from phucvu.core.tests.test_serve import free_port, get

CLIENTS, PER_CLIENT, ACKED_BEFORE_KILL = 4, 5, 40

SETUP = """
import json
from phucvu.catalog.services import StepSpec, field_ensure, procedure_create
from phucvu.dossiers.services import dossier_receive
from phucvu.organization.services import agency_create, api_token_issue, staff_create
from phucvu.workcalendar.models import CalendarDay
from phucvu.workcalendar.services import calendar_seed
if not CalendarDay.objects.exists():
    calendar_seed()
province = agency_create(code="T22", name="UBND tỉnh Quảng Ninh", kind="province", electronic_id="000.00.00.H41")
city = agency_create(code="H193", name="UBND thành phố Hạ Long", kind="district", parent=province,
                     electronic_id="000.00.21.H41")
commune = agency_create(code="X06652", name="UBND phường Hồng Gai", kind="commune", parent=city,
                        electronic_id="000.21.01.H41")
desk = agency_create(code="X06652-MC", name="Bộ phận Một cửa phường Hồng Gai", kind="desk", parent=commune)
procedure = procedure_create(code="1.009994", name="Cấp giấy phép xây dựng", field=field_ensure(name="Xây dựng"),
                             levels=["commune"], amount=5, steps=[StepSpec("Tiếp nhận", 10, role="desk_clerk"),
                             StepSpec("Thẩm định", 90, role="specialist")])
clerk = staff_create(username="motcua", password="MatKhau!2026", full_name="Vũ Thị Nhung", agency=desk,
                     role="desk_clerk")
ids = [dossier_receive(actor=clerk, agency_id=desk.pk, procedure_id=procedure.pk,
                       applicant_name=f"Công dân {i}").pk for i in range(%(count)d)]
print(json.dumps({"token": api_token_issue(user=clerk.user, name="sigkill"), "dossiers": ids}))
"""

# What the database holds afterwards, one row a dossier, read by the system itself.
STATE = """
import json
from phucvu.dossiers.models import Dossier
rows = []
for d in Dossier.objects.order_by("id"):
    events = list(d.events.order_by("id").values_list("kind", "to_status"))
    rows.append({"id": d.pk, "version": d.version, "status": d.status, "events": events, "pauses": d.pauses,
                 "paused_at": d.paused_at is not None})
print(json.dumps(rows))
"""


def phucvu(environment: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "phucvu", *args], env=environment, capture_output=True, text=True,
                          timeout=600)
    if check:
        assert done.returncode == 0, done.stdout + done.stderr
    return done


def post(url: str, token: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST", headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, {}


def stream(base: str, token: str, ids: list[int], acked: list, stop: threading.Event) -> None:
    """Payment requested, resumed, requested again… on each of `ids` in turn, until the server is gone.
    Records (dossier, version, status) of every 2xx answer."""
    version = dict.fromkeys(ids, 1)
    waiting = dict.fromkeys(ids, False)
    while not stop.is_set():
        for pk in ids:
            action = "resume" if waiting[pk] else "payment"
            try:
                status, answer = post(f"{base}/api/dossiers/{pk}/{action}", token, {"version": version[pk]})
            except OSError:  # refused, reset, or no answer: the server is gone
                return
            if 200 <= status < 300:
                acked.append((pk, answer["version"], answer["status"]))
                version[pk], waiting[pk] = answer["version"], answer["status"] == "awaiting_payment"


def test_sigkill_mid_stream_loses_no_acknowledged_transition_and_leaves_none_half_written(tmp_path,
                                                                                          scratch_database):
    environment = {**os.environ, "DATABASE_URL": scratch_database.url, "PHUCVU_HOME": str(tmp_path)}
    phucvu(environment, "migrate", "--no-input", "-v0")
    made = json.loads(phucvu(environment, "shell", "-v0", "-c", SETUP % {"count": CLIENTS * PER_CLIENT}).stdout)
    period = ["--from", "2020-01-01", "--to", "2035-12-31", "--by", "agency"]

    port = free_port()
    # A session of its own, so that the kill reaches gunicorn's master and every worker at once.
    server = subprocess.Popen([sys.executable, "-m", "phucvu", "serve", "--addr", f"127.0.0.1:{port}",
                               "--workers", "2", "--threads", "2"], env=environment, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            assert server.poll() is None, "phucvu serve exited"
            try:
                if get(f"{base}/readyz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.3)
        acked: list[tuple[int, int, str]] = []
        stop = threading.Event()
        ids = made["dossiers"]
        clients = [threading.Thread(target=stream, args=(base, made["token"], ids[i::CLIENTS], acked, stop))
                   for i in range(CLIENTS)]
        for client in clients:
            client.start()
        while len(acked) < ACKED_BEFORE_KILL and any(c.is_alive() for c in clients):
            time.sleep(0.05)
        os.killpg(server.pid, signal.SIGKILL)  # mid-stream: requests in flight, transactions open
        server.wait(timeout=60)
        stop.set()
        for client in clients:
            client.join(timeout=120)
        assert len(acked) >= ACKED_BEFORE_KILL
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=60)

    rows = {row["id"]: row for row in json.loads(phucvu(environment, "shell", "-v0", "-c", STATE).stdout)}
    last_acked: dict[int, tuple[int, str]] = defaultdict(lambda: (1, "received"))
    for pk, version, status in acked:
        last_acked[pk] = max(last_acked[pk], (version, status))
    for pk, row in rows.items():
        kinds = [kind for kind, _ in row["events"]]
        # Every acknowledged transition is there; at most one more (committed, its answer lost in the kill).
        acknowledged = last_acked[pk][0]
        assert acknowledged <= row["version"] <= acknowledged + 1, (pk, acknowledged, row["version"])
        # None half-written: one event a version, the status its last event's, a pause per payment request,
        # open exactly while waiting.
        assert len(kinds) == row["version"] and kinds[0] == "received", row
        assert row["status"] == row["events"][-1][1], row
        assert len(row["pauses"]) == kinds.count("payment_requested") == kinds.count("resumed") + row["paused_at"]
        assert row["paused_at"] == (row["status"] == "awaiting_payment") == (row["pauses"][-1][1] is None
                                                                             if row["pauses"] else False)
    # The rollups kept in each transaction are what the dossiers give when rebuilt from scratch.
    kept = phucvu(environment, "report", *period).stdout
    phucvu(environment, "rollups", "rebuild")
    assert phucvu(environment, "report", *period).stdout == kept
    verified = phucvu(environment, "audit", "verify", "--no-progress", check=False)
    assert verified.returncode == 0 and "Chuỗi nguyên vẹn" in verified.stdout, verified.stdout + verified.stderr

