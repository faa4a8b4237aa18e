"""`phucvu import staff FILE`: the staff file as the province keeps it, all or nothing (docs/discipline.md §6.1).

Columns: username, full_name, agency, role, position, category (CB|CC|VC), job_position, email, phone, active;
optionally holds_post (1/0: holds a leading or managing post; empty keeps what was recorded).
A username already in the database updates that cadre; a new one creates an account without a password
(the cadre sets one through the password reset, or the administrator gives one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from phucvu.core.exceptions import DomainError
from phucvu.core.tables import Errors, ImportResult, read_rows
from phucvu.core.text import fold
from phucvu.discipline.services.cases import staff_change_check
from phucvu.discipline.services.evaluation import staff_import_save
from phucvu.organization.models import Agency, Role, Staff

COLUMNS = ["username", "full_name", "agency", "role", "position", "category", "job_position", "email", "phone",
           "active"]
USERNAME = re.compile(r"^[\w.@+-]{1,150}$")
PHONE = re.compile(r"^\+?[0-9 .-]{8,20}$")
TRUE = {"1", "true", "yes", "y", "x", "co", "dang cong tac", ""}
FALSE = {"0", "false", "no", "n", "khong", "nghi"}
ROLE_NAMES = {**{r.value: r.value for r in Role}, **{fold(str(r.label)): r.value for r in Role}}


@dataclass
class StaffLine:
    line: int
    username: str
    full_name: str
    agency: Agency
    role: str
    position: str
    category: str
    job_position: str
    email: str
    phone: str
    active: bool
    holds_post: bool | None  # None: the column is empty, keep what was recorded


def import_staff(path: str | Path, *, dry_run: bool = False) -> ImportResult:
    _header, rows = read_rows(path, required=COLUMNS)
    errors = Errors()
    agencies = {a.code: a for a in Agency.objects.all()}
    seen: dict[str, int] = {}
    lines: list[StaffLine] = []
    for row in rows:
        problems: list[str] = []
        username = row.get("username")
        if not USERNAME.match(username):
            problems.append(f"tên đăng nhập '{username}' không hợp lệ (chữ, số và . @ + - _; không dấu cách).")
        elif username.lower() in seen:
            problems.append(f"tên đăng nhập '{username}' đã có ở dòng {seen[username.lower()]}.")
        full_name = " ".join(row.get("full_name").split())
        if not full_name:
            problems.append("thiếu họ và tên (cột full_name).")
        agency = agencies.get(row.get("agency"))
        if agency is None:
            problems.append(f"không có đơn vị mã '{row.get('agency')}' (cột agency).")
        role = ROLE_NAMES.get(fold(row.get("role")).replace(" ", "_")) or ROLE_NAMES.get(fold(row.get("role")))
        if role is None:
            problems.append(f"vai trò '{row.get('role')}' không hợp lệ (một trong: {', '.join(Role.values)}).")
        category = row.get("category").upper()
        if category not in {"CB", "CC", "VC"}:
            problems.append(f"ngạch '{row.get('category')}' không hợp lệ (CB, CC hoặc VC).")
        email = row.get("email")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(f"thư điện tử '{email}' không hợp lệ.")
        phone = row.get("phone")
        if phone and not PHONE.match(phone):
            problems.append(f"số điện thoại '{phone}' không hợp lệ.")
        active_text = fold(row.get("active"))
        if active_text not in TRUE | FALSE:
            problems.append(f"cột active '{row.get('active')}' không hợp lệ (1 hoặc 0).")
        post_text = fold(row.get("holds_post"))
        if post_text and post_text not in TRUE | FALSE:
            problems.append(f"cột holds_post '{row.get('holds_post')}' không hợp lệ (1: giữ chức vụ lãnh đạo, "
                            f"quản lý; 0: không).")
        for problem in problems:
            errors.add(row.line, problem)
        if problems:
            continue
        seen[username.lower()] = row.line
        assert agency is not None and role is not None
        lines.append(StaffLine(row.line, username, full_name, agency, role, row.get("position"), category,
                               " ".join(row.get("job_position").split()), email, phone, active_text in TRUE,
                               (post_text in TRUE) if post_text else None))

    users = {u.username.lower(): u for u in get_user_model().objects.filter(username__in=[ln.username for ln in lines])}
    staff = {s.user_id: s for s in Staff.objects.filter(user__in=users.values()).select_related("profile__job_position")}
    for ln in lines:
        user = users.get(ln.username.lower())
        if user is not None and user.pk not in staff:
            errors.add(ln.line, f"tài khoản '{ln.username}' đã có nhưng không phải cán bộ; không ghi đè.")
        elif user is not None:
            # No transfer, appointment or leaving while a discipline case is open (docs/discipline.md §4.5).
            current = staff[user.pk]
            after = {"agency_id": ln.agency.pk, "role": ln.role, "position": ln.position, "active": ln.active}
            changes = {k: (getattr(current, k), v) for k, v in after.items() if getattr(current, k) != v}
            profile = getattr(current, "profile", None) if hasattr(current, "profile") else None
            if ln.holds_post and not (profile and profile.holds_post):
                changes["holds_post"] = (False, True)
            try:
                staff_change_check(current, changes)
            except DomainError as exc:
                errors.add(ln.line, exc.message)
    errors.raise_if_any()

    result = ImportResult(dry_run=dry_run)
    with transaction.atomic():
        for ln in lines:
            user = users.get(ln.username.lower())
            outcome = staff_import_save(staff=staff.get(user.pk) if user else None, line=ln, dry_run=dry_run)
            setattr(result, outcome, getattr(result, outcome) + 1)
    return result
