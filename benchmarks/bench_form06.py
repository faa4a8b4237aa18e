"""`python -m benchmarks form06`: report form 06 of the whole demo province, as PDF and as a page.

Builds the demo (`phucvu demo`'s builder, BENCH_FORM06_SCALE, default the command's) in a throw-away test
database, then, as the province's leader: the report and its PDF (`reports.exports.render`, median of
BENCH_FORM06_REPEAT runs), the XLSX, and the sizes of the form 06 page (folded, `?tree=all`, one district
unfolded) through Django's test client. Prints figures; asserts nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import time

from benchmarks.support import in_test_database, median_ms

REPEAT = int(os.environ.get("BENCH_FORM06_REPEAT", "5"))
PERIOD = (dt.date(2017, 1, 1), dt.date(2017, 7, 31))


def main() -> None:
    in_test_database(_run)


def _run() -> None:
    from django.test import Client
    from django.urls import reverse

    from phucvu.demo import builder
    from phucvu.demo.management.commands.demo import DEFAULT_SCALE
    from phucvu.organization.models import Agency, Staff
    from phucvu.reports import selectors
    from phucvu.reports.exports import render

    scale = float(os.environ.get("BENCH_FORM06_SCALE", DEFAULT_SCALE))
    started = time.perf_counter()
    builder.build(profile="quangninh-2017", scale=scale, seed=2017, out=io.StringIO(), quiet=True)
    print(f"   demo built at scale {scale} in {time.perf_counter() - started:.1f} s")
    leader = Staff.objects.select_related("user").get(user__username="lanhdao.tinh")
    report_ms, report = median_ms(lambda: selectors.report_for(leader.user, date_from=PERIOD[0], date_to=PERIOD[1]),
                                  REPEAT)
    print(f"   report by agency: {len(report.rows)} rows in {report_ms:.0f} ms (median of {REPEAT})")
    for fmt in ("pdf", "xlsx"):
        ms, data = median_ms(lambda fmt=fmt: render(report, fmt), REPEAT)
        extra = ""
        if fmt == "pdf":
            from pypdf import PdfReader

            extra = f", {len(PdfReader(io.BytesIO(data)).pages)} pages"
        print(f"   {fmt.upper()} of the whole province: {ms:.0f} ms (median of {REPEAT}), {len(data) / 1024:.0f} KiB{extra}")
    ms, _ = median_ms(lambda: render(selectors.report_for(leader.user, date_from=PERIOD[0], date_to=PERIOD[1]),
                                     "pdf"), REPEAT)
    print(f"   report + PDF: {ms:.0f} ms (median of {REPEAT})")

    client = Client()
    client.force_login(leader.user)
    url = reverse("reports:form06")
    query = {"from": PERIOD[0].isoformat(), "to": PERIOD[1].isoformat()}
    for label, extra in (("folded (default)", {}), ("every row (?tree=all)", {"tree": "all"})):
        ms, response = median_ms(lambda extra=extra: client.get(url, {**query, **extra}), REPEAT)
        html = response.content.decode()
        print(f"   page {label}: {len(response.content):,} bytes, {html.count('<tr')} rows, {ms:.0f} ms")
    district = Agency.objects.get(code="D193")
    ms, response = median_ms(lambda: client.get(url, {**query, "children_of": district.pk, "depth": 1, "n": "20"}),
                             REPEAT)
    print(f"   unfolding {district.name}: {len(response.content):,} bytes, "
          f"{response.content.decode().count('<tr')} rows, {ms:.0f} ms")
