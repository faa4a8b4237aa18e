"""Who may act on a dossier: ONE table, one rule per action.

Each rule names the statuses the action starts from and, for each role that may take it, whose staff
that role must be: the receiving desk's, the staff of the agency holding the current step (the step's own
role; the agency's leader answers for all its steps), the leader of the agency holding the signing step, or
anyone whose scope covers the agency holding the dossier (oversight). The services enforce it for every
caller — the desk's pages, the API, the demo — inside the transaction, under the row lock; the dossier
page's buttons and the API's `actions` list read the same table, and docs/desk.md's table is generated from
it (`authority_markdown`, checked by a test). `actor=None` is the system itself (a data migration, an
operator at the shell, the citizen through the portal's own checks), which the table does not bind.

Legal basis: the one-stop desk receives, hands over and returns (Decree 61/2018 art. 8, Decree 118/2025
art. 10); the competent agency's specialist office examines; its leader decides and signs (Decree 61/2018
art. 18–19; Decree 118/2025 art. 19); details in docs/desk.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from phucvu.core.exceptions import NotAllowed
from phucvu.dossiers.models import OPEN_STATUSES, PAUSED_STATUSES, Dossier, DossierStep, Status
from phucvu.organization.models import Agency, AgencyKind, Role, Staff
from phucvu.organization.selectors import staff_of, visible_agencies

# Whose staff (the agency side of a rule).
DESK = "desk"  # the receiving desk: the agency that received the dossier (a commune's desk and the commune are one)
HOLDER = "holder"  # the agency holding the current step, in the step's role (its leader: any step of it)
SIGNER = "signer"  # the agency holding the dossier's signing step (its leader decides and signs)
SCOPE = "scope"  # anyone whose visibility covers the agency holding the dossier

WHOSE_LABELS = {
    DESK: "nơi tiếp nhận hồ sơ",
    HOLDER: "đơn vị đang giữ bước hiện tại (đúng vai trò của bước, hoặc người được giao bước)",
    SIGNER: "đơn vị giữ bước lãnh đạo ký của hồ sơ",
    SCOPE: "đơn vị có phạm vi quản lý bao trùm nơi đang giữ hồ sơ",
}
ROLE_WORDS = {Role.DESK_CLERK: "công chức một cửa", Role.SPECIALIST: "chuyên viên", Role.UNIT_LEADER: "lãnh đạo",
              Role.INSPECTOR: "thanh tra viên", Role.HR_OFFICER: "cán bộ nội vụ",
              Role.SYSTEM_ADMIN: "quản trị hệ thống"}

CLERK, SPECIALIST, LEADER, ADMIN = Role.DESK_CLERK, Role.SPECIALIST, Role.UNIT_LEADER, Role.SYSTEM_ADMIN
WORKING = (Status.RECEIVED, Status.PROCESSING)


@dataclass(frozen=True)
class Rule:
    action: str
    label: str  # what the action does, after "được" in a refusal
    statuses: tuple[str, ...]  # empty: the action creates the dossier
    grants: dict[str, tuple[str, ...]]  # role -> whose staff it must be (any of them)


RULES: tuple[Rule, ...] = (
    Rule("receive", "tiếp nhận hồ sơ", (), {CLERK: (DESK,)}),
    Rule("submit_online", "ghi nhận hồ sơ nộp trực tuyến", (), {CLERK: (DESK,)}),
    Rule("accept", "tiếp nhận hồ sơ trực tuyến", (Status.SUBMITTED,), {CLERK: (DESK,)}),
    Rule("refuse", "từ chối tiếp nhận", (Status.SUBMITTED,), {CLERK: (DESK,)}),
    Rule("assign", "phân công xử lý", WORKING, {LEADER: (HOLDER,)}),
    Rule("forward", "chuyển bước", WORKING, {CLERK: (HOLDER,), SPECIALIST: (HOLDER,), LEADER: (HOLDER,)}),
    Rule("request_supplement", "yêu cầu bổ sung hồ sơ", WORKING, {CLERK: (DESK,), SPECIALIST: (HOLDER,)}),
    Rule("request_payment", "yêu cầu thực hiện nghĩa vụ tài chính", WORKING,
         {CLERK: (DESK,), SPECIALIST: (HOLDER,)}),
    Rule("resume", "tiếp tục xử lý", PAUSED_STATUSES, {CLERK: (DESK,), SPECIALIST: (HOLDER,)}),
    Rule("apologize", "xin lỗi và hẹn lại", OPEN_STATUSES, {CLERK: (DESK,), LEADER: (HOLDER, SIGNER)}),
    Rule("approve", "phê duyệt, ký kết quả", (Status.PROCESSING,), {LEADER: (SIGNER,)}),
    Rule("resolve", "ghi kết quả giải quyết", WORKING, {SPECIALIST: (HOLDER,), LEADER: (HOLDER,)}),
    Rule("return_result", "trả kết quả", (Status.RESOLVED,), {CLERK: (DESK,)}),
    Rule("withdraw", "ghi nhận công dân rút hồ sơ", (Status.SUBMITTED, *OPEN_STATUSES), {CLERK: (DESK,)}),
    Rule("stop", "dừng xử lý", OPEN_STATUSES, {LEADER: (HOLDER, SIGNER)}),
    Rule("transfer", "chuyển cho đơn vị kế thừa", OPEN_STATUSES, {LEADER: (HOLDER,), ADMIN: (SCOPE,)}),
)
RULE: dict[str, Rule] = {r.action: r for r in RULES}
# The actions taken on an existing dossier (the page's and the API's list), in the table's order.
DOSSIER_ACTIONS = tuple(r.action for r in RULES if r.statuses)


def seat_id(agency: Agency) -> int:
    """Where a cadre of `agency` works: a commune's one-stop desk is part of the commune's People's Committee
    (its clerks are the commune's officers), so the desk and the commune are one seat. A center is its own."""
    if agency.kind == AgencyKind.DESK and agency.parent_id:
        return agency.parent_id
    return agency.pk


def works_at(staff: Staff, agency: Agency) -> bool:
    return seat_id(staff.agency) == seat_id(agency)


def works_at_desk(staff: Staff, dossier: Dossier) -> bool:
    """At the desk that received the dossier, or at a successor of it once it closed (a merge or split moves
    the returning of results with the rest of its work)."""
    if works_at(staff, dossier.agency):
        return True
    successors = Agency.objects.filter(successions_in__predecessor_id=dossier.agency_id)
    return any(works_at(staff, a) for a in successors.only("pk", "kind", "parent_id"))


def holder_of(dossier: Dossier) -> tuple[Agency, str, DossierStep | None]:
    """(agency, role, step) holding the dossier now: its current step, else the agency that received it."""
    step = dossier.current_step
    if step is not None:
        return step.agency, step.role or SPECIALIST, step
    return dossier.agency, SPECIALIST, None


def signing_steps(dossier_pk) -> QuerySet[DossierStep]:
    """The dossier's signing step first: the last one in a leader's role (`dossier_pk` may be an OuterRef)."""
    return DossierStep.objects.filter(dossier_id=dossier_pk, role=LEADER).order_by("-order")


def signing_step(dossier: Dossier) -> DossierStep | None:
    """The dossier's signing step (the competent leader decides and signs there), read once per dossier object.
    A dossier locked by the services comes with its id (`signing_step_pk`): no query when it is the current one."""
    if not hasattr(dossier, "_signing_step"):
        known = getattr(dossier, "signing_step_pk", ...)
        if known is None:
            dossier._signing_step = None
        elif known is not ... and dossier.current_step is not None and known == dossier.current_step.pk:
            dossier._signing_step = dossier.current_step
        else:
            dossier._signing_step = signing_steps(dossier.pk).select_related("agency").first()
    return dossier._signing_step


def remember_signing_step(dossier: Dossier, steps: Iterable[DossierStep]) -> None:
    """The signing step found among the dossier's steps already read (`signing_steps`' rule: the last in a
    leader's role), so `signing_step` does not read it again; it replaces one remembered before a write."""
    leaders = [s for s in steps if s.role == LEADER]
    dossier._signing_step = max(leaders, key=lambda s: s.order) if leaders else None  # type: ignore[attr-defined]


def at_signing_step(dossier: Dossier) -> bool:
    step, signing = dossier.current_step, signing_step(dossier)
    return step is not None and signing is not None and step.pk == signing.pk


def _fits(actor: Staff, whose: str, dossier: Dossier) -> bool:
    if whose == DESK:
        return works_at_desk(actor, dossier)
    agency, role, step = holder_of(dossier)
    if whose == HOLDER:
        return works_at(actor, agency) and (actor.role in (LEADER, role)
                                            or (step is not None and step.assignee_id == actor.pk))
    if whose == SIGNER:
        signing = signing_step(dossier)
        return signing is not None and works_at(actor, signing.agency)
    if whose == SCOPE:
        return visible_agencies(actor.user).filter(pk=agency.pk).exists()
    raise ValueError(whose)


def _roles_text(rule: Rule) -> str:
    """"chuyên viên hoặc lãnh đạo của đơn vị đang giữ bước hiện tại; …": the roles grouped by whose staff."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for role, whose in rule.grants.items():
        groups.setdefault(whose, []).append(ROLE_WORDS[role])
    return "; ".join(f"{' hoặc '.join(roles)} của {' hoặc của '.join(WHOSE_LABELS[w] for w in whose)}"
                     for whose, roles in groups.items())


def refusal(actor: Staff | None, action: str, dossier: Dossier | None = None, *,
            agency: Agency | None = None) -> str | None:
    """Why `actor` may not take `action` (Vietnamese), or None when the table lets them. `dossier` for an
    action on a dossier (with `agency`, `current_step` and its `agency` loaded); `agency` (the receiving one)
    for an action that creates it. The statuses are checked by the services under the lock."""
    if actor is None:
        return None
    rule = RULE[action]
    if not actor.active:
        return "Tài khoản cán bộ không còn hoạt động."
    whose = rule.grants.get(actor.role)
    if not whose:
        return f"Vai trò “{Role(actor.role).label}” không được {rule.label}: việc này của {_roles_text(rule)}."
    if dossier is None:
        if agency is not None and DESK in whose and works_at(actor, agency):
            return None
        return f"Bạn không được {rule.label} cho {agency.name if agency else 'đơn vị này'}: chỉ cán bộ của nơi tiếp nhận."
    if any(_fits(actor, w, dossier) for w in whose):
        return None
    holder, role, step = holder_of(dossier)
    if whose == (DESK,):
        return f"Chỉ cán bộ của nơi tiếp nhận hồ sơ ({dossier.agency.name}) được {rule.label}."
    if whose == (SIGNER,):
        signing = signing_step(dossier)
        if signing is None:
            return f"Quy trình của hồ sơ không có bước lãnh đạo ký: không có ai để {rule.label}."
        return f"Chỉ lãnh đạo {signing.agency.name}, đơn vị giữ bước ký của hồ sơ, được {rule.label}."
    where = f"bước “{step.name}” tại {holder.name}" if step else holder.name
    return (f"Hồ sơ đang ở {where}: chỉ {ROLE_WORDS[role]} của đơn vị đó, người được giao bước hoặc lãnh đạo "
            f"đơn vị được {rule.label}.")


def check(actor: Staff | None, action: str, dossier: Dossier | None = None, *, agency: Agency | None = None) -> None:
    """`refusal`, raised as `NotAllowed` (HTTP 403): nothing is written."""
    reason = refusal(actor, action, dossier, agency=agency)
    if reason is not None:
        raise NotAllowed(reason, details={"action": action})


def permitted(actor: Staff | None, dossier: Dossier, actions: Iterable[str] = DOSSIER_ACTIONS) -> list[str]:
    """The actions of `actions` the table lets `actor` take on `dossier` in its current status."""
    return [a for a in actions if dossier.status in RULE[a].statuses and refusal(actor, a, dossier) is None]


# ---------------------------------------------------------------------------------------------------
# The table as docs/desk.md shows it (a test fails when the page differs)


def authority_markdown() -> str:
    """The authority table in Markdown: one line per action, one column per "whose staff", the roles in the
    cells; generated from RULES."""
    columns = [DESK, HOLDER, SIGNER, SCOPE]
    heads = ["receiving desk", "holder of the current step", "signing step's agency", "scope covers the holder"]
    lines = [f"| action | Vietnamese | from statuses | {' | '.join(heads)} |",
             "|---|---|---|" + "---|" * len(columns)]
    for rule in RULES:
        statuses = ", ".join(f"`{s}`" for s in rule.statuses) or "— (creates it)"
        cells = [", ".join(role for role, whose in rule.grants.items() if column in whose) or "—"
                 for column in columns]
        lines.append(f"| `{rule.action}` | {rule.label} | {statuses} | {' | '.join(cells)} |")
    return "\n".join(lines) + "\n"


# --- Personal data (docs/security.md §4) ------------------------------------------------------------------
# Who sees an applicant's (or a collector's) ID number in full. The desk checks identity papers face to face
# at intake and at the return of results and finds a citizen's dossiers by ID number, so its clerks see it
# everywhere, lists and exports included. The staff who examine and decide a dossier (specialists, leaders)
# see it on the dossier itself — its page, the API's detail, its printed forms — but masked in lists and
# exports. Oversight roles (inspectors, Home Affairs, system administrators) judge timeliness and conduct,
# not identity: masked everywhere on screen; an inspection that needs a number asks the agency for the file.
FULL_ID_ON_DOSSIER = (CLERK, SPECIALIST, LEADER)
FULL_ID_IN_LISTS = (CLERK,)
# Who reads the log of who read personal data: the inspectorate, Home Affairs and the administrators, each
# within their visibility (docs/security.md §3).
ACCESS_LOG_READERS = (Role.INSPECTOR, Role.HR_OFFICER, ADMIN)


def sees_full_id(user, *, in_list: bool) -> bool:
    staff = staff_of(user)
    if staff is None or not staff.active:
        return False
    return staff.role in (FULL_ID_IN_LISTS if in_list else FULL_ID_ON_DOSSIER)


def mask_id_number(value: str) -> str:
    """"022090001234" → "*********234": enough to tell two applicants of one name apart, not to reuse."""
    value = (value or "").strip()
    if not value:
        return ""
    keep = 3 if len(value) > 6 else 0
    return "*" * (len(value) - keep) + value[len(value) - keep:]


def id_number_for(user, value: str, *, in_list: bool) -> str:
    return value if sees_full_id(user, in_list=in_list) else mask_id_number(value)


def may_read_access_log(user) -> bool:
    staff = staff_of(user)
    return staff is not None and staff.active and staff.role in ACCESS_LOG_READERS


def ensure_may_read_access_log(user) -> None:
    if not may_read_access_log(user):
        raise NotAllowed("Chỉ thanh tra viên, cán bộ Nội vụ và quản trị hệ thống được xem nhật ký truy cập dữ "
                         "liệu cá nhân.")
