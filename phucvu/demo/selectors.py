"""What the landing page shows beside the seed: the same figures, computed by the system for 2017."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from phucvu.demo.models import DemoRun
from phucvu.demo.profiles import (
    ADMIN_LOGIN,
    AFTER,
    DEMO_LOGINS,
    DEMO_PASSWORD,
    LOGINS_2025,
    PERIOD_FROM,
    PERIOD_TO,
    SEED_INSPECTIONS,
    SEED_VOLUMES,
    TZ,
)
from phucvu.inspections.selectors import inspection_counts
from phucvu.organization.models import Agency, Staff
from phucvu.portal.selectors import (
    SatisfactionCount,
    clerk_satisfaction_counts,
    feedback_counts,
    satisfaction_counts,
)
from phucvu.reports.engine import build_report

INSPECTION_PERIOD = (dt.date(2017, 1, 1), dt.date(2017, 6, 30))  # the seed counts six months


def demo_run() -> DemoRun | None:
    return DemoRun.objects.filter(finished=True).order_by("-id").first()


def report_by_level(date_from: dt.date = PERIOD_FROM, date_to: dt.date = PERIOD_TO) -> dict:
    """`phucvu report --by level` as its JSON contract: the dict the command serialises, built in process
    (the landing page renders it on every request)."""
    return build_report(date_from, date_to, by="level").as_json()


def seed_comparison() -> dict:
    """Rows of (level, seed count, seed share, computed count, computed share) and the on-time rates."""
    report = report_by_level()
    computed = {r["key"]: r["received"]["total"] for r in report["rows"]}
    seed_total = sum(SEED_VOLUMES.values())
    computed_total = sum(computed.get(k, 0) for k in SEED_VOLUMES)
    rows = [{"level": level, "seed": count, "seed_share": 100 * count / seed_total,
             "computed": computed.get(level, 0),
             "computed_share": 100 * computed.get(level, 0) / (computed_total or 1)}
            for level, count in SEED_VOLUMES.items()]
    rate = report["total"].get("on_time_rate")
    return {"rows": rows, "on_time_percent": None if rate is None else 100 * rate,
            "seed_total": seed_total, "computed_total": computed_total}


def inspection_comparison() -> list[dict]:
    counts = inspection_counts(date_from=INSPECTION_PERIOD[0], date_to=INSPECTION_PERIOD[1])
    agencies = {a.code: a for a in Agency.objects.filter(code__in=[c for k in SEED_INSPECTIONS for c in (
        k if isinstance(k, tuple) else (k,))])}
    rows = []
    for key, seed in SEED_INSPECTIONS.items():
        codes = key if isinstance(key, tuple) else (key,)
        present = [agencies[c] for c in codes if c in agencies]
        rows.append({"names": [a.name for a in present], "seed": seed,
                     "computed": sum(counts.get(a.pk, 0) for a in present)})
    return rows


def _province_admin():
    """The demo's system administrator: the landing page's satisfaction figures are what the province sees
    (the portal's counts go through the visibility rule, which needs a user)."""
    return get_user_model().objects.filter(username=ADMIN_LOGIN).first()


def satisfaction_summary(date_from: dt.date = PERIOD_FROM, date_to: dt.date = PERIOD_TO) -> dict | None:
    """Votes cast in the period per level of the receiving agency, and feedback received and answered.

    Computed by the portal's selectors from the replayed votes; the seed has no satisfaction figure."""
    user = _province_admin()
    if user is None:
        return None
    # Whole local days, as the reports count them.
    since = dt.datetime.combine(date_from, dt.time(0), TZ)
    until = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(0), TZ)
    counts = satisfaction_counts(user=user, since=since, until=until)
    levels = dict(Agency.objects.filter(pk__in=counts).values_list("pk", "level"))
    by_level = {level: SatisfactionCount() for level in SEED_VOLUMES}
    total = SatisfactionCount()
    for agency_id, c in counts.items():
        for bucket in (by_level.setdefault(levels[agency_id], SatisfactionCount()), total):
            bucket.very_satisfied += c.very_satisfied
            bucket.satisfied += c.satisfied
            bucket.not_satisfied += c.not_satisfied
    clerks = SatisfactionCount()
    for c in clerk_satisfaction_counts(user=user, since=since, until=until).values():
        clerks.very_satisfied += c.very_satisfied
        clerks.satisfied += c.satisfied
        clerks.not_satisfied += c.not_satisfied
    feedback = feedback_counts(user=user, since=since, until=until, now=until).values()
    return {"rows": [{"level": level, "count": _votes(c)} for level, c in by_level.items() if level in SEED_VOLUMES],
            "total": _votes(total), "clerks": _votes(clerks),
            "feedback": {"received": sum(f.received for f in feedback), "answered": sum(f.answered for f in feedback),
                         "on_time": sum(f.answered_on_time for f in feedback)}}


def period_links(date_from: dt.date = PERIOD_FROM, date_to: dt.date = PERIOD_TO) -> list[tuple[str, str]]:
    """The report pages opened on the replayed period: they default to the current year, which on a demo
    database is empty (history is 2017)."""
    period = f"?from={date_from.isoformat()}&to={date_to.isoformat()}"
    return [(_("Bảng điều hành"), reverse("reports:dashboard") + period),
            (_("Báo cáo mẫu 06"), reverse("reports:form06") + period),
            (_("Chỉ số 766"), reverse("reports:index766") + period),
            (_("Công khai kết quả (tháng %(month)s)") % {"month": f"{date_to.month}/{date_to.year}"},
             reverse("reports:public") + f"?month={date_to:%Y-%m}")]


def _votes(c) -> dict:
    rate = c.satisfied_rate
    return {"total": c.total, "very_satisfied": c.very_satisfied, "satisfied": c.satisfied,
            "not_satisfied": c.not_satisfied, "percent": None if rate is None else 100 * rate}


def logins_text(addr: str) -> str:
    """What `phucvu demo` prints before serving: the demo logins and the report pages on the replayed periods."""
    lines = [f"\nPhục Vụ đang chạy tại http://{addr}/", f"Đăng nhập trình diễn (mật khẩu: {DEMO_PASSWORD}):"]
    run = demo_run()
    reformed = run is not None and run.profile == "quangninh-2025"
    logins = DEMO_LOGINS + LOGINS_2025 if reformed else DEMO_LOGINS
    usernames = [login[0] for login in logins]
    staff = {s.user.username: s for s in Staff.objects.select_related("user", "agency").filter(
        user__username__in=usernames)}
    for username in usernames:
        if username in staff:
            s = staff[username]
            lines.append(f"  {username:<18} {s.get_role_display():<24} {s.agency.name}")
    # The report pages default to the current year; the demo's history is 2017.
    lines.append(f"Báo cáo kỳ {PERIOD_FROM:%d/%m/%Y}–{PERIOD_TO:%d/%m/%Y}:")
    lines += [f"  {label:<34} http://{addr}{url}" for label, url in period_links()]
    if reformed:
        lines.append(f"Sau sắp xếp, kỳ {AFTER[0]:%d/%m/%Y}–{AFTER[1]:%d/%m/%Y} (Nghị định 118/2025/NĐ-CP):")
        lines += [f"  {label:<34} http://{addr}{url}" for label, url in period_links(*AFTER)]
    return "\n".join(lines) + "\n"
