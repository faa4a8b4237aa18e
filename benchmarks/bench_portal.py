"""The citizen's look-up page and API with many dossiers and many throttle rows.

Builds a throw-away test database, receives N dossiers through the service (each with a few events),
writes M failed-look-up rows from other addresses, then times the status page and the JSON look-up
through Django's test client (median of repeats). Prints figures; asserts nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import time

from benchmarks.support import in_test_database, median_ms
from phucvu.core.localtime import LOCAL_TZ as TZ

N = int(os.environ.get("BENCH_PORTAL_DOSSIERS", "2000"))
M = int(os.environ.get("BENCH_PORTAL_ATTEMPTS", "50000"))


def _timed(fn, repeat: int = 21) -> float:
    return median_ms(fn, repeat)[0]


def main() -> None:
    in_test_database(_run)


def _run() -> None:
    from urllib.parse import urlencode

    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from phucvu.catalog.services import StepSpec, field_ensure, procedure_create
    from phucvu.dossiers import services
    from phucvu.organization.services import agency_create, staff_create
    from phucvu.portal.models import PortalAttempt

    province = agency_create(code="T22", name="UBND tỉnh Quảng Ninh", kind="province", electronic_id="000.00.00.H41")
    commune = agency_create(code="X1", name="UBND phường Hồng Gai", kind="commune", parent=province,
                            electronic_id="000.21.01.H41")
    desk = agency_create(code="X1-MC", name="Bộ phận Một cửa phường Hồng Gai", kind="desk", parent=commune)
    clerk = staff_create(username="clerk", password="MatKhau!2026", full_name="Trần Thị Thu", agency=desk,
                         role="desk_clerk")
    field = field_ensure(name="Hộ tịch", code="HT")
    procedure = procedure_create(code="1.001193", name="Đăng ký khai sinh", field=field, levels=["commune"],
                                 amount=3, time_unit="working_days", online_level="full",
                                 steps=[StepSpec("Tiếp nhận", 20, role="desk_clerk"),
                                        StepSpec("Giải quyết", 80, role="specialist")])
    started = time.perf_counter()
    at = dt.datetime(2026, 3, 2, 8, 0, tzinfo=TZ)
    last = None
    for i in range(N):
        last = services.dossier_receive(actor=clerk, agency_id=desk.pk, procedure_id=procedure.pk,
                                        applicant_name=f"Nguyễn Văn {i}", at=at + dt.timedelta(minutes=i % 400))
    d = services.dossier_request_supplement(actor=clerk, dossier_id=last.pk, version=last.version,
                                            missing=["Giấy chứng sinh"], at=at + dt.timedelta(hours=5))
    print(f"   {N} dossiers received in {time.perf_counter() - started:.1f} s")
    now = timezone.now()
    PortalAttempt.objects.bulk_create(
        [PortalAttempt(kind="lookup_failed", address=f"10.0.{i // 250 % 250}.{i % 250}", at=now)
         for i in range(M)], batch_size=5000)

    client = Client(REMOTE_ADDR="203.0.113.9")
    page = f"/portal/lookup/?{urlencode({'code': d.code, 'secret': d.secret})}"
    assert client.get(page).status_code == 200
    page_ms = _timed(lambda: client.get(page))
    api_ms = _timed(lambda: client.post("/api/portal/lookup", {"code": d.code, "secret": d.secret},
                                        content_type="application/json"))
    wrong_ms = _timed(lambda: Client(REMOTE_ADDR="203.0.113.10").post(
        "/api/portal/lookup", {"code": d.code, "secret": "AAAAAAAA"}, content_type="application/json"), repeat=9)
    print(f"   {connection.vendor}: status page {page_ms:.1f} ms, "
          f"JSON look-up {api_ms:.1f} ms, wrong pair {wrong_ms:.1f} ms — {N} dossiers, {M} throttle rows")
