"""Who may act in discipline: ONE table, one rule per action (docs/discipline.md §7.6 states it).

Each rule names, for each role that may take the action, whose it must be:
- `UNIT`: a cadre whose visibility covers the unit where the work is done (the assigned cadre's agency, or the
  unit assigned) — for a leader, the leaders of that unit and of the units above it;
- `SELF`: the cadre the task is assigned to, or, for a task given to a unit, a cadre working in that unit;
- `SCOPE`: a cadre whose visibility covers the agency concerned (the personnel office, an administrator).

The services enforce it for every caller (the pages, the demo) inside the transaction, and the selectors for
the reads it names (`ranking_read`: a unit's ranking, its national export, Home Affairs' grades); the pages'
buttons and menu entries read the same table (`may`, `roles_for`). `actor=None` is the system itself (the demo, a data migration), which the table
does not bind. A leader does not assign a task to themselves: a result one gives oneself is not measured.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext, gettext_noop, pgettext

from phucvu.core.exceptions import NotAllowed
from phucvu.organization.models import Agency, AgencyKind, Role, Staff
from phucvu.organization.selectors import can_see_agency, staff_of

UNIT, SELF, SCOPE = "unit", "self", "scope"
ANY_ROLE = "*"
LEADER, HR, ADMIN, INSPECTOR = Role.UNIT_LEADER, Role.HR_OFFICER, Role.SYSTEM_ADMIN, Role.INSPECTOR

# Marked for the catalogue, translated when a refusal is built (docs/i18n.md: a selector's refusal is shown in
# the page's language).
WHOSE_LABELS = {
    UNIT: gettext_noop("lãnh đạo của đơn vị liên quan (hoặc đơn vị cấp trên)"),
    SELF: gettext_noop("cán bộ được giao (hoặc cán bộ của đơn vị được giao)"),
    SCOPE: gettext_noop("cán bộ có phạm vi quản lý bao trùm đơn vị"),
}


@dataclass(frozen=True)
class Rule:
    action: str
    label: str  # what the action does, after "được" in a refusal
    grants: dict[str, tuple[str, ...]]  # role (or ANY_ROLE) -> whose it must be (any of them)


RULES: tuple[Rule, ...] = (
    Rule("item_edit", gettext_noop("sửa danh mục sản phẩm, công việc"),
         {LEADER: (UNIT,), HR: (SCOPE,), ADMIN: (SCOPE,)}),
    Rule("assign", gettext_noop("giao nhiệm vụ"), {LEADER: (UNIT,)}),
    Rule("progress", gettext_noop("ghi tiến độ nhiệm vụ"), {ANY_ROLE: (SELF,), LEADER: (UNIT,)}),
    Rule("check_failed", gettext_noop("ghi đánh giá không đạt chất lượng"), {LEADER: (UNIT,)}),
    Rule("extend", gettext_noop("gia hạn nhiệm vụ"), {LEADER: (UNIT,)}),
    Rule("waive", gettext_noop("miễn trừ khấu trừ vì lý do khách quan"), {LEADER: (UNIT,)}),
    Rule("cancel", gettext_noop("hủy giao nhiệm vụ"), {LEADER: (UNIT,)}),
    Rule("emulation", gettext_noop("ghi phong trào thi đua, khen thưởng"),
         {LEADER: (UNIT,), HR: (SCOPE,), ADMIN: (SCOPE,)}),
    Rule("sheet_score", gettext_noop("chấm phiếu điểm của cán bộ"), {LEADER: (UNIT,), HR: (SCOPE,)}),
    Rule("ranking_read", gettext_noop("xem xếp hạng, xếp loại cán bộ của đơn vị"),
         {LEADER: (UNIT,), INSPECTOR: (SCOPE,), HR: (SCOPE,), ADMIN: (SCOPE,)}),
    Rule("quota_choice", gettext_noop("chọn người giữ mức xuất sắc trong chỉ tiêu"),
         {LEADER: (UNIT,), HR: (SCOPE,)}),
    Rule("breach_record", gettext_noop("ghi nhận vi phạm, xử lý dấu hiệu vi phạm"),
         {LEADER: (UNIT,), INSPECTOR: (SCOPE,), HR: (SCOPE,), ADMIN: (SCOPE,)}),
    Rule("breach_evidence", gettext_noop("bổ sung bằng chứng cho vi phạm"),
         {ANY_ROLE: (SELF,), LEADER: (UNIT,), INSPECTOR: (SCOPE,), HR: (SCOPE,), ADMIN: (SCOPE,)}),
    Rule("breach_explain", gettext_noop("giải trình vi phạm"), {ANY_ROLE: (SELF,)}),
    Rule("breach_decide", gettext_noop("kết luận vi phạm"), {LEADER: (UNIT,), HR: (SCOPE,), ADMIN: (SCOPE,)}),
    Rule("case_run", gettext_noop("mở và xử lý vụ việc kỷ luật"), {HR: (SCOPE,), ADMIN: (SCOPE,)}),
    Rule("sanction_revoke", gettext_noop("ghi nhận quyết định hủy kỷ luật và việc công bố"),
         {HR: (SCOPE,), ADMIN: (SCOPE,)}),
    Rule("commitment_text", gettext_noop("ban hành bản cam kết"), {LEADER: (UNIT,), HR: (SCOPE,), ADMIN: (SCOPE,)}),
    Rule("commitment_sign", gettext_noop("ký bản cam kết (hoặc ghi nhận bản ký giấy)"),
         {ANY_ROLE: (SELF,), HR: (SCOPE,), ADMIN: (SCOPE,)}),
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


def roles_for(action: str) -> frozenset[str]:
    """The roles the table grants `action` to (a menu entry's audience); empty when anyone may."""
    grants = RULE[action].grants
    return frozenset() if ANY_ROLE in grants else frozenset(str(r) for r in grants)


def _reader(user) -> Staff | None:
    """The cadre behind a web or API user; `None` for an active superuser (the system administrator's account,
    which the visibility rule lets see everything). Anyone else without a cadre record is refused."""
    if getattr(user, "is_superuser", False) and getattr(user, "is_active", False):
        return None
    staff = staff_of(user)
    if staff is None:
        raise NotAllowed(gettext("Chỉ cán bộ có tài khoản trong hệ thống mới dùng được trang này."))
    return staff


def ensure_user_may(user, action: str, *, agency_id: int) -> None:
    """`ensure_may` for a read made by a logged-in user (the selectors)."""
    ensure_may(_reader(user), action, agency_id=agency_id)


def user_may(user, action: str, *, agency_id: int) -> bool:
    """`may` for a logged-in user (a page deciding what to show)."""
    try:
        ensure_user_may(user, action, agency_id=agency_id)
    except NotAllowed:
        return False
    return True


def user_may_any(user, action: str) -> bool:
    """May the user take `action` for some unit? (Then the visibility rule says which: UNIT and SCOPE grants
    are both the agencies the user sees.)"""
    try:
        staff = _reader(user)
    except NotAllowed:
        return False
    if staff is None:
        return True
    grants = RULE[action].grants
    return staff.active and (staff.role in grants or ANY_ROLE in grants)


def ensure_may(actor: Staff | None, action: str, **kw) -> None:
    if may(actor, action, **kw):
        return
    if action == "assign" and actor is not None and kw.get("assignee_id") == actor.pk:
        raise NotAllowed("Không tự giao nhiệm vụ cho chính mình: nhiệm vụ do lãnh đạo cấp trên giao.")
    raise refusal(action)


def refusal(action: str) -> NotAllowed:
    """The refusal of `action`, naming who may take it."""
    rule = RULE[action]
    anyone, either = pgettext("authority", "mọi cán bộ"), gettext("hoặc")
    who = "; ".join(f"{anyone if role == ANY_ROLE else Role(role).label}: "
                    f"{f' {either} '.join(gettext(WHOSE_LABELS[w]) for w in whose)}"
                    for role, whose in rule.grants.items())
    return NotAllowed(gettext("Bạn không được %(what)s: việc này do %(who)s thực hiện.")
                      % {"what": gettext(rule.label), "who": who})


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
