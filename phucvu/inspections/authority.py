"""Who may act on an inspection and on its recommendations: one table, one rule per action.

Inspection actions are the inspecting side's: a **thanh tra viên** (inspector role), or the **leader** of the
organising agency, whose visibility covers the organising agency. Answering a recommendation is the owner's:
the cadre named as its owner, or a leader whose visibility covers the owner agency. Verifying (closing) it is
the inspecting side's again. `actor=None` is the system itself (the demo, a data migration), not bound by it.
The table is stated in docs/inspections.md §4.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from phucvu.core.exceptions import NotAllowed
from phucvu.organization.models import Agency, Role, Staff
from phucvu.organization.selectors import can_see_agency, visible_agencies

INSPECTING = "inspecting"  # an inspector or the organiser's leader, seeing the organising agency
OWNER = "owner"  # the recommendation's owner, or a leader seeing the owner agency
HEAD = "head"  # the leader of the organising agency only: approving its plan
TEAM = "team"  # the inspecting side, or a member (or the head) of the inspection's team
PERSONNEL = "personnel"  # the inspecting side, or the personnel office seeing the organising agency


@dataclass(frozen=True)
class Rule:
    action: str
    label: str  # what the action does, after "được"
    side: str


RULES: tuple[Rule, ...] = (
    Rule("plan", "lập, điều chỉnh dự thảo kế hoạch thanh tra, kiểm tra", INSPECTING),
    Rule("plan_approve", "phê duyệt kế hoạch thanh tra, kiểm tra", HEAD),
    Rule("open", "ra quyết định thanh tra, kiểm tra", INSPECTING),
    Rule("team", "lập, thay đổi đoàn thanh tra, kiểm tra", INSPECTING),
    Rule("record", "ghi hồ sơ của đoàn (kế hoạch, công bố, nhật ký, biên bản, tài liệu, báo cáo)", TEAM),
    Rule("check", "ghi kết quả kiểm tra công vụ tại nơi làm việc", TEAM),
    Rule("extend", "gia hạn thời hạn tiến hành", INSPECTING),
    Rule("draft", "ghi nhận dự thảo kết luận", INSPECTING),
    Rule("appraise", "ghi kết quả thẩm định dự thảo kết luận", INSPECTING),
    Rule("finding", "ghi phát hiện, kiến nghị", INSPECTING),
    Rule("conclude", "ký kết luận", INSPECTING),
    Rule("publish", "công khai kết luận", INSPECTING),
    Rule("refer", "chuyển phát hiện về cán bộ sang xử lý kỷ luật", PERSONNEL),
    Rule("verify", "xác nhận kiến nghị đã thực hiện", INSPECTING),
    Rule("answer", "báo cáo thực hiện kiến nghị", OWNER),
    Rule("directive", "ghi văn bản chỉ đạo thực hiện kết luận", OWNER),
    # organizer_id here: the agency of the cadre who declared the relation (docs/inspections.md §20).
    Rule("relation", "ghi quan hệ gia đình, quan hệ lợi ích cán bộ đã kê khai", PERSONNEL),
)
RULE = {r.action: r for r in RULES}
INSPECTING_ROLES = (Role.INSPECTOR, Role.UNIT_LEADER)


def may(actor: Staff | None, action: str, *, organizer_id: int, owner_agency_id: int | None = None,
        owner_person_id: int | None = None, team_ids: frozenset[int] | set[int] = frozenset()) -> bool:
    if actor is None:
        return True
    if not actor.active:
        return False
    rule = RULE[action]
    if rule.side == HEAD:
        return actor.role == Role.UNIT_LEADER and actor.agency_id == organizer_id
    if rule.side == TEAM and actor.pk in team_ids:
        return True
    if rule.side == PERSONNEL and actor.role == Role.HR_OFFICER:
        return can_see_agency(actor.user, organizer_id)
    if rule.side in (INSPECTING, TEAM, PERSONNEL):
        if actor.role == Role.UNIT_LEADER:
            return actor.agency_id == organizer_id
        return actor.role == Role.INSPECTOR and can_see_agency(actor.user, organizer_id)
    if owner_person_id is not None and actor.pk == owner_person_id:
        return True
    return (actor.role == Role.UNIT_LEADER and owner_agency_id is not None
            and can_see_agency(actor.user, owner_agency_id))


def agencies_where(actor: Staff | None, action: str) -> QuerySet[Agency]:
    """The agencies for which `actor` may take an action of the inspecting side, the head or the personnel
    office (`may` with `organizer_id` in it, a team's membership aside): what a page lists for it — the
    declared relations of the cadres of these agencies, for `relation` (docs/inspections.md §20)."""
    rule = RULE[action]
    if rule.side == OWNER:
        raise ValueError(f"{action}: the owner's actions are per recommendation, not per agency")
    if actor is None or not actor.active:
        return Agency.objects.none()
    if rule.side == HEAD or actor.role == Role.UNIT_LEADER:
        return Agency.objects.filter(pk=actor.agency_id) if actor.role == Role.UNIT_LEADER else Agency.objects.none()
    if actor.role == Role.INSPECTOR or (rule.side == PERSONNEL and actor.role == Role.HR_OFFICER):
        return visible_agencies(actor.user)
    return Agency.objects.none()


def may_somewhere(actor: Staff | None, action: str) -> bool:
    """Whether `actor` may take this action for some agency: who is shown the page of it."""
    return agencies_where(actor, action).exists()


def ensure_may(actor: Staff | None, action: str, **kw) -> None:
    if not may(actor, action, **kw):
        rule = RULE[action]
        who = {INSPECTING: "thanh tra viên có phạm vi bao trùm cơ quan tiến hành, hoặc lãnh đạo cơ quan tiến hành",
               HEAD: "lãnh đạo cơ quan tiến hành",
               TEAM: "thành viên đoàn, thanh tra viên có phạm vi bao trùm cơ quan tiến hành, hoặc lãnh đạo cơ quan "
                     "tiến hành",
               PERSONNEL: "thanh tra viên, lãnh đạo cơ quan tiến hành, hoặc bộ phận tổ chức cán bộ có phạm vi bao "
                          "trùm cơ quan tiến hành",
               OWNER: "người được giao thực hiện kiến nghị, hoặc lãnh đạo đơn vị thực hiện"}[rule.side]
        raise NotAllowed(f"Bạn không được {rule.label}: việc này do {who} thực hiện.")


def authority_markdown() -> str:
    lines = ["| action | what | who |", "|---|---|---|"]
    for r in RULES:
        who = {INSPECTING: "inspector seeing the organising agency, or the organiser's leader",
               HEAD: "the organiser's leader only",
               TEAM: "a member of the team, or the inspecting side as above",
               PERSONNEL: "the inspecting side as above, or the personnel office seeing the organising agency",
               OWNER: "the owner named, or a leader seeing the owner agency"}[r.side]
        lines.append(f"| `{r.action}` | {r.label} | {who} |")
    return "\n".join(lines)
