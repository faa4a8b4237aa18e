"""Two records on one task at once (docs/discipline.md §7.6): without a version both count, none lost; with the
version each loaded, one wins and the other is told to reload. Real row locks: PostgreSQL only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from phucvu.core.exceptions import StaleAction
from phucvu.core.localtime import LOCAL_TZ
from phucvu.core.tests.concurrency import CONCURRENT, run_together
from phucvu.discipline.models import Task, TaskEvent
from phucvu.discipline.services.tasks import task_assign, task_progress, work_item_create

pytestmark = CONCURRENT


@pytest.fixture
def task(province, make_staff):
    clerk = make_staff(province["commune_desk"], "desk_clerk")
    leader = make_staff(province["commune"], "unit_leader")
    item = work_item_create(actor=leader, agency=province["commune"], name="Báo cáo")
    return task_assign(actor=leader, item=item, staff=clerk, year=2026, kind="month", number=3, quantity=10,
                       at=dt.datetime(2026, 3, 2, 8, tzinfo=LOCAL_TZ))


def _record(task, quantity, version=None):
    return lambda: task_progress(actor=task.staff, task_id=task.pk, on=dt.date(2026, 3, 5), quantity=quantity,
                                 version=version, at=dt.datetime(2026, 3, 5, 9, tzinfo=LOCAL_TZ))


def test_two_records_at_once_both_count(task):
    outcomes = run_together([_record(task, 2), _record(task, 3)])
    assert all(isinstance(o, Task) for o in outcomes), outcomes
    assert Task.objects.get(pk=task.pk).done == Decimal(5)
    assert TaskEvent.objects.filter(task=task, kind="progress").count() == 2


def test_two_records_from_the_same_page_one_is_stale(task):
    outcomes = run_together([_record(task, 2, task.version), _record(task, 3, task.version)])
    assert sorted(type(o).__name__ for o in outcomes) == ["StaleAction", "Task"], outcomes
    assert any(isinstance(o, StaleAction) for o in outcomes)
    assert TaskEvent.objects.filter(task=task, kind="progress").count() == 1
