"""Every read of the citizen side.

Citizens see a dossier or a feedback only with its code and the secret printed for them; staff see
feedback through the one visibility rule (`visible_agencies`). Counts per agency are here for reports.
"""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass, field

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from phucvu.catalog.models import OnlineLevel, Procedure, ProcedureOffering, ProcedureVersion
from phucvu.catalog.selectors import procedure_ranked, procedure_search
from phucvu.core.exceptions import NotFound
from phucvu.core.localtime import start_of_day
from phucvu.core.numbers import money
from phucvu.core.text import fold
from phucvu.dossiers.models import Dossier, DossierEvent, DossierStep, EventKind, Result, ResultRecord, Status
from phucvu.dossiers.selectors import dossier_events, result_record
from phucvu.organization.models import Agency, AgencyKind, Staff
from phucvu.organization.selectors import visible_agencies
from phucvu.portal.models import (
    Feedback,
    FeedbackAttachment,
    FeedbackStatus,
    SatisfactionVote,
    SubmissionPaper,
)

# One message for every failed look-up: it must not tell whether the code or the secret was wrong.
NOT_FOUND_MESSAGE = gettext_noop("Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu đã nhập. Vui lòng kiểm tra lại giấy hẹn.")
FEEDBACK_NOT_FOUND_MESSAGE = gettext_noop("Không tìm thấy phản ánh với mã và mã tra cứu đã nhập.")
_DUMMY_SECRET = "X" * 8


def normalize_key(text: str | None) -> str:
    """A code or secret as typed from paper or a phone keyboard: spaces dropped, upper case.

    Codes and secrets are upper case by construction (`dossiers.codes`), so "000.00.21.h41 - 260309-0001"
    and "abcd efgh" are the same key as printed; a miss caused only by case or spacing is not a miss.
    """
    return "".join((text or "").split()).upper()


def _same_secret(stored: str | None, given: str) -> bool:
    # Constant time, and the same work whether or not the code exists.
    typed = normalize_key(given).encode()
    return hmac.compare_digest((stored or _DUMMY_SECRET).encode(), typed) and stored is not None


def dossier_for_citizen(*, code: str, secret: str) -> Dossier:
    """The dossier whose code and secret both match, else NotFound with one generic message.

    The only look-up by code and secret: it fetches by code only and compares the secret in constant time
    (not in SQL), so response time does not leak how much of a secret was right.
    """
    code = normalize_key(code)
    dossiers = Dossier.objects.select_related("procedure", "agency", "agency__parent", "current_step",
                                              "current_step__agency")
    found = dossiers.filter(code=code).first() if code else None
    if found is None and code:
        # A code made from an agency's own code may hold lower case (docs/portal.md): the unique index
        # answers the usual upper-case code, this slower match only a miss (throttled).
        found = dossiers.filter(code__iexact=code).first()
    if not _same_secret(found.secret if found else None, secret) or found is None:
        raise NotFound(gettext(NOT_FOUND_MESSAGE))
    return found


def feedback_for_citizen(*, code: str, secret: str) -> Feedback:
    code = normalize_key(code)
    found = Feedback.objects.select_related("agency", "dossier").filter(code=code).first() if code else None
    if not _same_secret(found.secret if found else None, secret) or found is None:
        raise NotFound(gettext(FEEDBACK_NOT_FOUND_MESSAGE))
    return found


# --- the public status page ------------------------------------------------------------------------

STATUS_EXPLAINED: dict[str, str] = {
    Status.SUBMITTED: gettext_noop("Hồ sơ đã được gửi trực tuyến, đang chờ Bộ phận Một cửa kiểm tra và tiếp nhận. "
                                   "Thời hạn giải quyết được tính từ khi hồ sơ được tiếp nhận."),
    Status.RECEIVED: gettext_noop("Hồ sơ đã được tiếp nhận và đang chuyển đến bộ phận giải quyết."),
    Status.REFUSED: gettext_noop("Hồ sơ không được tiếp nhận. Lý do được nêu bên dưới."),
    Status.PROCESSING: gettext_noop("Hồ sơ đang được giải quyết."),
    Status.AWAITING_SUPPLEMENT: gettext_noop("Hồ sơ cần bổ sung giấy tờ. Thời hạn giải quyết tạm dừng cho đến khi "
                                             "ông/bà bổ sung đủ các giấy tờ nêu bên dưới."),
    Status.AWAITING_PAYMENT: gettext_noop("Đang chờ ông/bà thực hiện nghĩa vụ tài chính (thuế, phí, lệ phí). "
                                          "Thời hạn giải quyết tạm dừng trong thời gian này."),
    Status.WITHDRAWN: gettext_noop("Hồ sơ đã được rút theo yêu cầu của người nộp."),
    Status.STOPPED: gettext_noop("Hồ sơ đã dừng xử lý. Lý do được nêu bên dưới."),
    Status.RESOLVED: gettext_noop("Đã có kết quả. Mời ông/bà đến nơi nộp hồ sơ để nhận kết quả."),
    Status.RETURNED: gettext_noop("Đã trả kết quả cho người nộp."),
    Status.TRANSFERRED: gettext_noop("Hồ sơ đã được chuyển liên thông sang hệ thống khác."),
}

# What a citizen reads for each event; notes the law has the agency send to the citizen (refusal,
# apology, stop, refused result) are shown, every other note is internal and stays hidden.
PUBLIC_EVENT: dict[str, tuple[str, bool]] = {
    EventKind.SUBMITTED: (gettext_noop("Nộp hồ sơ trực tuyến"), False),
    EventKind.RECEIVED: (gettext_noop("Tiếp nhận hồ sơ"), False),
    EventKind.ACCEPTED: (gettext_noop("Hồ sơ trực tuyến được tiếp nhận"), False),
    EventKind.REFUSED: (gettext_noop("Không tiếp nhận hồ sơ"), True),
    EventKind.ASSIGNED: (gettext_noop("Phân công cán bộ giải quyết"), False),
    EventKind.FORWARDED: (gettext_noop("Chuyển bước xử lý"), False),
    EventKind.SUPPLEMENT_REQUESTED: (gettext_noop("Yêu cầu bổ sung giấy tờ"), False),
    EventKind.PAYMENT_REQUESTED: (gettext_noop("Yêu cầu thực hiện nghĩa vụ tài chính"), False),
    EventKind.RESUMED: (gettext_noop("Tiếp tục giải quyết"), False),
    EventKind.APOLOGIZED: (gettext_noop("Xin lỗi và hẹn lại ngày trả kết quả"), True),
    EventKind.APPROVED: (gettext_noop("Lãnh đạo phê duyệt kết quả"), False),
    EventKind.RESOLVED: (gettext_noop("Có kết quả giải quyết"), False),
    EventKind.RETURNED: (gettext_noop("Trả kết quả"), False),
    EventKind.WITHDRAWN: (gettext_noop("Rút hồ sơ"), False),
    EventKind.STOPPED: (gettext_noop("Dừng xử lý hồ sơ"), True),
    EventKind.TRANSFERRED: (gettext_noop("Chuyển đơn vị kế thừa giải quyết"), False),
    EventKind.IMPORTED: (gettext_noop("Hồ sơ chuyển từ hệ thống cũ"), False),
}


@dataclass
class PublicEvent:
    at: dt.datetime
    title: str
    place: str = ""
    detail: str = ""
    items: list[str] = field(default_factory=list)


@dataclass
class PublicStatus:
    code: str
    status: str
    status_label: str
    portal_code: int
    explanation: str
    procedure: str
    procedure_code: str
    agency: str
    applicant_name: str
    channel: str
    submitted_at: dt.datetime | None
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    reappointed_at: dt.datetime | None
    resolved_at: dt.datetime | None
    returned_at: dt.datetime | None
    result: str
    result_label: str
    reason: str
    result_ready: bool
    paused: bool
    missing: list[str]
    timeline: list[PublicEvent]
    can_vote: bool
    vote: SatisfactionVote | None


def hand_over_text(event) -> str:
    """"Nguyễn Văn A (Trung tâm HCC) bàn giao cho Trần Thị B (Phòng QLĐT)": who handed the dossier over and
    who received it, with their units, as recorded when it was forwarded."""
    data = event.data or {}
    giver = event.actor.full_name if event.actor_id and event.actor else ""
    from_unit = data.get("from_agency", "")
    to_unit = data.get("to_agency") or (event.step.agency.name if event.step and event.step.agency_id else "")
    taker = data.get("to_assignee", "")

    def who(name: str, unit: str) -> str:
        return f"{name} ({unit})" if name and unit else name or unit

    if not (giver or from_unit):
        return ""
    return gettext("%(giver)s bàn giao cho %(taker)s") % {"giver": who(giver, from_unit),
                                                          "taker": who(taker, to_unit)}


def _public_event(event) -> PublicEvent:
    title, show_note = PUBLIC_EVENT.get(event.kind, (event.get_kind_display(), False))
    title = gettext(title)
    data = event.data or {}
    place = event.step.agency.name if event.step_id and event.step and event.step.agency_id else ""
    out = PublicEvent(at=event.at, title=title, place=place)
    if event.kind == EventKind.FORWARDED and event.step_id:
        out.title = gettext("Chuyển sang bước: %(step)s") % {"step": event.step.name}
        out.detail = hand_over_text(event)
    elif event.kind == EventKind.SUPPLEMENT_REQUESTED:
        out.items = list(data.get("missing") or [])
    elif event.kind == EventKind.PAYMENT_REQUESTED and data.get("amount"):
        out.detail = gettext("Số tiền: %(amount)s") % {"amount": money(data["amount"])}
    elif event.kind == EventKind.APOLOGIZED and data.get("reappointed_at"):
        new = timezone.localtime(dt.datetime.fromisoformat(data["reappointed_at"]))
        out.detail = gettext("Hẹn lại: %(moment)s.") % {"moment": f"{new:%H:%M %d/%m/%Y}"}
    elif event.kind == EventKind.RESOLVED:
        out.detail = str(Result(data["result"]).label) if data.get("result") in Result.values else ""
        show_note = data.get("result") == Result.REFUSED
    if show_note and event.note:
        out.detail = f"{out.detail} {event.note}".strip()
    return out


def public_status(dossier: Dossier) -> PublicStatus:
    """What the citizen sees: status in plain words, appointment, public timeline, missing papers."""
    events = list(dossier_events(dossier).select_related("step__agency"))
    missing: list[str] = []
    if dossier.status == Status.AWAITING_SUPPLEMENT:
        requests = [e for e in events if e.kind == EventKind.SUPPLEMENT_REQUESTED]
        if requests:
            missing = list((requests[-1].data or {}).get("missing") or [])
    reason = dossier.result_note if (dossier.status in (Status.REFUSED, Status.STOPPED)
                                     or dossier.result == Result.REFUSED) else ""
    return PublicStatus(
        code=dossier.code, status=dossier.status, status_label=str(Status(dossier.status).label),
        portal_code=dossier.portal_code, explanation=gettext(STATUS_EXPLAINED[dossier.status]) if dossier.status in STATUS_EXPLAINED else "",
        procedure=dossier.procedure.name, procedure_code=dossier.procedure.code, agency=dossier.agency.name,
        applicant_name=dossier.applicant_name, channel=dossier.get_channel_display(),
        submitted_at=dossier.submitted_at, received_at=dossier.received_at, due_at=dossier.due_at,
        reappointed_at=dossier.reappointed_at, resolved_at=dossier.resolved_at, returned_at=dossier.returned_at,
        result=dossier.result, result_label=dossier.get_result_display() if dossier.result else "",
        reason=reason, result_ready=dossier.status == Status.RESOLVED,
        paused=dossier.is_paused, missing=missing, timeline=[_public_event(e) for e in events],
        can_vote=can_vote(dossier), vote=current_vote(dossier.pk) if can_vote(dossier) else None,
    )


def result_copy(dossier: Dossier) -> ResultRecord | None:
    """The recorded result whose signed document the citizen may download (once the result exists)."""
    if dossier.status not in (Status.RESOLVED, Status.RETURNED):
        return None
    record = result_record(dossier)
    return record if record is not None and record.document else None


# --- satisfaction ----------------------------------------------------------------------------------

def can_vote(dossier: Dossier) -> bool:
    """A vote is taken once the result has been handed back."""
    return dossier.status == Status.RETURNED


def current_vote(dossier_id: int) -> SatisfactionVote | None:
    return SatisfactionVote.objects.filter(dossier_id=dossier_id, current=True).first()


def vote_history(dossier_id: int) -> QuerySet[SatisfactionVote]:
    return SatisfactionVote.objects.filter(dossier_id=dossier_id).order_by("at", "id")


def served_by(dossier: Dossier):
    """The clerk a vote on the clerk concerns: who handed the result back, else who received it."""
    returned = [e for e in dossier_events(dossier) if e.kind == EventKind.RETURNED and e.actor_id]
    return returned[-1].actor if returned else dossier.received_by


@dataclass
class SatisfactionCount:
    very_satisfied: int = 0
    satisfied: int = 0
    not_satisfied: int = 0

    @property
    def total(self) -> int:
        return self.very_satisfied + self.satisfied + self.not_satisfied

    @property
    def satisfied_rate(self) -> float | None:
        """Share of votes that are satisfied or very satisfied (None without votes)."""
        return (self.very_satisfied + self.satisfied) / self.total if self.total else None


def _period(qs: QuerySet, field_name: str, since: dt.datetime | None, until: dt.datetime | None) -> QuerySet:
    if since is not None:
        qs = qs.filter(**{f"{field_name}__gte": since})
    if until is not None:
        qs = qs.filter(**{f"{field_name}__lt": until})
    return qs


def satisfaction_counts(*, user, since: dt.datetime | None = None,
                        until: dt.datetime | None = None) -> dict[int, SatisfactionCount]:
    """Current votes per agency (the dossier's receiving agency) in the user's scope, cast in [since, until).

    One grouped query; reports may sum the agencies of a subtree."""
    qs = _period(SatisfactionVote.objects.filter(current=True, agency_id__in=visible_agencies(user).values("pk")),
                 "at", since, until)
    counts: dict[int, SatisfactionCount] = {}
    for agency_id, level, n in qs.values_list("agency_id", "level").annotate(n=Count("id")).order_by():
        setattr(counts.setdefault(agency_id, SatisfactionCount()), level, n)
    return counts


def clerk_satisfaction_counts(*, user, since: dt.datetime | None = None,
                              until: dt.datetime | None = None) -> dict[int, SatisfactionCount]:
    """Current votes on clerks (staff id → counts), for the discipline signals on attitude."""
    qs = _period(SatisfactionVote.objects.filter(current=True, clerk__isnull=False)
                 .exclude(clerk_level="").filter(agency_id__in=visible_agencies(user).values("pk")),
                 "at", since, until)
    counts: dict[int, SatisfactionCount] = {}
    for clerk_id, level, n in qs.values_list("clerk_id", "clerk_level").annotate(n=Count("id")).order_by():
        setattr(counts.setdefault(clerk_id, SatisfactionCount()), level, n)
    return counts


# --- feedback --------------------------------------------------------------------------------------

def feedback_list(user, *, query: str = "", status: str = "", overdue: bool = False,
                  now: dt.datetime | None = None) -> QuerySet[Feedback]:
    """Feedback addressed to agencies the user sees, open ones first by due moment."""
    qs = Feedback.objects.filter(agency_id__in=visible_agencies(user).values("pk"))
    query = (query or "").strip()
    if query:
        words = Q()
        for word in fold(query).split():
            words &= Q(search_key__contains=word)
        qs = qs.filter(Q(code__iexact=query) | words)
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status=FeedbackStatus.RECEIVED, due_at__lt=now or timezone.now())
    return qs.select_related("agency", "dossier").order_by("-status", "due_at", "id")


def feedback_get(user, pk: int) -> Feedback:
    found = feedback_list(user).filter(pk=pk).first()
    if found is None:
        # Not visible reads as not found: a page must not tell which feedback exists elsewhere.
        raise NotFound(gettext("Không tìm thấy phản ánh, kiến nghị hoặc bạn không có quyền xem."))
    return found


def feedback_of_dossier(dossier_id: int) -> QuerySet[Feedback]:
    return Feedback.objects.filter(dossier_id=dossier_id).order_by("received_at", "id")


@dataclass
class FeedbackCount:
    received: int = 0
    answered: int = 0
    answered_on_time: int = 0
    open_overdue: int = 0


def feedback_counts(*, user, since: dt.datetime | None = None, until: dt.datetime | None = None,
                    now: dt.datetime | None = None) -> dict[int, FeedbackCount]:
    """Per agency: feedback received in the period, answered, answered by the due moment, still open
    and overdue — the "feedback handled on time" indicator of docs/domain.md §13."""

    now = now or timezone.now()
    qs = _period(Feedback.objects.filter(agency_id__in=visible_agencies(user).values("pk")),
                 "received_at", since, until)
    rows = qs.values("agency_id").annotate(
        received=Count("id"),
        answered=Count("id", filter=~Q(status=FeedbackStatus.RECEIVED)),
        answered_on_time=Count("id", filter=Q(answered_at__isnull=False, answered_at__lte=F("due_at"))),
        open_overdue=Count("id", filter=Q(status=FeedbackStatus.RECEIVED, due_at__lt=now)),
    ).order_by()
    return {r.pop("agency_id"): FeedbackCount(**r) for r in rows}


FEEDBACK_AGENCY_KINDS = [AgencyKind.PROVINCE, AgencyKind.DEPARTMENT, AgencyKind.CENTER, AgencyKind.DISTRICT,
                         AgencyKind.COMMUNE, AgencyKind.VERTICAL]


def feedback_agencies() -> list[tuple[int, str]]:
    """The agencies a citizen may address feedback to (today's tree)."""
    return list(Agency.objects.filter(kind__in=FEEDBACK_AGENCY_KINDS, valid_to__isnull=True)
                .order_by("path").values_list("pk", "name"))


# --- online submission -----------------------------------------------------------------------------

ONLINE_RECEIVING_KINDS = [AgencyKind.DESK, AgencyKind.CENTER]


def online_procedures(*, query: str = "") -> list[Procedure]:
    """Procedures that take online dossiers, searched as the public catalogue is (ranked, accent- and
    case-insensitive, everyday words ignored: "làm giấy khai sinh" finds "Đăng ký khai sinh" first)."""
    return procedure_ranked(query=query, online_only=True)


def online_procedure(pk: int) -> Procedure:
    found = procedure_search(online_only=True).filter(pk=pk).first()
    if found is None:
        raise NotFound(gettext("Thủ tục không có hoặc không nhận hồ sơ trực tuyến."))
    return found


def online_agencies_for(procedure: Procedure) -> list[tuple[int, str]]:
    """One-stop desks and centers that take this procedure online: an offering row says so explicitly;
    without a row, a desk or center of one of the procedure's levels does."""
    if procedure.current_version is None or procedure.current_version.online_level == OnlineLevel.NONE:
        return []
    offerings = list(ProcedureOffering.objects.filter(procedure=procedure)
                     .values_list("agency_id", "active", "online"))  # one row per agency (unique)
    rows = {pk: active for pk, active, _ in offerings}
    online_off = {pk for pk, _, online in offerings if not online}
    explicit = [pk for pk, active in rows.items() if active]
    qs = Agency.objects.filter(valid_to__isnull=True).filter(
        Q(pk__in=explicit) | Q(kind__in=ONLINE_RECEIVING_KINDS, level__in=procedure.level_list))
    return [(pk, name) for pk, name in qs.order_by("path").values_list("pk", "name")
            if rows.get(pk, True) and pk not in online_off]


def submission_papers(dossier_id: int) -> QuerySet[SubmissionPaper]:
    """The papers uploaded with the online submission (not the supplements)."""
    return SubmissionPaper.objects.filter(dossier_id=dossier_id, request_event__isnull=True).order_by("id")


def online_papers(dossier_id: int) -> QuerySet[SubmissionPaper]:
    """Every file a citizen uploaded for a dossier: with the submission and as supplements."""
    return SubmissionPaper.objects.filter(dossier_id=dossier_id).select_related("request_event").order_by("id")


@dataclass
class SupplementRequest:
    event_id: int
    at: dt.datetime
    missing: list[str]
    sent: dict[str, SubmissionPaper]  # the latest file sent online for each missing paper

    @property
    def waiting(self) -> list[str]:
        return [m for m in self.missing if m not in self.sent]

    @property
    def complete(self) -> bool:
        return not self.waiting


def supplement_request(dossier: Dossier) -> SupplementRequest | None:
    """The supplement request the dossier waits on (its latest), with the papers already sent online."""
    if dossier.status != Status.AWAITING_SUPPLEMENT:
        return None
    event = dossier_events(dossier).filter(kind=EventKind.SUPPLEMENT_REQUESTED).order_by("-at", "-id").first()
    if event is None:
        return None
    sent = {p.label: p for p in SubmissionPaper.objects.filter(dossier_id=dossier.pk, request_event_id=event.pk)
            .order_by("id")}
    return SupplementRequest(event_id=event.pk, at=event.at, missing=list((event.data or {}).get("missing") or []),
                             sent=sent)


CHANNEL_LABELS = {"zalo": gettext_noop("Zalo"), "sms": gettext_noop("Tin nhắn SMS"),
                  "email": gettext_noop("Thư điện tử")}


def channel_labels(channels: list[str] | None) -> str:
    """How the applicant chose to be told, in words (None: the installation's defaults; []: nothing)."""
    if channels is None:
        return gettext("Zalo, tin nhắn SMS hoặc thư điện tử (mặc định)")
    if not channels:
        return gettext("Không nhận thông báo")
    return ", ".join(gettext(CHANNEL_LABELS[c]) for c in channels if c in CHANNEL_LABELS)


# --- the public catalogue: where to file -------------------------------------------------------------

FILING_KINDS = [AgencyKind.DESK, AgencyKind.CENTER]


@dataclass
class Place:
    agency: Agency
    commune: str  # the commune (or district, or province) the desk serves
    distance: int | None = None  # steps in the tree from the citizen's commune


@dataclass
class PlaceGroup:
    label: str  # the district, or the province for its own centre
    places: list[Place]


def _today_agencies() -> dict[int, Agency]:
    return {a.pk: a for a in Agency.objects.filter(valid_to__isnull=True)}


def _chain(agency: Agency, by_id: dict[int, Agency]) -> list[Agency]:
    """The agency and its ancestors, nearest first."""
    out = [agency]
    while out[-1].parent_id and out[-1].parent_id in by_id and len(out) < 12:
        out.append(by_id[out[-1].parent_id])
    return out


def _distance(a: list[Agency], b: list[Agency]) -> int:
    ids_b = {x.pk: i for i, x in enumerate(b)}
    for i, x in enumerate(a):
        if x.pk in ids_b:
            return i + ids_b[x.pk]
    return 99


def filing_places(procedure: Procedure, *, near: int | None = None, query: str = "") -> list[PlaceGroup]:
    """Where to file a procedure: the one-stop desks and centres of its levels (an offering row adds or
    removes an agency), grouped by district, each named with the commune it serves. With `near` (a
    commune the citizen chose) the nearest come first, by steps in the agency tree."""
    by_id = _today_agencies()
    offerings = dict(ProcedureOffering.objects.filter(procedure=procedure).values_list("agency_id", "active"))
    levels = set(procedure.level_list)
    chosen = [a for a in by_id.values() if a.kind in FILING_KINDS
              and (offerings.get(a.pk) if a.pk in offerings else a.level in levels)]
    words = fold(query).split()
    origin = _chain(by_id[near], by_id) if near in by_id else None
    groups: dict[str, PlaceGroup] = {}
    order: dict[str, tuple] = {}
    for agency in chosen:
        chain = _chain(agency, by_id)
        served = next((a for a in chain[1:] if a.kind in (AgencyKind.COMMUNE, AgencyKind.DISTRICT,
                                                           AgencyKind.PROVINCE)), None)
        district = next((a for a in chain if a.kind == AgencyKind.DISTRICT), None)
        key_text = fold(" ".join(a.name for a in chain) + " " + agency.address)
        if words and not all(w in key_text for w in words):
            continue
        place = Place(agency=agency, commune=served.name if served else "",
                      distance=_distance(chain, origin) if origin else None)
        label = district.name if district else (chain[-1].name if chain else "")
        group = groups.setdefault(label, PlaceGroup(label=label, places=[]))
        group.places.append(place)
        rank = (place.distance if place.distance is not None else 0, district.path if district else "")
        order[label] = min(order.get(label, rank), rank)
    for group in groups.values():
        group.places.sort(key=lambda p: (p.distance if p.distance is not None else 0, p.agency.path))
    return [groups[label] for label in sorted(groups, key=lambda k: (order[k], k))]


def communes_by_district() -> list[tuple[str, list[tuple[int, str]]]]:
    """Today's communes under their district, for the citizen to say where they live."""
    by_id = _today_agencies()
    out: dict[str, list[tuple[int, str]]] = {}
    for agency in sorted(by_id.values(), key=lambda a: a.path):
        if agency.kind == AgencyKind.COMMUNE:
            parent = by_id.get(agency.parent_id) if agency.parent_id else None
            out.setdefault(parent.name if parent else "", []).append((agency.pk, agency.name))
    return list(out.items())


# --- the satisfaction index (9 indicators, 0/1/2 each) -------------------------------------------------

INDICATORS: list[tuple[str, str]] = [
    ("total_time", gettext_noop("Tổng thời gian giải quyết so với quy định")),
    ("agency_time", gettext_noop("Thời gian tại từng cơ quan, đơn vị")),
    ("contacts", gettext_noop("Số lần phải liên hệ để hoàn thiện hồ sơ")),
    ("agencies", gettext_noop("Số cơ quan, đơn vị phải liên hệ")),
    ("one_stop", gettext_noop("Thực hiện cơ chế một cửa, một cửa liên thông")),
    ("disclosure", gettext_noop("Công khai, minh bạch")),
    ("attitude", gettext_noop("Thái độ ứng xử của công chức")),
    ("feedback", gettext_noop("Tiếp nhận, xử lý phản ánh, kiến nghị đúng hạn")),
    ("online", gettext_noop("Trực tuyến")),
]


@dataclass
class Indicator:
    points: int = 0  # the sum of 0/1/2 over the items counted
    items: int = 0

    def add(self, points: int, n: int = 1) -> None:
        self.points += points * n
        self.items += n

    @property
    def score(self) -> float | None:
        """The mean, 0 to 2; None when nothing was there to count (not computable for the period)."""
        return None if self.items == 0 else round(self.points / self.items, 2)


@dataclass
class SatisfactionIndex:
    agency_id: int | None
    agency_name: str
    indicators: dict[str, Indicator] = field(default_factory=lambda: {k: Indicator() for k, _ in INDICATORS})
    votes: SatisfactionCount = field(default_factory=lambda: SatisfactionCount())

    @property
    def computed(self) -> int:
        return sum(1 for i in self.indicators.values() if i.score is not None)

    @property
    def total(self) -> float | None:
        """0 to 18 — the satisfaction group of Decision 766 — when all nine are computable, else None."""
        scores = [i.score for i in self.indicators.values()]
        return None if any(s is None for s in scores) else round(sum(s for s in scores if s is not None), 2)

    @property
    def partial(self) -> float:
        return round(sum(i.score for i in self.indicators.values() if i.score is not None), 2)

    def rows(self) -> list[tuple[str, str, Indicator]]:
        return [(key, gettext(label), self.indicators[key]) for key, label in INDICATORS]


def disclosure_points(version) -> int:
    """2: papers, legal basis and who may apply or the conditions are published in the catalogue;
    1: the papers only; 0: not even the papers (docs/portal.md "Satisfaction index")."""
    if version is None or not version.papers:
        return 0
    if version.legal_basis and (version.applicants or version.conditions):
        return 2
    return 1


def satisfaction_index(*, user, since: dt.datetime, until: dt.datetime,
                       agency_id: int | None = None) -> list[SatisfactionIndex]:
    """The 9-indicator index per receiving agency (desk or centre) in the user's scope (and the subtree of
    `agency_id`), for dossiers whose result came out in [since, until) — plus the votes and the feedback of
    the period. The last row is the total over the rows. Each indicator is the mean of 0/1/2 points;
    docs/portal.md gives each rule."""
    visible = visible_agencies(user)
    if agency_id is not None:
        root = Agency.objects.filter(pk=agency_id).values_list("path", flat=True).first() or "-"
        visible = visible.filter(path__startswith=root)
    scope = visible.values("pk")
    dossiers = _period(Dossier.objects.filter(agency_id__in=scope, resolved_at__isnull=False), "resolved_at",
                       since, until)
    late_step = DossierStep.objects.filter(dossier=OuterRef("pk"), finished_at__gt=F("due_at"))
    transferred = DossierEvent.objects.filter(dossier=OuterRef("pk"), kind=EventKind.TRANSFERRED)
    on_time = Q(resolved_at__lte=F("due_at")) | Q(reappointed_at__isnull=False, resolved_at__lte=F("reappointed_at"))
    rows = (dossiers.annotate(
        late_step=Exists(late_step), moved=Exists(transferred),
        in_time=Case(When(Q(resolved_at__lte=F("due_at")), then=Value(2)),
                     When(on_time, then=Value(1)), default=Value(0), output_field=IntegerField()))
        .values("agency_id", "procedure_version_id", "channel", "in_time", "late_step", "moved", "supplement_count")
        .annotate(n=Count("id")).order_by())
    versions = {v.pk: v for v in ProcedureVersion.objects.filter(
        pk__in={r["procedure_version_id"] for r in rows})}
    by_agency: dict[int, SatisfactionIndex] = {}
    names = dict(Agency.objects.filter(pk__in=scope).values_list("pk", "name"))
    kinds = dict(Agency.objects.filter(pk__in=scope).values_list("pk", "kind"))

    def index(agency_id: int) -> SatisfactionIndex:
        return by_agency.setdefault(agency_id, SatisfactionIndex(agency_id, names.get(agency_id, "")))

    for r in rows:
        ix, n, version = index(r["agency_id"]), r["n"], versions.get(r["procedure_version_id"])
        i = ix.indicators
        i["total_time"].add(r["in_time"], n)
        i["agency_time"].add(2 if not r["late_step"] else (1 if r["in_time"] == 2 else 0), n)
        i["contacts"].add(2 if r["supplement_count"] == 0 else (1 if r["supplement_count"] == 1 else 0), n)
        i["agencies"].add(1 if r["moved"] else 2, n)
        i["one_stop"].add(2 if kinds.get(r["agency_id"]) in (AgencyKind.DESK, AgencyKind.CENTER) else 0, n)
        i["disclosure"].add(disclosure_points(version), n)
        online_offered = version is not None and version.online_level != OnlineLevel.NONE
        i["online"].add(2 if r["channel"] == "online" else (1 if online_offered else 0), n)
    votes = _period(SatisfactionVote.objects.filter(current=True, agency_id__in=scope), "at", since, until)
    points = {"very_satisfied": 2, "satisfied": 1, "not_satisfied": 0}
    for agency_id, level, clerk_level, n in (votes.values_list("agency_id", "level", "clerk_level")
                                             .annotate(n=Count("id")).order_by()):
        ix = index(agency_id)
        setattr(ix.votes, level, getattr(ix.votes, level) + n)
        # Attitude: the citizen's vote on the clerk; without one, the vote on the service.
        ix.indicators["attitude"].add(points[clerk_level or level], n)
    now = timezone.now()
    feedback = _period(Feedback.objects.filter(agency_id__in=scope), "received_at", since, until)
    for agency_id, answered_at, due_at in feedback.values_list("agency_id", "answered_at", "due_at"):
        if answered_at is None and due_at >= now:
            continue  # still within its time: not yet countable
        index(agency_id).indicators["feedback"].add(
            0 if answered_at is None else (2 if answered_at <= due_at else 1))
    out = sorted(by_agency.values(), key=lambda x: x.agency_name)
    total = SatisfactionIndex(None, gettext("Tổng"))
    for ix in out:
        for key, indicator in ix.indicators.items():
            total.indicators[key].points += indicator.points
            total.indicators[key].items += indicator.items
        for level in points:
            setattr(total.votes, level, getattr(total.votes, level) + getattr(ix.votes, level))
    return [*out, total] if out else []


def clerk_satisfaction_rows(*, user, since: dt.datetime, until: dt.datetime) -> list[dict]:
    """Votes on each clerk in the user's scope (name, agency, counts), most votes first."""
    counts = clerk_satisfaction_counts(user=user, since=since, until=until)
    staff = {s.pk: s for s in Staff.objects.filter(pk__in=list(counts)).select_related("agency")}
    rows = [{"name": staff[pk].full_name, "agency": staff[pk].agency.name, "counts": c}
            for pk, c in counts.items() if pk in staff]
    return sorted(rows, key=lambda r: (-r["counts"].total, r["name"]))


def satisfaction_766(*, user, date_from: dt.date, date_to: dt.date, agency_id: int | None = None) -> dict:
    """For the Decision 766 page: the satisfaction group (0–18) of the scope, or the part computed."""
    since, until = start_of_day(date_from), start_of_day(date_to + dt.timedelta(days=1))
    rows = satisfaction_index(user=user, since=since, until=until, agency_id=agency_id)
    total = rows[-1] if rows else SatisfactionIndex(None, "")
    return {"points": total.total, "partial": total.partial, "computed": total.computed,
            "missing": [gettext(label) for key, label in INDICATORS if total.indicators[key].score is None]}



# --- feedback: handling and the public answers ---------------------------------------------------------

def feedback_attachments(feedback_id: int) -> QuerySet[FeedbackAttachment]:
    return FeedbackAttachment.objects.filter(feedback_id=feedback_id).order_by("id")


def feedback_assignees(feedback: Feedback) -> list[tuple[int, str]]:
    """Active staff of the feedback's agency and the units under it, to give it to."""
    return list(Staff.objects.filter(active=True, agency__path__startswith=feedback.agency.path)
                .order_by("full_name").values_list("pk", "full_name"))


def published_answers(*, query: str = "", agency_id: int | None = None) -> list[Feedback]:
    """The answers agencies chose to publish, newest first; searchable (accent-insensitive) over the
    subject, the content, the answer and the agency — not over the sender's name, which the public page
    never shows (a search by name must not tell who wrote)."""
    qs = (Feedback.objects.filter(published_at__isnull=False, status=FeedbackStatus.ANSWERED)
          .select_related("agency").order_by("-published_at", "-id"))
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    words = fold(query).split()
    rows = list(qs)
    if words:
        rows = [f for f in rows if all(w in fold(f"{f.subject} {f.content} {f.answer} {f.agency.name}") for w in words)]
    return rows
