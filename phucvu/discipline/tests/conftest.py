"""Fixtures shared by the discipline tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from phucvu.core.localtime import LOCAL_TZ
from phucvu.discipline.services.evaluation import score_import_save
from phucvu.discipline.services.tasks import task_assign, task_progress, work_item_create


@pytest.fixture
def led_unit(province, make_staff):
    """A ward's leader and two subordinates scored for March 2026 — the desk's clerk 80, an officer 45 — and two
    tasks due 20/3: the clerk's done on 5/3, the officer's never (docs/discipline.md §6.3)."""
    leader = make_staff(province["commune"], "unit_leader", full_name="Hoàng Văn Lãnh")
    desk = make_staff(province["commune_desk"], "desk_clerk", full_name="Đào Thị Hạnh")
    officer = make_staff(province["commune"], "specialist", full_name="Bùi Văn Yếu")
    for staff, general, results in [(desk, 30, 50), (officer, 20, 25)]:
        score_import_save(staff=staff, year=2026, kind="month", number=3, general=Decimal(general),
                          results=Decimal(results))
    item = work_item_create(actor=leader, agency=province["commune"], name="Báo cáo")
    given = dt.datetime(2026, 3, 2, 8, tzinfo=LOCAL_TZ)
    done = task_assign(actor=leader, item=item, staff=desk, year=2026, kind="month", number=3, quantity=2,
                       deadline=dt.date(2026, 3, 20), at=given)
    task_progress(actor=desk, task_id=done.pk, on=dt.date(2026, 3, 5), quantity=2,
                  at=dt.datetime(2026, 3, 5, 9, tzinfo=LOCAL_TZ))
    task_assign(actor=leader, item=item, staff=officer, year=2026, kind="month", number=3, quantity=1,
                deadline=dt.date(2026, 3, 20), at=given)
    hr = make_staff(province["dept"], "hr_officer", full_name="Phan Thị Nội Vụ")
    return {"leader": leader, "desk": desk, "officer": officer, "hr": hr, "province": province}
