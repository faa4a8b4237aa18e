"""Parallel requests cannot overrun the throttles: real concurrent requests against a live server.

Each test fires a burst of requests from threads released together by a barrier at the server started by
pytest-django (a threaded WSGI server: one thread per request, one database connection each). They run on
PostgreSQL (the CI's second pass sets DATABASE_URL): SQLite's in-memory test database shares one cache
between connections and answers "table is locked" to a second writer at once, which is not what a file
database in WAL mode does (there the first write of a transaction waits for the one write lock, which is
what `core.throttle.take` relies on).
"""

from __future__ import annotations

import http.cookiejar
import re
import threading
import urllib.parse
import urllib.request

import pytest
from django.db import connection

from phucvu.dossiers.services import dossier_receive
from phucvu.organization.models import LoginFailure
from phucvu.portal.models import PortalAttempt
from phucvu.portal.tests.conftest import local, online_procedure  # noqa: F401 - a fixture

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL (see above)"),
]

BURST = 16


def burst(send) -> list[str]:
    """Run `send()` in BURST threads released at once; their answers' bodies."""
    barrier = threading.Barrier(BURST)
    answers: list[str] = []
    lock = threading.Lock()

    def run():
        barrier.wait()
        body = send()
        with lock:
            answers.append(body)

    threads = [threading.Thread(target=run) for _ in range(BURST)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert len(answers) == BURST
    return answers


def test_parallel_wrong_lookups_cannot_overrun_the_limit(live_server, province, make_staff, online_procedure,  # noqa: F811
                                                         settings):
    settings.PORTAL_LOOKUP_LIMIT = 3
    clerk = make_staff(province["commune_desk"], "desk_clerk")
    dossier = dossier_receive(actor=clerk, agency_id=province["commune_desk"].pk, procedure_id=online_procedure.pk,
                              applicant_name="Nguyễn Văn Ánh", at=local(2026, 3, 9, 9, 0))
    query = urllib.parse.urlencode({"code": dossier.code, "secret": "WRONGWRG"})

    def send() -> str:
        with urllib.request.urlopen(f"{live_server.url}/portal/lookup/?{query}", timeout=60) as answer:
            return answer.read().decode()

    answers = burst(send)
    tried = [a for a in answers if "quá nhiều lần" not in a]
    assert len(tried) <= 3  # at most the limit were looked up ...
    assert PortalAttempt.objects.filter(kind=PortalAttempt.Kind.LOOKUP_FAILED).count() == 3  # ... and counted


def test_parallel_wrong_logins_cannot_overrun_the_limit(live_server, province, make_staff, settings):
    settings.LOGIN_THROTTLE_LIMIT = 3
    official = make_staff(province["commune"], "unit_leader")
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{live_server.url}/login/", timeout=60) as answer:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', answer.read().decode()).group(1)
    data = urllib.parse.urlencode({"username": official.user.username, "password": "sai",
                                   "csrfmiddlewaretoken": token}).encode()

    def send() -> str:
        request = urllib.request.Request(f"{live_server.url}/login/", data=data,
                                         headers={"Referer": f"{live_server.url}/login/"})
        with opener.open(request, timeout=60) as answer:
            return answer.read().decode()

    answers = burst(send)
    assert sum("không đúng" in a for a in answers) <= 3
    assert LoginFailure.objects.filter(username=official.user.username).count() == 3
