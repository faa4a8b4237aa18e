"""Reads of inspections, scoped: an inspection is visible to those who see its organizer or its target."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext

from phucvu.core.exceptions import InvalidInput, NotFound
from phucvu.core.localtime import start_of_day
from phucvu.core.text import fold
from phucvu.discipline.models import Violation
from phucvu.discipline.selectors.signals import Signal, signals_over
from phucvu.dossiers.models import Dossier
from phucvu.inspections.authority import agencies_where, may
from phucvu.inspections.models import (
    PUBLIC_FIELDS,
    SHARED_RECORDS,
    CheckEntry,
    Finding,
    Inspection,
    InspectionRecord,
    Kind,
    Method,
    Plan,
    PlanItem,
    PlanVersion,
    Reason,
    Recommendation,
    Rotation,
    RotationPair,
    StaffRelation,
)
from phucvu.organization.models import Agency, AgencyKind, Staff
from phucvu.organization.selectors import authority_of, staff_of, visible_agencies
from phucvu.portal.models import Feedback, Satisfaction, SatisfactionVote
from phucvu.reports.selectors import default_period


def visible_inspections(user) -> QuerySet[Inspection]:
    """THE rule for this app: an inspection is seen by whoever sees its organiser or its inspected agency."""
    visible = visible_agencies(user).values("pk")
    return Inspection.objects.filter(Q(organizer__in=visible) | Q(target__in=visible))


def inspection_list(*, user, query: str = "", kind: str = "", status: str = "") -> QuerySet[Inspection]:
    qs = visible_inspections(user)
    if query:
        qs = qs.filter(search_key__contains=fold(query))
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("organizer", "target", "head").order_by("-started_on", "-id")


def inspection_detail(*, user, inspection_id: int) -> Inspection:
    found = (visible_inspections(user).select_related("organizer", "target", "head__agency", "person__agency")
             .prefetch_related("members__agency").filter(pk=inspection_id).first())
    if found is None:
        raise NotFound(gettext("Không có cuộc thanh tra, kiểm tra này, hoặc nó nằm ngoài phạm vi của bạn."))
    return found


@dataclass(frozen=True)
class Clock:
    """The conclusion's clock: due date, days left (negative: late), and whether it is stopped (signed)."""

    due_on: dt.date
    days_left: int
    signed_on: dt.date | None

    @property
    def late(self) -> bool:
        return self.days_left < 0

    @property
    def days_late(self) -> int:
        return max(-self.days_left, 0)


def conclusion_clock(inspection: Inspection, today: dt.date) -> Clock | None:
    if inspection.conclusion_due_on is None:
        return None
    until = inspection.concluded_on or today
    return Clock(due_on=inspection.conclusion_due_on, days_left=(inspection.conclusion_due_on - until).days,
                 signed_on=inspection.concluded_on)


def inspection_team_candidates(*, user, inspection: Inspection | None = None,
                               organizer: Agency | None = None) -> QuerySet[Staff]:
    """Staff the user may put on a team: active, visible, outside the inspected agency's subtree."""
    qs = _visible_staff(user).select_related("agency")
    if inspection is not None:
        qs = qs.exclude(agency__path__startswith=inspection.target.path)
    return qs.order_by("agency__path", "full_name")


def _visible_staff(user, *, active_only: bool = True) -> QuerySet[Staff]:
    """Cadres of the agencies the user sees (the visibility rule), by default only those in post."""
    qs = Staff.objects.filter(agency__in=visible_agencies(user).values("pk"))
    return qs.filter(active=True) if active_only else qs


def inspection_person_candidates(*, user) -> QuerySet[Staff]:
    """Cadres who may be named as the person inspected: active and seen by the user (the service checks that
    they belong to the inspected agency, docs/inspections.md §20)."""
    return _visible_staff(user).select_related("agency").order_by("agency__path", "full_name")


def inspection_counts(*, date_from: dt.date, date_to: dt.date) -> dict[int, int]:
    """Inspections started in [from, to], per organizing agency (public figures, as the seed lists them)."""
    qs = Inspection.objects.filter(started_on__gte=date_from, started_on__lte=date_to)
    return dict(qs.values_list("organizer_id").annotate(n=Count("id")).values_list("organizer_id", "n"))


COUNT_BY = ("organizer", "inspected")


def counts_table(*, date_from: dt.date, date_to: dt.date, by: str = "organizer", kind: str = "",
                 user=None) -> dict:
    """Inspections started in [from, to] per organising (or inspected) agency, split by kind.

    `{"rows": [{"agency", "name", "count", "by_kind": {kind: n}}], "total": n}`, rows by count then code.
    Without a user the whole table (the command line); with one, what the visibility rule lets them see."""
    if by not in COUNT_BY:
        raise InvalidInput(f"Cách đếm “{by}” không hợp lệ: chọn organizer (cơ quan tiến hành) "
                           "hoặc inspected (đơn vị được kiểm tra).")
    if kind and kind not in Kind.values:
        raise InvalidInput(f"Hình thức “{kind}” không hợp lệ: chọn một trong {', '.join(Kind.values)}.")
    if date_from > date_to:
        raise InvalidInput(f"Ngày bắt đầu {date_from:%d/%m/%Y} sau ngày kết thúc {date_to:%d/%m/%Y}.")
    qs = Inspection.objects.filter(started_on__gte=date_from, started_on__lte=date_to)
    if user is not None:
        visible = visible_agencies(user).values("pk")
        qs = qs.filter(Q(organizer__in=visible) | Q(target__in=visible))
    if kind:
        qs = qs.filter(kind=kind)
    column = "organizer" if by == "organizer" else "target"
    per: dict[int, dict[str, int]] = {}
    for agency_id, k, n in qs.values_list(f"{column}_id", "kind").annotate(n=Count("id")).values_list(
            f"{column}_id", "kind", "n"):
        per.setdefault(agency_id, dict.fromkeys(Kind.values, 0))[k] = n
    agencies = Agency.objects.in_bulk(list(per))
    ranked = sorted(per.items(), key=lambda item: (-sum(item[1].values()), agencies[item[0]].code))
    rows = [{"agency": agencies[pk].code, "name": agencies[pk].name, "count": sum(kinds.values()),
             "by_kind": kinds} for pk, kinds in ranked]
    return {"rows": rows, "total": sum(sum(kinds.values()) for kinds in per.values())}


def latest_year(*, user) -> int | None:
    """The year of the latest inspection the user sees: where the counts page opens."""
    last = visible_inspections(user).order_by("-started_on").values_list("started_on", flat=True).first()
    return last.year if last else None


def owner_candidates(inspection: Inspection) -> QuerySet[Staff]:
    """Who a recommendation may name as its owner: active staff of the inspected agency's subtree."""
    return (Staff.objects.filter(active=True, agency__path__startswith=inspection.target.path)
            .select_related("agency").order_by("agency__path", "full_name"))


def recommendations_of(inspection: Inspection, *, today: dt.date) -> list:
    return list(inspection.recommendations.select_related("owner", "owner_person").order_by("due_on", "id"))


def agency_choices(*, user) -> QuerySet[Agency]:
    """Agencies a decision may name (organiser or inspected): open ones the user sees, in tree order."""
    return visible_agencies(user).filter(valid_to__isnull=True).order_by("path")


def visible_recommendations(user) -> QuerySet[Recommendation]:
    """A recommendation is seen by whoever sees its inspection, or its owner agency."""
    visible = visible_agencies(user).values("pk")
    return Recommendation.objects.filter(Q(inspection__organizer__in=visible) | Q(inspection__target__in=visible)
                                         | Q(owner__in=visible))


def recommendation_list(*, user, state: str = "", overdue: bool = False, mine: bool = False,
                        today: dt.date | None = None, query: str = "") -> QuerySet[Recommendation]:
    """Searched by its text, its inspection (code, topic, decision), its owner agency or person."""
    qs = visible_recommendations(user).select_related("inspection", "owner", "owner_person")
    if query:
        key = fold(query)
        qs = qs.filter(Q(search_key__contains=key) | Q(inspection__search_key__contains=key)
                       | Q(owner__search_key__contains=key) | Q(owner_person__search_key__contains=key))
    if state:
        qs = qs.filter(state=state)
    if overdue and today is not None:
        qs = qs.filter(state__in=[Recommendation.State.OPEN, Recommendation.State.IN_PROGRESS], due_on__lt=today)
    if mine:
        me = Staff.objects.filter(user=user).first()
        qs = qs.filter(owner_person=me) if me else qs.none()
    return qs.order_by("state", "due_on", "id")


def recommendation_detail(*, user, recommendation_id: int) -> Recommendation:
    found = (visible_recommendations(user).select_related("inspection__organizer", "inspection__target", "owner",
                                                          "owner_person", "verified_by")
             .filter(pk=recommendation_id).first())
    if found is None:
        raise NotFound(gettext("Không có kiến nghị này, hoặc nó nằm ngoài phạm vi của bạn."))
    return found


def rotation_list(*, user, query: str = "", year: int | None = None) -> QuerySet[Rotation]:
    """Rotations under a parent the user sees, with their pairs; searched by the parent's name or code."""
    visible = visible_agencies(user).values("pk")
    qs = Rotation.objects.filter(parent__in=visible)
    if query:
        qs = qs.filter(parent__search_key__contains=fold(query))
    if year:
        qs = qs.filter(year=year)
    return (qs.select_related("parent").order_by("-year", "-id")
            .prefetch_related("pairs__inspecting", "pairs__inspected", "pairs__inspection", "changes"))


def rotation_detail(*, user, rotation_id: int) -> Rotation:
    found = Rotation.objects.filter(parent__in=visible_agencies(user).values("pk"), pk=rotation_id).first()
    if found is None:
        raise NotFound(gettext("Không có lịch kiểm tra chéo này, hoặc nó nằm ngoài phạm vi của bạn."))
    return found


def rotation_pair(*, user, pair_id: int) -> RotationPair:
    found = (RotationPair.objects.filter(rotation__parent__in=visible_agencies(user).values("pk"))
             .select_related("rotation").filter(pk=pair_id).first())
    if found is None:
        raise NotFound(gettext("Không có cặp kiểm tra chéo này, hoặc nó nằm ngoài phạm vi của bạn."))
    return found


def rotation_parents(*, user) -> QuerySet[Agency]:
    """Agencies with peers under them the user may rotate: district and province authorities they see."""
    return visible_agencies(user).filter(kind__in=["province", "district"], valid_to__isnull=True).order_by("path")


# ---------------------------------------------------------------------------------------------------
# Yearly plans (docs/inspections.md §10)


def visible_plans(user) -> QuerySet[Plan]:
    """A plan is seen by whoever sees its inspecting agency."""
    return Plan.objects.filter(agency__in=visible_agencies(user).values("pk"))


def plan_list(*, user, year: int | None = None, query: str = "") -> QuerySet[Plan]:
    """Searched by the inspecting agency's name or code."""
    qs = visible_plans(user).select_related("agency")
    if year:
        qs = qs.filter(year=year)
    if query:
        qs = qs.filter(agency__search_key__contains=fold(query))
    return qs.annotate(n_items=Count("items", filter=Q(items__withdrawn=False))).order_by("-year", "agency__path")


def plan_detail(*, user, plan_id: int) -> Plan:
    found = visible_plans(user).select_related("agency").filter(pk=plan_id).first()
    if found is None:
        raise NotFound(gettext("Không có kế hoạch này, hoặc nó nằm ngoài phạm vi của bạn."))
    return found


def plan_items(plan: Plan) -> list[PlanItem]:
    return sorted(plan.items.select_related("target", "inspection"), key=lambda i: (i.withdrawn, i.start_month, i.pk))


def plan_item_detail(*, user, item_id: int) -> PlanItem:
    found = (PlanItem.objects.filter(plan__in=visible_plans(user)).select_related("plan__agency", "target")
             .filter(pk=item_id).first())
    if found is None:
        raise NotFound(gettext("Không có nội dung kế hoạch này, hoặc nó nằm ngoài phạm vi của bạn."))
    return found


DIFF_FIELDS = (("topic", "nội dung"), ("target_name", "đơn vị được kiểm tra"), ("month", "tháng"),
               ("quarter", "quý"), ("kind", "hình thức"), ("method", "phương thức"), ("reason", "căn cứ"))
_LABELS = {"kind": dict(Kind.choices), "method": dict(Method.choices), "reason": dict(Reason.choices)}


def _shown(field: str, value) -> str:
    if value in (None, ""):
        return "—"
    return str(_LABELS.get(field, {}).get(value, value))


def plan_diff(old: list[dict], new: list[dict]) -> list[dict]:
    """What changed between two approved versions' items: added, removed, and changed (field by field)."""
    before = {row["id"]: row for row in old}
    after = {row["id"]: row for row in new}
    out: list[dict] = []
    for pk, row in after.items():
        if pk not in before:
            out.append({"change": "added", "topic": row["topic"], "target": row["target_name"], "fields": []})
            continue
        fields = [(label, _shown(f, before[pk].get(f)), _shown(f, row.get(f))) for f, label in DIFF_FIELDS
                  if before[pk].get(f) != row.get(f)]
        if fields:
            out.append({"change": "changed", "topic": row["topic"], "target": row["target_name"], "fields": fields})
    for pk, row in before.items():
        if pk not in after:
            out.append({"change": "removed", "topic": row["topic"], "target": row["target_name"], "fields": []})
    return out


def plan_versions(plan: Plan) -> list[dict]:
    """Every approved version, newest first, each with its difference from the one before."""
    versions = list(plan.versions.select_related("approved_by").order_by("number"))
    rows: list[dict] = []
    previous: PlanVersion | None = None
    for v in versions:
        rows.append({"v": v, "diff": plan_diff(previous.items, v.items) if previous is not None else None})
        previous = v
    return rows[::-1]


def plan_version_items(version: PlanVersion) -> list[dict]:
    return [{**row, **{f: _shown(f, row.get(f)) for f in ("kind", "method", "reason")}} for row in version.items]


# Risk-based proposals: the thresholds (docs/inspections.md §11).
LATE_MIN_DOSSIERS = 20  # a late rate is read only over at least this many dossiers resolved in each half-year
LATE_RISE_POINTS = 5  # late share up by at least this many percentage points, half-year on half-year …
LATE_MIN_SHARE = 10  # … and at least this share now
FEEDBACK_MIN = 3  # citizen feedback or recommendations about the agency in the last 12 months
VOTES_MIN = 20  # satisfaction read only over at least this many current votes
UNSATISFIED_SHARE = 10  # % "not satisfied" at or above this
REPEATED_FINDINGS = 2  # inspections with a violation found, in the last 3 years
BREACHES_MIN = 2  # breaches recorded against its staff in the last 12 months
SIGNALS_MIN = 3  # discipline's signals about its staff in the last SIGNAL_MONTHS months
SIGNAL_MONTHS = 3
SIGNAL_DOSSIERS = 10  # dossiers behind the signals linked from a proposal, at most
PROPOSAL_KINDS = (AgencyKind.DEPARTMENT, AgencyKind.CENTER, AgencyKind.DISTRICT, AgencyKind.COMMUNE,
                  AgencyKind.VERTICAL, AgencyKind.DESK)


def _late_shares(ids: list[int], start: dt.datetime, half: dt.datetime, end: dt.datetime
                 ) -> tuple[dict[int, tuple[int, int]], dict[int, tuple[int, int]]]:
    """Agency id → (dossiers resolved, of which late) in [half, end) and in [start, half): one pass."""
    late = Q(resolved_at__gt=F("due_at"))
    recent, earlier = Q(resolved_at__gte=half), Q(resolved_at__lt=half)
    rows = (Dossier.objects.filter(agency_id__in=ids, resolved_at__gte=start, resolved_at__lt=end,
                                   due_at__isnull=False)
            .values("agency_id").annotate(n=Count("id", filter=recent), late=Count("id", filter=recent & late),
                                          n0=Count("id", filter=earlier), late0=Count("id", filter=earlier & late))
            .values_list("agency_id", "n", "late", "n0", "late0"))
    now: dict[int, tuple[int, int]] = {}
    before: dict[int, tuple[int, int]] = {}
    for agency_id, n, n_late, n0, late0 in rows:
        if n:
            now[agency_id] = (n, n_late)
        if n0:
            before[agency_id] = (n0, late0)
    return now, before


def proposal_targets(agency: Agency) -> QuerySet[Agency]:
    """Whom an inspecting agency may propose to inspect: the open agencies under its authority but itself."""
    root = authority_of(agency)
    return (Agency.objects.filter(path__startswith=root.path, valid_to__isnull=True, kind__in=PROPOSAL_KINDS)
            .exclude(pk=agency.pk))


def risk_proposals(*, plan: Plan, as_of: dt.date) -> list[dict]:
    """Agencies the system's own data points at, for the plan's year, strongest first.

    Each `{"target", "signals": [text], "score", "topic"}`; agencies already in the plan (not withdrawn) are
    left out. Signals read the 12 months before `as_of` (late rates: the last 6 months against the 6 before)."""
    targets = {a.pk: a for a in proposal_targets(plan.agency)}
    if not targets:
        return []
    ids = list(targets)
    end = start_of_day(as_of + dt.timedelta(days=1))
    half = start_of_day(as_of - dt.timedelta(days=182))
    year_ago = start_of_day(as_of - dt.timedelta(days=365))
    signals: dict[int, list[str]] = {}
    score: dict[int, int] = {}

    def add(pk: int, text: str, weight: int) -> None:
        signals.setdefault(pk, []).append(text)
        score[pk] = score.get(pk, 0) + weight

    now, before = _late_shares(ids, year_ago, half, end)
    for pk, (n, late) in now.items():
        n0, late0 = before.get(pk, (0, 0))
        if n < LATE_MIN_DOSSIERS or n0 < LATE_MIN_DOSSIERS:
            continue
        share, share0 = 100 * late / n, 100 * late0 / n0
        if share >= LATE_MIN_SHARE and share - share0 >= LATE_RISE_POINTS:
            add(pk, f"Tỷ lệ hồ sơ trễ hạn tăng từ {share0:.0f}% lên {share:.0f}% (6 tháng gần nhất)", 3)
    for pk, n in (Feedback.objects.filter(agency_id__in=ids, received_at__gte=year_ago, received_at__lt=end)
                  .values("agency_id").annotate(n=Count("id")).values_list("agency_id", "n")):
        if n >= FEEDBACK_MIN:
            add(pk, f"{n} phản ánh, kiến nghị của người dân trong 12 tháng", 2)
    for pk, n, bad in (SatisfactionVote.objects.filter(agency_id__in=ids, current=True, at__gte=year_ago, at__lt=end)
                       .values("agency_id").annotate(n=Count("id"), bad=Count(
                           "id", filter=Q(level=Satisfaction.NOT_SATISFIED)))
                       .values_list("agency_id", "n", "bad")):
        if n >= VOTES_MIN and 100 * bad / n >= UNSATISFIED_SHARE:
            add(pk, f"{100 * bad / n:.0f}% đánh giá không hài lòng ({bad}/{n})", 2)
    three_years = as_of - dt.timedelta(days=3 * 365)
    for pk, n in (Finding.objects.filter(is_violation=True, inspection__target_id__in=ids,
                                         inspection__started_on__gte=three_years,
                                         inspection__started_on__lte=as_of)
                  .values("inspection__target_id").annotate(n=Count("inspection_id", distinct=True))
                  .values_list("inspection__target_id", "n")):
        if n >= REPEATED_FINDINGS:
            add(pk, f"Vi phạm được phát hiện lặp lại qua {n} cuộc thanh tra, kiểm tra trong 3 năm", 3)
    for pk, n in (Violation.objects.filter(staff__agency_id__in=ids, occurred_on__gte=as_of - dt.timedelta(days=365),
                                           occurred_on__lte=as_of)
                  .values("staff__agency_id").annotate(n=Count("id")).values_list("staff__agency_id", "n")):
        if n >= BREACHES_MIN:
            add(pk, f"{n} vi phạm kỷ luật, kỷ cương của cán bộ trong 12 tháng", 2)
    dossiers: dict[int, list[tuple[int, str]]] = {}
    for pk, (n, kinds, behind) in _discipline_signals(ids, as_of).items():
        if n >= SIGNALS_MIN:
            add(pk, f"{n} dấu hiệu về kỷ luật, kỷ cương của cán bộ trong {SIGNAL_MONTHS} tháng từ hồ sơ "
                    f"({'; '.join(kinds)})", 2)
            dossiers[pk] = behind
    planned = set(plan.items.filter(withdrawn=False).values_list("target_id", flat=True))
    ranked = sorted((pk for pk in signals if pk not in planned), key=lambda pk: (-score[pk], targets[pk].code))
    return [{"target": targets[pk], "signals": signals[pk], "score": score[pk], "dossiers": dossiers.get(pk, []),
             "topic": f"Kiểm tra việc giải quyết thủ tục hành chính, kỷ luật, kỷ cương tại {targets[pk].name}"}
            for pk in ranked]


def _discipline_signals(ids: list[int], as_of: dt.date) -> dict[int, tuple[int, list[str], list[tuple[int, str]]]]:
    """Agency id → (signals about its staff in the SIGNAL_MONTHS months up to `as_of`'s, the kinds seen, the
    dossiers behind them) — discipline's own monthly signals (docs/discipline.md §3.3)."""
    # Only whom each signal names and where they work are read here: not the whole cadre and agency rows.
    people = {s.pk: s for s in Staff.objects.filter(agency_id__in=ids).only("id", "agency_id", "full_name")}
    if not people:
        return {}
    now = start_of_day(as_of + dt.timedelta(days=1))
    found: dict[int, list[Signal]] = {}
    months, year, month = [], as_of.year, as_of.month
    for _ in range(SIGNAL_MONTHS):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    for signal in signals_over(people, months, now=now):  # the months read together: one pass each kind
        found.setdefault(signal.staff.agency_id, []).append(signal)
    out = {}
    for pk, seen in found.items():
        kinds = sorted({s.label for s in seen})
        behind = sorted({d for s in seen for d in s.dossiers})[:SIGNAL_DOSSIERS]
        out[pk] = (len(seen), kinds, behind)
    return out


def proposals_as_of(today: dt.date) -> dt.date:
    """The day risk signals are read up to: today, or the end of the last month with dossier activity when
    the history ended earlier (an archive, the 2017 demo)."""
    return min(today, default_period()[1])


def plannable_agencies(*, user) -> QuerySet[Agency]:
    """Agencies whose plan the user may draft: the open ones they see that inspect (not desks or communes)."""
    return visible_agencies(user).filter(valid_to__isnull=True, kind__in=[
        AgencyKind.PROVINCE, AgencyKind.DEPARTMENT, AgencyKind.DISTRICT, AgencyKind.VERTICAL]).order_by("path")


# ---------------------------------------------------------------------------------------------------
# The inspection's file, public page (docs/inspections.md §12)


def sees_team_papers(actor: Staff | None, inspection: Inspection) -> bool:
    """The team's own papers (plan, diary, evidence, report, appraisal) are seen by the inspecting side and
    the team; the inspected side sees only the papers it receives or signs."""
    if actor is None:
        return False
    team = set(inspection.members.values_list("pk", flat=True)) | {inspection.head_id}
    return actor.pk in team or may(actor, "record", organizer_id=inspection.organizer_id)


def inspection_records(*, actor: Staff | None, inspection: Inspection) -> QuerySet[InspectionRecord]:
    qs = inspection.records.select_related("author").order_by("on", "id")
    return qs if sees_team_papers(actor, inspection) else qs.filter(kind__in=SHARED_RECORDS)


def record_detail(*, user, record_id: int) -> InspectionRecord:
    """A record the user may open: its inspection visible, and the paper one they may see."""
    record = (InspectionRecord.objects.filter(inspection__in=visible_inspections(user)).select_related("inspection")
              .filter(pk=record_id).first())
    if record is None or not (record.shared or sees_team_papers(staff_of(user), record.inspection)):
        raise NotFound(gettext("Không có tài liệu này, hoặc bạn không được xem."))
    return record


def check_photo_detail(*, user, entry_id: int) -> CheckEntry:
    entry = (CheckEntry.objects.filter(inspection__in=visible_inspections(user)).select_related("inspection")
             .filter(pk=entry_id).first())
    if entry is None or not entry.photo or not sees_team_papers(staff_of(user), entry.inspection):
        raise NotFound(gettext("Không có ảnh này, hoặc bạn không được xem."))
    return entry


def published(*, today: dt.date, query: str = "") -> QuerySet[Inspection]:
    """Conclusions on the public portal today: published, within their window; `query` (accents optional)
    matches the code, topic or decision number, or the organising or inspected agency's name."""
    qs = Inspection.objects.filter(published_on__lte=today, published_until__gte=today)
    if query:
        key = fold(query)
        qs = qs.filter(Q(search_key__contains=key) | Q(organizer__search_key__contains=key)
                       | Q(target__search_key__contains=key))
    return qs.select_related("organizer", "target").order_by("-published_on", "-id")


def public_view(inspection: Inspection) -> dict:
    """Only the fields marked public (PUBLIC_FIELDS), as the portal shows them."""
    out = {}
    for name in PUBLIC_FIELDS:
        value = getattr(inspection, name)
        out[name] = value.name if isinstance(value, Agency) else value
    out["kind"] = inspection.get_kind_display()
    return out


def public_detail(*, inspection_id: int, today: dt.date) -> dict:
    found = published(today=today).filter(pk=inspection_id).first()
    if found is None:
        raise NotFound(gettext("Không có kết luận đang công khai này."))
    return public_view(found)


# ---------------------------------------------------------------------------------------------------
# What needs looking at now (docs/inspections.md §16)


def watchlist(*, user, actor: Staff | None, today: dt.date, limit: int = 50) -> dict:
    """The inspector's page: plan items due and not decided, conclusions late, directives late,
    recommendations overdue, and the agencies at risk for the actor's own plan — all under the visibility
    rule."""
    plans = visible_plans(user).filter(year=today.year, approved_version__gt=0)
    due_items = [it for it in PlanItem.objects.filter(plan__in=plans, withdrawn=False, inspection__isnull=True)
                 .select_related("plan__agency", "target") if it.start_month <= today.month]
    approved: dict[int, set[int]] = {}
    for v in PlanVersion.objects.filter(plan__in=plans).order_by("plan_id", "number"):
        approved[v.plan_id] = {row["id"] for row in v.items}
    due_items = sorted((it for it in due_items if it.pk in approved.get(it.plan_id, set())),
                       key=lambda it: (it.start_month, it.pk))
    seen = visible_inspections(user).select_related("organizer", "target")
    late_conclusions_qs = seen.filter(status="draft", conclusion_due_on__lt=today).order_by("conclusion_due_on")
    overrun_qs = seen.filter(status="ongoing", ends_by__lt=today).order_by("ends_by")
    late_directives_qs = seen.filter(status="concluded", directive_on__isnull=True,
                                     directive_due_on__lt=today).order_by("directive_due_on")
    late_conclusions, overrun = list(late_conclusions_qs[:limit]), list(overrun_qs[:limit])
    late_directives = list(late_directives_qs[:limit])
    overdue = recommendation_list(user=user, overdue=True, today=today).order_by("due_on", "id")
    at_risk: list[dict] = []
    own_plan = None
    if actor is not None:
        own_plan = Plan.objects.filter(agency_id=actor.agency_id, year=today.year).first()
        if own_plan is not None:
            at_risk = risk_proposals(plan=own_plan, as_of=proposals_as_of(today))[:10]
    return {"due_items": due_items[:limit], "late_conclusions": late_conclusions, "overrun": overrun,
            "late_directives": late_directives, "overdue": list(overdue[:limit]), "overdue_count": overdue.count(),
            "at_risk": at_risk, "own_plan": own_plan,
            # The counts are of everything, not of the rows shown (the home page shows none of them).
            "counts": {"due_items": len(due_items), "late_conclusions": late_conclusions_qs.count() + overrun_qs.count(),
                       "late_directives": late_directives_qs.count(), "overdue": overdue.count(),
                       "at_risk": len(at_risk)}}


# ---------------------------------------------------------------------------------------------------
# Declared relations (docs/inspections.md §20): personal data, seen by those who may record them


def visible_relations(user) -> QuerySet[StaffRelation]:
    """The relations declared by cadres of agencies the reader sees (the visibility rule) and may record
    relations for (the authority table's `relation`): the personnel office and the inspecting side."""
    actor = staff_of(user)
    return StaffRelation.objects.filter(staff__agency__in=visible_agencies(user).values("pk")).filter(
        staff__agency__in=agencies_where(actor, "relation").values("pk"))


RELATION_STATES = ("active", "ended")


def in_force(on: dt.date) -> Q:
    """A declared relation in force on `on`: not ended on or before that day (docs/inspections.md §20)."""
    return Q(ended_on__isnull=True) | Q(ended_on__gt=on)


def relation_list(*, user, query: str = "", state: str = "", kind: str = "",
                  today: dt.date | None = None) -> QuerySet[StaffRelation]:
    qs = visible_relations(user)
    if query:
        key = fold(query)
        qs = qs.filter(Q(staff__search_key__contains=key) | Q(relative__search_key__contains=key)
                       | Q(agency__search_key__contains=key))
    if kind:
        qs = qs.filter(kind=kind)
    if state and today is not None:
        qs = qs.exclude(in_force(today)) if state == "ended" else qs.filter(in_force(today))
    return qs.select_related("staff__agency", "relative__agency", "agency", "recorded_by").order_by(
        "-declared_on", "-id")


def relation_detail(*, user, relation_id: int) -> StaffRelation:
    found = (visible_relations(user).select_related("staff__agency", "relative__agency", "agency", "recorded_by")
             .filter(pk=relation_id).first())
    if found is None:
        raise NotFound(gettext("Không có quan hệ đã kê khai này, hoặc nó nằm ngoài phạm vi của bạn."))
    return found


def relation_declarers(*, user) -> QuerySet[Staff]:
    """The cadres whose relations the reader may record: of the agencies of `relation` they see."""
    actor = staff_of(user)
    return (_visible_staff(user).filter(agency__in=agencies_where(actor, "relation").values("pk"))
            .select_related("agency").order_by("agency__path", "full_name"))


def relation_relatives(*, user) -> QuerySet[Staff]:
    """The cadres a relation may be declared with: those the reader sees."""
    return _visible_staff(user, active_only=False).select_related("agency").order_by("agency__path", "full_name")


def relation_reads(relation: StaffRelation, limit: int = 10) -> list:
    return list(relation.reads.select_related("user__staff")[:limit])
