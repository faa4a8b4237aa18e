"""Who may act in discipline: ONE table, one rule per action (docs/discipline.md §7.6 states it).

Each rule names, for each role that may take the action, whose it must be:
- `UNIT`: a cadre whose visibility covers the unit where the work is done (the assigned cadre's agency, or the
  unit assigned) — for a leader, the leaders of that unit and of the units above it;
- `SELF`: the cadre the task is assigned to, or, for a task given to a unit, a cadre working in that unit;
- `SCOPE`: a cadre whose visibility covers the agency concerned (the personnel office, an administrator).

The services enforce it for every caller (the pages, the demo) inside the transaction; the pages' buttons
read the same table (`may`). `actor=None` is the system itself (the demo, a data migration), which the table
does not bind. A leader does not assign a task to themselves: a result one gives oneself is not measured.
"""

from __future__ import annotations

from dataclasses import dataclass

from phucvu.core.exceptions import NotAllowed
from phucvu.organization.models import Agency, AgencyKind, Role, Staff
from phucvu.organization.selectors import can_see_agency

UNIT, SELF, SCOPE = "unit", "self", "scope"
ANY_ROLE = "*"
LEADER, HR, ADMIN = Role.UNIT_LEADER, Role.HR_OFFICER, Role.SYSTEM_ADMIN

WHOSE_LABELS = {
    UNIT: "lãnh đạo đơn vị nơi thực hiện nhiệm vụ (hoặc đơn vị cấp trên)",
    SELF: "cán bộ được giao (hoặc cán bộ của đơn vị được giao)",
    SCOPE: "cán bộ có phạm vi quản lý bao trùm đơn vị",
}


@dataclass(frozen=True)
class Rule:
    action: str
    label: str  # what the action does, after "được" in a refusal
    grants: dict[str, tuple[str, ...]]  # role (or ANY_ROLE) -> whose it must be (any of them)


RULES: tuple[Rule, ...] = (
    Rule("item_edit", "sửa danh mục sản phẩm, công việc", {LEADER: (UNIT,), HR: (SCOPE,), ADMIN: (SCOPE,)}),
    Rule("assign", "giao nhiệm vụ", {LEADER: (UNIT,)}),
    Rule("progress", "ghi tiến độ nhiệm vụ", {ANY_ROLE: (SELF,), LEADER: (UNIT,)}),
    Rule("check_failed", "ghi đánh giá không đạt chất lượng", {LEADER: (UNIT,)}),
    Rule("extend", "gia hạn nhiệm vụ", {LEADER: (UNIT,)}),
    Rule("waive", "miễn trừ khấu trừ vì lý do khách quan", {LEADER: (UNIT,)}),
    Rule("cancel", "hủy giao nhiệm vụ", {LEADER: (UNIT,)}),
    Rule("emulation", "ghi phong trào thi đua, khen thưởng", {LEADER: (UNIT,), HR: (SCOPE,), ADMIN: (SCOPE,)}),
)
RULE: dict[str, Rule] = {r.action: r for r in RULES}
TASK_ACTIONS = ("progress", "check_failed", "extend", "waive", "cancel")


def _seat(agency_id: int) -> int:
    """A commune's one-stop desk and the commune are one seat (its clerks are the commune's officers)."""
    agency = Agency.objects.only("kind", "parent_id").get(pk=agency_id)
    return agency.parent_id if agency.kind == AgencyKind.DESK and agency.parent_id else agency_id


def _whose(actor: Staff, whose: str, *, agency_id: int, assignee_id: int | None, unit_id: int | None) -> bool:
    if whose in (UNIT, SCOPE):
        return can_see_agency(actor.user, agency_id)
    if whose == SELF:
        if assignee_id is not None:
            return actor.pk == assignee_id
        return unit_id is not None and _seat(actor.agency_id) == _seat(unit_id)
    return False


def may(actor: Staff | None, action: str, *, agency_id: int, assignee_id: int | None = None,
        unit_id: int | None = None) -> bool:
    """May `actor` take `action` on work done in `agency_id` (for the cadre `assignee_id` or the unit
    `unit_id`)?"""
    if actor is None:
        return True
    if not actor.active:
        return False
    rule = RULE[action]
    if action == "assign" and assignee_id is not None and actor.pk == assignee_id:
        return False
    for role in (actor.role, ANY_ROLE):
        for whose in rule.grants.get(role, ()):
            if _whose(actor, whose, agency_id=agency_id, assignee_id=assignee_id, unit_id=unit_id):
                return True
    return False


def ensure_may(actor: Staff | None, action: str, **kw) -> None:
    if may(actor, action, **kw):
        return
    rule = RULE[action]
    if action == "assign" and actor is not None and kw.get("assignee_id") == actor.pk:
        raise NotAllowed("Không tự giao nhiệm vụ cho chính mình: nhiệm vụ do lãnh đạo cấp trên giao.")
    who = "; ".join(f"{'mọi cán bộ' if role == ANY_ROLE else Role(role).label}: "
                    f"{' hoặc '.join(WHOSE_LABELS[w] for w in whose)}" for role, whose in rule.grants.items())
    raise NotAllowed(f"Bạn không được {rule.label}: việc này do {who} thực hiện.")


def authority_markdown() -> str:
    """The table as docs/discipline.md §7.6 shows it (a test compares them)."""
    words = {UNIT: "seeing the unit of the work", SELF: "the assignee (a cadre of the unit assigned)",
             SCOPE: "seeing the agency"}
    lines = ["| action | what | who |", "|---|---|---|"]
    for r in RULES:
        who = "; ".join(f"{'anyone' if role == ANY_ROLE else role}: {' or '.join(words[w] for w in whose)}"
                        for role, whose in r.grants.items())
        lines.append(f"| `{r.action}` | {r.label} | {who} |")
    return "\n".join(lines)
