"""Tens of millions of synthetic dossiers generated inside PostgreSQL (`INSERT … SELECT … generate_series`).

The same history as `synthetic/history.py` (the Python generator `phucvu seed` uses): receiving agencies by
the seed article's level shares and Pareto-skewed inside a level, Zipf-skewed procedures of the catalogue,
monthly seasonality over working days, working hours, 18 % online (3 % of the rest postal), 6 % with a
supplement wait that moves the due moment, 0.5 % withdrawn, 0.3 % stopped, ~2 % late, nothing after the end
of the history. The skews are turned into pick tables (arrays of 100 000 entries) so each row costs a few
array look-ups, and every random number of a row is drawn once in a materialised step.

Differences from `phucvu seed`, on purpose: no `imported` event per dossier and no code counters moved (a
report benchmark reads neither), and the code's sequence number is the dossier id (unique without a
window over the whole table). PostgreSQL only: the benchmark's way to 10 M rows in minutes.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections.abc import Sequence

from django.db import connection, transaction

from phucvu.catalog.models import RULE_SET_2025_FROM, RuleSet
from phucvu.core.bulk import defer_references, take_ids
from phucvu.core.exceptions import InvalidInput
from phucvu.core.localtime import TIME_ZONE
from phucvu.core.text import fold
from phucvu.dossiers.bulkrows import competent_of_pairs, search_key_sql, secret_sql, status_sql
from phucvu.dossiers.codes import code_prefix
from phucvu.dossiers.models import Dossier, Status
from phucvu.organization.models import Agency
from phucvu.synthetic.history import SEASON, Procedure, synthetic_now, zipf_cumulative
from phucvu.synthetic.rows import GIVEN, MIDDLE, SURNAMES

_REFERENCES = ("agency_id", "procedure_id", "procedure_version_id", "field_id", "competent_agency_id")  # what the rows point at
PICKS = 100_000  # entries per pick table: a weight below 1e-5 of the total may get no entry


def pick_table(cumulative: Sequence[float], size: int = PICKS) -> list[int]:
    """1-based indexes spread like the weights: entry j is the item at quantile (j + ½) / size."""
    total = cumulative[-1]
    return [bisect.bisect_left(cumulative, (j + 0.5) / size * total) + 1 for j in range(size)]


def _working_days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)
            if (start + dt.timedelta(days=i)).weekday() < 5]


_SQL = """
INSERT INTO dossiers_dossier (
    id, code, agency_id, procedure_id, procedure_version_id, field_id, channel, status, applicant_name,
    applicant_id_number, applicant_phone, applicant_email, applicant_address, search_key, papers, submitted_at,
    received_at, start_at, due_at, legal_minutes, resolved_at, result, result_note, returned_at, withdrawn_at,
    stopped_at, paused_at, paused_from, pauses, supplement_count, version, secret, rule_set, imported,
    created_at, updated_at, competent_agency_id)
WITH p AS MATERIALIZED (  -- the pick tables once, not a cast of a parameter per row
    SELECT %(days)s::int[] AS days, %(procs)s::int[] AS procs, %(agencies)s::int[] AS agencies,
           %(workdays)s::date[] AS workdays, %(proc_days)s::int[] AS proc_days,
           %(agency_ids)s::bigint[] AS agency_ids, %(prefixes)s::text[] AS prefixes,
           %(proc_ids)s::bigint[] AS proc_ids, %(proc_versions)s::bigint[] AS proc_versions,
           %(competent)s::bigint[] AS competent,
           %(proc_fields)s::bigint[] AS proc_fields, %(surnames)s::text[] AS surnames,
           %(middles)s::text[] AS middles, %(givens)s::text[] AS givens, %(f_surnames)s::text[] AS f_surnames,
           %(f_middles)s::text[] AS f_middles, %(f_givens)s::text[] AS f_givens
), r AS MATERIALIZED (
    SELECT g AS id,
           (p.days)[1 + floor(random() * %(n_days)s)::int] AS di,
           (p.procs)[1 + floor(random() * %(n_procs)s)::int] AS pi,
           (p.agencies)[1 + floor(random() * %(n_agencies)s)::int] AS ai,
           CASE WHEN random() < 0.5 THEN 420 + floor(random() * 270) ELSE 810 + floor(random() * 210) END AS minute,
           floor(random() * 60) AS sec, floor(random() * 60) AS due_sec,
           random() AS u_channel, random() AS u_postal, random() AS u_pause,
           1 + floor(random() * 3) AS pause_days, floor(random() * 6) AS pause_hours,
           1 + floor(random() * 12) AS pause_len,
           random() AS u_fate, floor(random() * 6) AS fate_days, floor(random() * 9) AS fate_hours,
           1 + floor(random() * 240) AS late_hours, random() AS u_speed,
           random() AS u_return, 1 + floor(random() * 72) AS return_hours, random() AS u_result,
           1 + floor(random() * %(n_surnames)s)::int AS ni1, 1 + floor(random() * %(n_middles)s)::int AS ni2,
           1 + floor(random() * %(n_givens)s)::int AS ni3, 1 + floor(random() * 96) AS province_no,
           floor(random() * 1000000000) AS id_no,
           floor(random() * 1099511627776)::bigint AS secret_bits
    FROM p, unnest(%(ids)s::bigint[]) g
), a AS (
    SELECT r.*, (p.workdays)[di] AS day,
           ((p.workdays)[di] + make_interval(mins => minute::int, secs => sec))
               AT TIME ZONE %(tz)s AS received,
           ((p.workdays)[di + (p.proc_days)[pi]] + make_interval(mins => minute::int,
               secs => due_sec)) AT TIME ZONE %(tz)s AS due0,
           CASE WHEN u_channel < 0.18 THEN 'online' WHEN u_postal < 0.03 THEN 'postal' ELSE 'counter' END AS channel,
           u_pause < 0.06 AS paused
    FROM r CROSS JOIN p
), b AS (
    SELECT a.*, received + make_interval(days => pause_days::int, hours => pause_hours::int) AS p_start,
           due0 + CASE WHEN paused THEN make_interval(days => pause_len::int) ELSE interval '0' END AS due
    FROM a
), c AS (
    SELECT b.*, p_start + make_interval(days => pause_len::int) AS p_end0,
           CASE WHEN u_fate < 0.005 THEN received + make_interval(days => fate_days::int, hours => fate_hours::int)
           END AS withdrawn0,
           CASE WHEN u_fate >= 0.005 AND u_fate < 0.008
                THEN received + make_interval(days => 1 + (fate_days * 9 / 5)::int, hours => fate_hours::int)
           END AS stopped0,
           CASE WHEN u_fate >= 0.008 AND u_fate < 0.03 THEN due + make_interval(hours => late_hours::int)
                WHEN u_fate >= 0.03
                THEN received + GREATEST(due - received, interval '1 hour') * (0.25 + 0.75 * u_speed)
           END AS resolved0
    FROM b
), d AS (  -- the wait against the fate, as synthetic.py decides it
    SELECT c.*, COALESCE(resolved0, withdrawn0, stopped0) AS ended,
           paused AND NOT COALESCE(COALESCE(resolved0, withdrawn0, stopped0) <= p_start, false) AS keep_pause
    FROM c
), e AS (
    SELECT d.*, keep_pause AND p_end0 >= %(now)s AS open_pause FROM d
), f AS (
    SELECT e.*,
           CASE WHEN open_pause THEN NULL
                WHEN keep_pause AND resolved0 < p_end0 THEN p_end0 + (resolved0 - p_start)
                ELSE resolved0 END AS resolved1,
           CASE WHEN open_pause THEN NULL ELSE withdrawn0 END AS withdrawn1,
           CASE WHEN open_pause THEN NULL ELSE stopped0 END AS stopped1,
           CASE WHEN open_pause THEN NULL
                WHEN keep_pause AND resolved0 IS NULL AND ended < p_end0 THEN ended
                ELSE p_end0 END AS p_end
    FROM e
), g AS (
    SELECT f.*,
           CASE WHEN resolved1 < %(now)s THEN resolved1 END AS resolved,
           CASE WHEN withdrawn1 < %(now)s THEN withdrawn1 END AS withdrawn,
           CASE WHEN stopped1 < %(now)s THEN stopped1 END AS stopped
    FROM f
), h AS (
    SELECT g.*,
           CASE WHEN resolved IS NOT NULL AND u_return < 0.93
                     AND resolved + make_interval(hours => return_hours::int) < %(now)s
                THEN resolved + make_interval(hours => return_hours::int) END AS returned,
           (p.prefixes)[ai] || '-' || to_char(day, 'YYMMDD') || '-' || CASE WHEN id < 10000 THEN lpad(id::text, 4, '0') ELSE id::text END AS code,
           '0' || lpad(province_no::text, 2, '0') || lpad(id_no::bigint::text, 9, '0') AS id_number
    FROM g CROSS JOIN p
)
SELECT id, code, (p.agency_ids)[ai], (p.proc_ids)[pi], (p.proc_versions)[pi], NULLIF((p.proc_fields)[pi], 0), channel,
       {status},
       (p.surnames)[ni1] || ' ' || (p.middles)[ni2] || ' ' || (p.givens)[ni3], id_number, '', '', '',
       {search_key}, '[]'::jsonb,
       CASE WHEN channel = 'online' THEN received END, received, received, due,
       (p.proc_days)[pi] * 480, resolved,
       CASE WHEN resolved IS NULL THEN '' WHEN u_result < 0.03 THEN 'refused' ELSE 'granted' END, '',
       returned, withdrawn, stopped, CASE WHEN open_pause THEN p_start END,
       CASE WHEN open_pause THEN 'processing' ELSE '' END,
       CASE WHEN keep_pause THEN jsonb_build_array(jsonb_build_array(to_jsonb(p_start), to_jsonb(p_end)))
            ELSE '[]'::jsonb END,
       CASE WHEN keep_pause THEN 1 ELSE 0 END, 1,
       {secret},
       CASE WHEN day >= %(rule_2025)s THEN %(nd118)s ELSE %(nd61)s END, true, now(), now(),
       (p.competent)[(ai - 1) * %(n_proc_list)s + pi]
FROM h CROSS JOIN p
""".format(  # the rules every bulk path shares (dossiers.bulkrows), in SQL
    status=status_sql(returned="returned", resolved="resolved", withdrawn="withdrawn", stopped="stopped",
                      waiting="open_pause", running=Status.PROCESSING),
    search_key=search_key_sql("code", "(p.f_surnames)[ni1] || ' ' || (p.f_middles)[ni2] || ' ' || (p.f_givens)[ni3]",
                              "id_number"),
    secret=secret_sql("secret_bits"),
)


def generate_dossiers(*, n: int, seed: int, start: dt.date, end: dt.date, agencies: list[tuple[int, float]],
                      procedures: list[Procedure], batch: int = 1_000_000, progress=None) -> int:
    """Insert `n` synthetic dossiers, in batches, with ids from the table's sequence (`core.bulk.take_ids`) and
    the references checked once per batch at the end (`core.bulk.defer_references`); returns the first new id.

    Inside the caller's transaction if any; `setseed` makes the draws repeatable for one seed and batch size.
    """
    if connection.vendor != "postgresql":
        raise InvalidInput("Sinh hồ sơ bằng SQL chỉ chạy trên PostgreSQL; trên SQLite dùng `phucvu seed`.")
    if not agencies or not procedures:
        raise InvalidInput("Cần danh sách đơn vị tiếp nhận và thủ tục.")
    workdays = _working_days(start, end + dt.timedelta(days=400))
    n_receiving = len(_working_days(start, end))
    day_cum = list(itertools.accumulate(SEASON[d.month - 1] for d in workdays[:n_receiving]))
    by_id = {a.pk: a for a in Agency.objects.select_related("parent")}
    prefixes = {pk: code_prefix(a) for pk, a in by_id.items()}
    competent = competent_of_pairs({(p.version_id, a) for a, _ in agencies for p in procedures}, by_id)
    params = {
        "days": pick_table(day_cum), "n_days": PICKS,
        "procs": pick_table(zipf_cumulative(len(procedures))), "n_procs": PICKS,
        "agencies": pick_table(list(itertools.accumulate(w for _, w in agencies))), "n_agencies": PICKS,
        "workdays": workdays, "agency_ids": [a for a, _ in agencies],
        "prefixes": [prefixes[a] for a, _ in agencies],
        "proc_ids": [p.id for p in procedures], "proc_versions": [p.version_id for p in procedures],
        # The competent agency of each (receiving agency, procedure), as `bulkrows` decides it for every bulk path.
        "competent": [competent[(p.version_id, a)] for a, _ in agencies for p in procedures],
        "n_proc_list": len(procedures),
        "proc_fields": [p.field_id or 0 for p in procedures], "proc_days": [p.days for p in procedures],
        "surnames": SURNAMES, "middles": MIDDLE, "givens": GIVEN, "n_surnames": len(SURNAMES),
        "n_middles": len(MIDDLE), "n_givens": len(GIVEN), "f_surnames": [fold(x) for x in SURNAMES],
        "f_middles": [fold(x) for x in MIDDLE], "f_givens": [fold(x) for x in GIVEN],
        "now": synthetic_now(end), "tz": TIME_ZONE,
        "rule_2025": RULE_SET_2025_FROM, "nd118": RuleSet.ND118_2025.value, "nd61": RuleSet.ND61_2018.value,
    }
    first = None
    with transaction.atomic(), connection.cursor() as cursor:
        references = defer_references()
        cursor.execute("SELECT setseed(%s)", [(seed % 2_000_000) / 1_000_000 - 1])
        for done in range(0, n, batch):
            ids = take_ids(Dossier, min(batch, n - done))
            first = ids[0] if first is None else first
            cursor.execute(_SQL, {**params, "ids": ids})
            references.written(Dossier, _REFERENCES, ids)
            if progress:
                progress(done + len(ids))
        references.check()
    return first
