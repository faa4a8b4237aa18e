"""The evaluation's printed forms (docs/discipline.md §6.8): the period score sheet (Mẫu 01 of Decree
335/2025) and the yearly sheet of a cadre, laid out by WeasyPrint as the dossiers' forms are, with the same
fonts; and the export for the national database of cadres, civil servants and public employees."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from phucvu.discipline.grading import Graded
from phucvu.discipline.models import Grade, ScoreSheet, SheetStatus, StaffProfile
from phucvu.discipline.services.evaluation import GENERAL_CRITERIA
from phucvu.dossiers.pdf import font_faces, header
from phucvu.organization.models import Staff

# The national database's grade codes (docs/discipline.md §6.8).
NATIONAL_GRADE = {Grade.EXCELLENT: "1", Grade.GOOD: "2", Grade.COMPLETED: "3", Grade.NOT_COMPLETED: "4",
                  Grade.NOT_GRADED: ""}
NATIONAL_COLUMNS = ["ma_don_vi", "ten_don_vi", "ma_dinh_danh_don_vi", "nam", "ten_dang_nhap", "ho_ten", "ngach",
                    "vi_tri_viec_lam", "chuc_vu", "so_thang_cham", "diem_binh_quan", "ma_xep_loai", "xep_loai",
                    "ly_do_gioi_han", "quy_dinh"]


def _render(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # noqa: PLC0415 - WeasyPrint takes about a second to import; only PDFs need it

    html = render_to_string(template, {**context, "fonts": font_faces(), "printed_at": timezone.now()})
    return HTML(string=html).write_pdf()


def sheet_pdf(sheet: ScoreSheet) -> bytes:
    """Mẫu 01: the seven general criteria (maximum, self, manager), the work items and the totals."""
    rows = [{"label": label, "max": maximum, "self": sheet.self_items.get(key, ""),
             "manager": sheet.manager_items.get(key, "")} for key, label, maximum in GENERAL_CRITERIA]
    return _render("discipline/pdf/sheet.html", {**header(sheet.staff.agency), "sheet": sheet, "rows": rows,
                                                 "items": sheet.result_items})


def year_pdf(staff: Staff, year: int, graded: Graded | None, sheets: list[ScoreSheet]) -> bytes:
    """The yearly sheet: every final period's score, the average, the grade and the reason of a cap."""
    return _render("discipline/pdf/year.html", {**header(staff.agency), "staff": staff, "year": year,
                                                "g": graded, "sheets": sheets,
                                                "grade_label": dict(Grade.choices).get(graded.grade) if graded else ""})


def national_rows(agency, year: int, graded: list[Graded], staff: dict[str, Staff]) -> list[list[Any]]:
    """One row per cadre graded (or not) by the agency for the year, in `NATIONAL_COLUMNS` order."""
    profiles = {p.staff_id: p for p in StaffProfile.objects.filter(staff__in=list(staff.values()))
                .select_related("job_position")}
    labels = dict(Grade.choices)
    months: dict[int, int] = {}
    for staff_id, kind in ScoreSheet.objects.filter(staff__in=list(staff.values()), year=year,
                                                    status=SheetStatus.FINAL).values_list("staff_id", "period_kind"):
        months[staff_id] = months.get(staff_id, 0) + (3 if kind == "quarter" else 1)
    rows = []
    for g in graded:
        person = staff.get(g.username)
        profile = profiles.get(person.pk) if person else None
        rows.append([agency.code, agency.name, agency.electronic_id, year, g.username,
                     person.full_name if person else "", person.category if person else "",
                     profile.job_position.name if profile and profile.job_position else "",
                     person.position if person else "", months.get(person.pk, 0) if person else 0,
                     "" if g.score is None else f"{g.score:.2f}", NATIONAL_GRADE[g.grade], str(labels[g.grade]),
                     g.capped_by or "", g.rule_set])
    return rows
