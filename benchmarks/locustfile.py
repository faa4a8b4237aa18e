"""The mixed load of a province's working day, for locust (run by `python -m benchmarks load`).

Three kinds of people, in proportion to who uses the system: citizens (the landing page, the public results
page, the catalogue and its search, looking up their dossier by code and secret), desk clerks (receiving a
dossier and forwarding it through the JSON API, their queue, a dossier's page) and leaders (the dashboard and
form 06). Each request is named by its kind, so the report gives p50 / p95 / p99 per kind. A fourth class,
`HealthCheck`, hits `/healthz` alone: the runner uses it for the same server's bare throughput.

The plan (tokens, ids, codes and secrets) comes from the JSON file named by PHUCVU_LOAD_PLAN, written by the
runner from the database under test.

With PHUCVU_LOAD_TOUR=1 (the test's mode, phucvu/dossiers/tests/test_load_mix.py) each person makes each of
their kinds of request once, in order, and stops; the run ends when every person has, however long the server
takes, so what the run requests does not depend on how fast the machine is.
"""

from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path

import gevent
from locust import HttpUser, between, task
from locust.exception import StopUser
from locust.stats import CSV_STATS_INTERVAL_SEC

# Pause between one person's requests, in seconds (at most): 0 by default, so the run measures what the
# server can take with that many people at once (its throughput and the latency they see), not their pauses.
PAUSE = float(os.environ.get("PHUCVU_LOAD_PAUSE", "0"))

PLAN: dict = json.loads(Path(os.environ["PHUCVU_LOAD_PLAN"]).read_text(encoding="utf-8")) if os.environ.get(
    "PHUCVU_LOAD_PLAN") else {}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Words citizens type into the catalogue's search box (with and without accents, as they do).
SEARCH_WORDS = ["khai sinh", "chung thuc", "giấy phép xây dựng", "đăng ký kinh doanh", "ket hon", "đất đai",
                "hộ kinh doanh", "lý lịch tư pháp"]


TOUR = os.environ.get("PHUCVU_LOAD_TOUR") == "1"
_toured: list[HttpUser] = []


def _tour(user: HttpUser) -> None:
    """In the tour mode: each of the person's tasks once, then stop; the last person to finish ends the run."""
    if not TOUR:
        return
    for run in dict.fromkeys(type(user).tasks):  # the @task methods, each once (weights repeat them)
        run(user)
    _toured.append(user)
    runner = user.environment.runner
    if runner is not None and len(_toured) >= runner.target_user_count:
        # After two of the CSV writer's turns, so the files hold every request (it rewrites them each turn).
        gevent.spawn_later(2 * CSV_STATS_INTERVAL_SEC, runner.quit)
    raise StopUser()


def _fail_unless(response, expected: int = 200) -> None:
    if response.status_code != expected:
        response.failure(f"HTTP {response.status_code}")


class Citizen(HttpUser):
    weight = 6
    wait_time = between(0, PAUSE)

    def on_start(self) -> None:
        _tour(self)

    @task(3)
    def landing(self) -> None:
        self.client.get("/", name="landing")

    @task(2)
    def public_page(self) -> None:
        self.client.get(f"/reports/cong-khai/?month={PLAN['public_month']}", name="public page")

    @task(3)
    def catalogue_search(self) -> None:
        self.client.get("/portal/procedures/", params={"q": random.choice(SEARCH_WORDS)}, name="catalogue search")

    @task(2)
    def catalogue_page(self) -> None:
        self.client.get(f"/portal/procedures/{random.choice(PLAN['procedures'])}/", name="catalogue page")

    @task(4)
    def lookup(self) -> None:
        code, secret = random.choice(PLAN["lookups"])
        with self.client.get("/portal/lookup/", params={"code": code, "secret": secret}, name="citizen look-up",
                             catch_response=True) as response:
            # A wrong code answers 200 with an error: count it as one, the plan holds real codes.
            if response.status_code != 200 or code not in response.text:
                response.failure(f"HTTP {response.status_code} or dossier not found")


def _login(user: HttpUser, username: str) -> None:
    page = user.client.get("/login/", name="login")
    token = CSRF.search(page.text)
    user.client.post("/login/", data={"username": username, "password": PLAN["password"],
                                      "csrfmiddlewaretoken": token.group(1) if token else ""}, name="login")


class Clerk(HttpUser):
    weight = 3
    wait_time = between(0, PAUSE)

    def on_start(self) -> None:
        self.desk = random.choice(PLAN["desks"])
        _login(self, self.desk["username"])
        self.api = {"Authorization": f"Bearer {self.desk['token']}"}
        _tour(self)

    @task(2)
    def receive_and_forward(self) -> None:
        body = {"agency_id": self.desk["agency_id"], "procedure_id": random.choice(self.desk["procedures"]),
                "applicant_name": "Nguyễn Văn Tải", "papers": ["Đơn đề nghị"]}
        with self.client.post("/api/dossiers/", json=body, headers=self.api, name="desk intake",
                              catch_response=True) as response:
            _fail_unless(response, 201)
            if response.status_code != 201:
                return
            dossier = response.json()
        with self.client.post(f"/api/dossiers/{dossier['id']}/forward", json={"version": dossier["version"]},
                              headers=self.api, name="transition", catch_response=True) as response:
            _fail_unless(response)

    @task(3)
    def queue(self) -> None:
        self.client.get("/dossiers/", name="work queue")

    @task(3)
    def dossier_page(self) -> None:
        self.client.get(f"/dossiers/{random.choice(self.desk['dossiers'])}/", name="dossier page")


class Leader(HttpUser):
    weight = 1
    wait_time = between(0, PAUSE)

    def on_start(self) -> None:
        _login(self, PLAN["leader"])
        _tour(self)

    @task(3)
    def dashboard(self) -> None:
        self.client.get(f"/reports/?{PLAN['period']}", name="dashboard")

    @task(1)
    def form06(self) -> None:
        self.client.get(f"/reports/06/?{PLAN['period']}", name="form 06")


class HealthCheck(HttpUser):
    """Not part of the mix: the runner starts it alone for the server's bare throughput."""

    wait_time = between(0, PAUSE)

    @task
    def healthz(self) -> None:
        self.client.get("/healthz", name="healthz")
