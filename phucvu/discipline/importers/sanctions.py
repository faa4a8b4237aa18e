"""`phucvu import sanctions FILE`: sanctions decided outside the system, all or nothing (docs/discipline.md §6.6).

Columns: username, form (khien_trach, canh_cao, …), decided_on, effective_from, reason. The form must be
one the cadre's category has: on the decision date, or under the text in force when a case decided that day
could have started (150 days before). A line already recorded (same cadre, form and date) is skipped.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import transaction

from phucvu.core.exceptions import InvalidInput
from phucvu.core.tables import Errors, ImportResult, parse_date, read_rows
from phucvu.discipline.clocks import FORMS, check_form
from phucvu.discipline.models import FORM_KINDS, KIND_FORMS, Sanction
from phucvu.discipline.services.cases import sanction_import_save
from phucvu.organization.models import Staff

COLUMNS = ["username", "form", "decided_on", "effective_from", "reason"]
LONGEST_CASE = dt.timedelta(days=150)


def import_sanctions(path: str | Path, *, dry_run: bool = False) -> ImportResult:
    _header, rows = read_rows(path, required=COLUMNS)
    rows = list(rows)
    errors = Errors()
    staff = {s.user.username: s for s in Staff.objects.filter(user__username__in={r.get("username") for r in rows})
             .select_related("user")}
    known = set(Sanction.objects.filter(staff__in=staff.values()).values_list("staff_id", "kind", "decided_on"))
    seen: dict[tuple, int] = {}
    good = []
    for row in rows:
        person = staff.get(row.get("username"))
        if person is None:
            errors.add(row.line, f"không có cán bộ tên đăng nhập '{row.get('username')}'.")
            continue
        form = row.get("form").lower()
        form = KIND_FORMS.get(form, form)
        try:
            if form not in FORMS:
                raise InvalidInput(f"hình thức '{row.get('form')}' không hợp lệ (một trong: {', '.join(FORMS)}).")
            decided_on = parse_date(row.get("decided_on"))
            effective_from = parse_date(row.get("effective_from")) if row.get("effective_from") else decided_on
            if effective_from < decided_on:
                raise InvalidInput("ngày có hiệu lực trước ngày quyết định.")
            if person.category not in ("CB", "CC", "VC"):
                raise InvalidInput(f"cán bộ '{person.user.username}' không thuộc ngạch CB, CC hoặc VC.")
            _check_form(person.category, form, decided_on)
        except InvalidInput as exc:
            errors.add(row.line, exc.message)
            continue
        key = (person.pk, FORM_KINDS[form], decided_on)
        if key in seen:
            errors.add(row.line, f"trùng với dòng {seen[key]}.")
            continue
        seen[key] = row.line
        good.append((person, FORM_KINDS[form], decided_on, effective_from, row.get("reason"), key in known))
    errors.raise_if_any()

    result = ImportResult(dry_run=dry_run)
    with transaction.atomic():
        for person, kind, decided_on, effective_from, reason, already in good:
            if already:
                result.skipped += 1
                continue
            result.created += 1
            if not dry_run:
                sanction_import_save(staff=person, kind=kind, decided_on=decided_on, effective_from=effective_from,
                                     reason=reason)
    return result


def _check_form(category: str, form: str, decided_on: dt.date) -> None:
    try:
        check_form(category, form, decided_on)
    except InvalidInput as on_the_day:
        # A case that started under the earlier text finishes under it (docs/discipline.md §2).
        try:
            check_form(category, form, decided_on - LONGEST_CASE)
        except InvalidInput:
            raise on_the_day from None
