"""Dossier transitions, one by one through the services, as the demo replay and the desks call them.

Builds a throw-away test database (SQLite in memory, or `test_…` on DATABASE_URL's server), a small
province (a commune with its desk, a district office) and one procedure with a four-step workflow, then
walks N dossiers through receive → forward → forward → forward → approve → resolve → return, every
fifth one with a supplement request and its resume, with `at=` moments like the demo and one
transaction per simulated day. Prints queries per transition (by kind) and transitions per second.
Asserts nothing.
"""

from __future__ import annotations

import cProfile
import datetime as dt
import os
import pstats
import time
from collections import defaultdict

from phucvu.core.localtime import LOCAL_TZ as TZ

N = int(os.environ.get("BENCH_TRANSITIONS_DOSSIERS", "300"))
PER_DAY = 40
PROFILE = os.environ.get("BENCH_TRANSITIONS_PROFILE", "")  # a path: write cProfile stats there


def main() -> None:
    from benchmarks.support import in_test_database

    in_test_database(_run)


def _world():
    from phucvu.catalog.services import StepSpec, field_ensure, procedure_create
    from phucvu.organization.services import agency_create, staff_create
    from phucvu.workcalendar.services import calendar_seed

    calendar_seed(first_year=2026, last_year=2026)
    province = agency_create(code="T22", name="UBND tỉnh Quảng Ninh", kind="province", electronic_id="000.00.00.H41")
    district = agency_create(code="H193", name="UBND thành phố Hạ Long", kind="district", parent=province,
                             electronic_id="000.00.21.H41")
    office = agency_create(code="H193-TNMT", name="Phòng Tài nguyên và Môi trường", kind="department",
                           parent=district)
    commune = agency_create(code="X1", name="UBND phường Hồng Gai", kind="commune", parent=district,
                            electronic_id="000.21.01.H41")
    desk = agency_create(code="X1-MC", name="Bộ phận Một cửa phường Hồng Gai", kind="desk", parent=commune)

    def person(username, agency, role):
        return staff_create(username=username, password="MatKhau!2026", full_name=username.title(), agency=agency,
                            role=role)

    people = {"clerk": person("clerk", desk, "desk_clerk"), "specialist": person("specialist", commune, "specialist"),
              "officer": person("officer", office, "specialist"), "leader": person("leader", commune, "unit_leader")}
    field = field_ensure(name="Đất đai", code="DD")
    procedure = procedure_create(
        code="1.001990", name="Đăng ký biến động quyền sử dụng đất", field=field, levels=["commune"], amount=10,
        papers=["Đơn đăng ký biến động", "Giấy chứng nhận"],
        steps=[StepSpec("Tiếp nhận", 10, role="desk_clerk"), StepSpec("Thẩm định", 40, role="specialist"),
               StepSpec("Xác minh", 30, role="specialist"), StepSpec("Ký duyệt", 20, role="unit_leader")])
    return {"desk": desk, "commune": commune, "office": office, "procedure": procedure, **people}


def _run() -> None:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from phucvu.dossiers import services as sv
    from phucvu.workcalendar.selectors import calendar_for

    w = _world()
    cal = calendar_for(None)
    queries: dict[str, list[int]] = defaultdict(list)
    seconds: dict[str, float] = defaultdict(float)

    def call(name, fn, **kw):
        connection.queries_log.clear()  # the log keeps 9000 queries: past that, counts would be wrong
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            result = fn(**kw)
            seconds[name] += time.perf_counter() - started
        queries[name].append(len(ctx.captured_queries))
        return result

    def walk(i: int, day: dt.date) -> None:
        at = cal.next_working_instant(dt.datetime.combine(day, dt.time(7, 30), TZ)) + dt.timedelta(minutes=i % 200)
        d = call("receive", sv.dossier_receive, actor=w["clerk"], agency_id=w["desk"].pk,
                 procedure_id=w["procedure"].pk, applicant_name=f"Nguyễn Văn Ánh {i}", applicant_phone="0912345678",
                 papers=["Đơn đăng ký biến động"], at=at)

        def step(name, fn, minutes, **kw):
            nonlocal d
            moment = cal.add_working_minutes(d.start_at, minutes)
            d = call(name, fn, dossier_id=d.pk, version=d.version, at=moment, **kw)

        step("forward", sv.dossier_forward, 20, actor=w["clerk"], assignee_id=w["specialist"].pk)
        if i % 5 == 0:
            step("request_supplement", sv.dossier_request_supplement, 60, actor=w["specialist"],
                 missing=["Bản sao giấy tờ chứng minh"])
            step("resume", sv.dossier_resume, 600, actor=w["clerk"], papers=["Giấy tờ bổ sung"])
        step("forward", sv.dossier_forward, 900, actor=w["specialist"], to_agency_id=w["office"].pk,
             assignee_id=w["officer"].pk)
        step("forward", sv.dossier_forward, 1800, actor=w["officer"], to_agency_id=w["commune"].pk,
             assignee_id=w["leader"].pk)
        step("approve", sv.dossier_approve, 2400, actor=w["leader"])
        step("resolve", sv.dossier_resolve, 2410, actor=w["leader"], result="granted", decision_number="1/QĐ-UBND",
             signer_name=w["leader"].full_name, document=sv.ResultDocument("quyet-dinh.pdf", b"%PDF-1.4\n%%EOF\n"))
        step("return_result", sv.dossier_return_result, 2500, actor=w["clerk"])

    day = dt.date(2026, 3, 2)
    profiler = cProfile.Profile() if PROFILE else None
    started, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    i = 0
    while i < N:
        while not cal.is_working_day(day):
            day += dt.timedelta(days=1)
        # One transaction per simulated day, as the demo replay does: each call is a savepoint in it.
        with transaction.atomic():
            for _ in range(min(PER_DAY, N - i)):
                walk(i, day)
                i += 1
        day += dt.timedelta(days=1)
    if profiler:
        profiler.disable()
        profiler.dump_stats(PROFILE)
        pstats.Stats(PROFILE).sort_stats("cumulative").print_stats(25)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    total = sum(len(v) for v in queries.values())
    vendor = connection.vendor
    print(f"   {vendor}: {N} dossiers, {total} transitions in {elapsed:.1f} s: {total / elapsed:.0f} transitions/s, "
          f"{N / elapsed:.1f} dossiers/s; this process's CPU {cpu:.1f} s ({total / cpu:.0f} transitions/CPU-s)")
    all_queries = sum(sum(v) for v in queries.values())
    print(f"   queries per transition: {all_queries / total:.1f} on average")
    for name, counts in queries.items():
        print(f"     {name:<20} {max(counts):>3} queries (max), {sum(counts) / len(counts):5.1f} mean, "
              f"{seconds[name] / len(counts) * 1000:5.2f} ms mean")
