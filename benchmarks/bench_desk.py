"""The desk's pages and printed forms on a commune with many open dossiers.

Builds a throw-away test database (SQLite in memory, or `test_…` on DATABASE_URL's server), receives
N dossiers through the service, then times the work queue, a dossier page, the receipt PDF and a
register PDF through Django's test client. Prints figures; asserts nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import time

from benchmarks.support import in_test_database, median_ms
from phucvu.core.localtime import LOCAL_TZ as TZ

N = int(os.environ.get("BENCH_DESK_DOSSIERS", "1000"))


def _timed(fn, repeat: int = 5) -> tuple[float, object]:
    return median_ms(fn, repeat)


def main() -> None:
    in_test_database(_run)


def _run() -> None:
    from django.test import Client
    from django.urls import reverse

    from phucvu.catalog.services import StepSpec, field_ensure, procedure_create
    from phucvu.dossiers.services import dossier_receive
    from phucvu.organization.services import agency_create, staff_create

    province = agency_create(code="T22", name="UBND tỉnh Quảng Ninh", kind="province", electronic_id="000.00.00.H41")
    district = agency_create(code="H193", name="UBND thành phố Hạ Long", kind="district", parent=province)
    commune = agency_create(code="X1", name="UBND phường Hồng Gai", kind="commune", parent=district,
                            electronic_id="000.21.01.H41")
    desk = agency_create(code="X1-MC", name="Bộ phận Một cửa phường Hồng Gai", kind="desk", parent=commune)
    clerk = staff_create(username="clerk", password="MatKhau!2026", full_name="Trần Thị Thu", agency=desk,
                         role="desk_clerk")
    field = field_ensure(name="Hộ tịch", code="HT")
    procedure = procedure_create(
        code="1.001193", name="Đăng ký khai sinh", field=field, levels=["commune"], amount=3,
        papers=["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"],
        steps=[StepSpec("Tiếp nhận", 10, role="desk_clerk"), StepSpec("Xử lý", 70, role="specialist"),
               StepSpec("Ký", 20, role="unit_leader")])
    start = dt.datetime(2026, 3, 2, 7, 30, tzinfo=TZ)
    started = time.perf_counter()
    last = None
    for i in range(N):
        last = dossier_receive(actor=clerk, agency_id=desk.pk, procedure_id=procedure.pk,
                               applicant_name=f"Nguyễn Văn Ánh {i}", papers=["Tờ khai đăng ký khai sinh"],
                               at=start + dt.timedelta(minutes=i % 480, days=(i // 480)))
    elapsed = time.perf_counter() - started
    print(f"   intake: {N} dossiers through dossier_receive in {elapsed:.1f} s ({N / elapsed:.0f}/s)")

    client = Client()
    client.force_login(clerk.user)
    pages = {
        "queue (page 1 of all open)": reverse("dossiers:queue"),
        "queue search 'nguyen van anh 99'": reverse("dossiers:queue") + "?q=nguyen+van+anh+99",
        "dossier page": reverse("dossiers:detail", args=[last.pk]),
        "receipt PDF (Mẫu 01)": reverse("dossiers:form_pdf", args=[last.pk, "receipt"]),
        "control slip PDF (Mẫu 05)": reverse("dossiers:form_pdf", args=[last.pk, "control"]),
    }
    for label, url in pages.items():
        client.get(url)
        ms, response = _timed(lambda url=url: client.get(url))
        assert response.status_code == 200, (label, response.status_code)
        print(f"   {label}: {ms:.0f} ms median")
    # The register of every dossier received (480 a day): a busy center's month is a few thousand rows.
    last_day = (start + dt.timedelta(days=(N - 1) // 480)).date()
    url = reverse("dossiers:register_pdf") + f"?from={start.date()}&to={last_day}"
    ms, response = _timed(lambda: client.get(url), repeat=1)
    assert response.status_code == 200 and response.content.startswith(b"%PDF-"), response.status_code
    print(f"   register PDF, {N} rows: {ms:.0f} ms ({N / ms * 1000:.0f} rows/s), "
          f"{len(response.content) // 1024} KiB")
