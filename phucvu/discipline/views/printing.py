"""The evaluation's PDFs and the national database export (docs/discipline.md §6.8), through the same
selectors (and so the same visibility rule) as the pages they print."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from phucvu.core.web import query_year
from phucvu.discipline import printing
from phucvu.discipline.selectors import evaluation as selectors
from phucvu.discipline.selectors.staff import staff_year
from phucvu.discipline.views.evaluation import _csv
from phucvu.dossiers.pdf import pdf_response


@login_required
def sheet_pdf(request: HttpRequest, sheet_id: int) -> HttpResponse:
    sheet = selectors.sheet_detail(user=request.user, sheet_id=sheet_id)
    return pdf_response(printing.sheet_pdf(sheet), f"phieu-cham-diem-{sheet.staff.user.username}-"
                                                   f"{sheet.period_label}.pdf")


@login_required
def year_pdf(request: HttpRequest, staff_id: int) -> HttpResponse:
    year = query_year(request.GET, "year", default=timezone.localdate().year) or timezone.localdate().year
    staff, graded, sheets = staff_year(user=request.user, staff_id=staff_id, year=year)
    return pdf_response(printing.year_pdf(staff, year, graded, sheets),
                        f"xep-loai-{staff.user.username}-{year}.pdf")


@login_required
def national_export(request: HttpRequest, agency_id: int) -> HttpResponse:
    year = query_year(request.GET, "year", default=timezone.localdate().year) or timezone.localdate().year
    agency, grading, staff = selectors.unit_ranking(user=request.user, agency_id=agency_id, year=year)
    return _csv(f"csdl-quoc-gia-{agency.code}-{year}", printing.NATIONAL_COLUMNS,
                printing.national_rows(agency, year, grading.staff, staff))
