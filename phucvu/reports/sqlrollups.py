"""The rollups rebuilt inside PostgreSQL: `rollups.contributions` as `INSERT … SELECT … GROUP BY`.

`phucvu rollups rebuild --sql` (PostgreSQL only) computes, for every dossier of the table, exactly what
`rollups.contributions` computes in Python — flows on their local day, open / within / paused stocks as
+1/−1 deltas, the pause history merged and clipped to the open interval — and writes the day and month
rows, plus the `procedure_id = 0` totals, without a row leaving the server. At 10 M dossiers this takes
minutes where the Python rebuild takes most of an hour. `reports/tests/test_sqlrollups.py` proves both
builders write the same rows.
"""

from __future__ import annotations

from django.db import connection, transaction

from phucvu.core.exceptions import InvalidInput
from phucvu.core.localtime import TIME_ZONE
from phucvu.reports.models import (
    COUNTERS,
    CompetentDayRollup,
    CompetentMonthRollup,
    DayRollup,
    MonthRollup,
)

_TZ = f"'{TIME_ZONE}'"


def _day(expr: str) -> str:
    """The local date of an instant (local midnight belongs to the new day), as `rollups.local_day`."""
    return f"(({expr}) AT TIME ZONE {_TZ})::date"


# One (day, counter, delta) triple per thing a dossier contributes; counters are indexes into COUNTERS.
_I = {name: i for i, name in enumerate(COUNTERS)}

# Per dossier: start s, end e (first of resolved / withdrawn / stopped, never before s), within-end w.
_BASE = f"""
SELECT d.id, d.agency_id, d.procedure_id, COALESCE(d.field_id, 0) AS field_id, d.channel, d.pauses,
       b.s, b.e, LEAST(b.e, CASE WHEN d.due_at IS NULL THEN NULL
                                 ELSE GREATEST(b.s, {_day("d.due_at - interval '1 microsecond'")}) END) AS w,
       d.resolved_at, d.due_at, d.withdrawn_at, d.stopped_at
FROM dossiers_dossier d
CROSS JOIN LATERAL (SELECT LEAST(d.resolved_at, d.withdrawn_at, d.stopped_at) AS ended) f
CROSS JOIN LATERAL (SELECT {_day("d.received_at")} AS s,
                           CASE WHEN f.ended IS NOT NULL  -- GREATEST ignores NULL: still open stays NULL
                                THEN GREATEST({_day("d.received_at")}, {_day("f.ended")}) END AS e) b
WHERE d.received_at IS NOT NULL
"""

_KIND = f"""CASE WHEN x.due_at IS NULL THEN {_I['resolved_on_time']}
                 WHEN x.resolved_at > x.due_at THEN {_I['resolved_late']}
                 WHEN {_day('x.resolved_at')} < {_day('x.due_at')} THEN {_I['resolved_early']}
                 ELSE {_I['resolved_on_time']} END"""

_FLOWS = f"""
SELECT x.agency_id, x.procedure_id, x.field_id, v.day, v.k, v.delta
FROM base x CROSS JOIN LATERAL (VALUES
    (x.s, CASE WHEN x.channel = 'online' THEN {_I['received_online']} ELSE {_I['received_direct']} END, 1),
    ({_day('x.resolved_at')}, {_KIND}, 1),
    ({_day('x.withdrawn_at')}, {_I['withdrawn']}, 1),
    ({_day('x.stopped_at')}, {_I['stopped']}, 1),
    (CASE WHEN x.e IS NULL OR x.e > x.s THEN x.s END, {_I['open_delta']}, 1),
    (CASE WHEN x.e > x.s THEN x.e END, {_I['open_delta']}, -1),
    (CASE WHEN x.w IS NULL OR x.w > x.s THEN x.s END, {_I['within_delta']}, 1),
    (CASE WHEN x.w > x.s THEN x.w END, {_I['within_delta']}, -1)
) v(day, k, delta)
WHERE v.day IS NOT NULL
"""

# Pauses: each [start, end) clipped to [s, e), empty ones dropped, then overlapping or touching ones merged
# (gaps and islands: a span opens a new island when it starts after every earlier span has ended).
_PAUSES = f"""
SELECT agency_id, procedure_id, field_id, v.day, {_I['paused_delta']} AS k, v.delta
FROM (
    SELECT id, agency_id, procedure_id, field_id, island, MIN(a) AS a, MAX(b) AS b
    FROM (
        SELECT *, SUM(opens) OVER (PARTITION BY id ORDER BY a, b ROWS UNBOUNDED PRECEDING) AS island
        FROM (
            SELECT *, CASE WHEN a <= MAX(b) OVER (PARTITION BY id ORDER BY a, b
                                                  ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                           THEN 0 ELSE 1 END AS opens
            FROM (
                SELECT x.id, x.agency_id, x.procedure_id, x.field_id, c.a,
                       COALESCE(c.b, 'infinity'::date) AS b
                FROM base x
                CROSS JOIN LATERAL jsonb_array_elements(x.pauses) p(span)
                CROSS JOIN LATERAL (SELECT GREATEST(x.s, {_day("(p.span->>0)::timestamptz")}) AS a,
                                           LEAST({_day("(p.span->>1)::timestamptz")}, x.e) AS b) c
                WHERE jsonb_typeof(x.pauses) = 'array' AND jsonb_array_length(x.pauses) > 0
                  AND (c.b IS NULL OR c.b > c.a)
            ) spans
        ) flagged
    ) numbered
    GROUP BY id, agency_id, procedure_id, field_id, island
) merged
CROSS JOIN LATERAL (VALUES (merged.a, 1), (CASE WHEN merged.b < 'infinity'::date THEN merged.b END, -1))
    v(day, delta)
WHERE v.day IS NOT NULL
"""

_SUMS = ", ".join(f"SUM(delta) FILTER (WHERE k = {i}) AS {name}" for i, name in enumerate(COUNTERS))
_TOTALS = ", ".join(f"COALESCE(SUM({name}), 0)" for name in COUNTERS)
_NONZERO = " OR ".join(f"COALESCE(SUM({name}), 0) <> 0" for name in COUNTERS)
_COLUMNS = ", ".join(COUNTERS)


def rebuild_sql(*, work_mem: str = "256MB") -> int:
    """Recompute every rollup row in PostgreSQL, in one transaction. Returns the dossiers counted."""
    if connection.vendor != "postgresql":
        raise InvalidInput("Tổng hợp lại bằng SQL chỉ chạy trên PostgreSQL; trên SQLite dùng `phucvu rollups rebuild`.")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL work_mem = '{work_mem}'")
        cursor.execute("DROP TABLE IF EXISTS rollup_contrib")
        cursor.execute("CREATE TEMP TABLE rollup_contrib AS "
                       f"WITH base AS MATERIALIZED ({_BASE}) "
                       f"SELECT agency_id, procedure_id, field_id, day, {_SUMS} "
                       f"FROM ({_FLOWS} UNION ALL {_PAUSES}) t GROUP BY agency_id, procedure_id, field_id, day")
        cursor.execute(f"DELETE FROM {DayRollup._meta.db_table}")
        cursor.execute(f"DELETE FROM {MonthRollup._meta.db_table}")
        for table, period, bucket in ((DayRollup._meta.db_table, "day", "day"),
                                      (MonthRollup._meta.db_table, "month",
                                       "date_trunc('month', day)::date")):
            # A procedure whose field changed between dossiers keeps one field per row (the largest id).
            cursor.execute(
                f"INSERT INTO {table} (agency_id, procedure_id, field_id, {period}, {_COLUMNS}) "
                f"SELECT agency_id, procedure_id, MAX(field_id), {bucket}, {_TOTALS} FROM rollup_contrib "
                f"GROUP BY agency_id, procedure_id, {bucket} HAVING {_NONZERO} "
                f"UNION ALL "
                f"SELECT agency_id, 0, 0, {bucket}, {_TOTALS} FROM rollup_contrib "
                f"GROUP BY agency_id, {bucket} HAVING {_NONZERO}")
        cursor.execute("DROP TABLE rollup_contrib")
        # The same contributions by the agency that decides each dossier (all procedures together).
        competent_base = _BASE.replace("SELECT d.id, d.agency_id,",
                                       "SELECT d.id, COALESCE(d.competent_agency_id, d.agency_id) AS agency_id,")
        cursor.execute("CREATE TEMP TABLE rollup_contrib AS "
                       f"WITH base AS MATERIALIZED ({competent_base}) "
                       f"SELECT agency_id, day, {_SUMS} "
                       f"FROM ({_FLOWS} UNION ALL {_PAUSES}) t GROUP BY agency_id, day")
        cursor.execute(f"DELETE FROM {CompetentDayRollup._meta.db_table}")
        cursor.execute(f"DELETE FROM {CompetentMonthRollup._meta.db_table}")
        for table, period, bucket in ((CompetentDayRollup._meta.db_table, "day", "day"),
                                      (CompetentMonthRollup._meta.db_table, "month",
                                       "date_trunc('month', day)::date")):
            cursor.execute(
                f"INSERT INTO {table} (agency_id, procedure_id, field_id, {period}, {_COLUMNS}) "
                f"SELECT agency_id, 0, 0, {bucket}, {_TOTALS} FROM rollup_contrib "
                f"GROUP BY agency_id, {bucket} HAVING {_NONZERO}")
        cursor.execute("DROP TABLE rollup_contrib")
        cursor.execute("SELECT COUNT(*) FROM dossiers_dossier")
        return cursor.fetchone()[0]
