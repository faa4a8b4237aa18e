"""Form 06 as files: every header sits over its own column, the PDF shows every row of the report."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import weasyprint
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from phucvu.dossiers.facts import DossierFacts, publish
from phucvu.reports.engine import Report, build_report
from phucvu.reports.exports import FORM06_COLUMNS, render, to_xlsx
from phucvu.reports.tests.reference import LOCAL


def facts(pk, agency, *, resolved_day=None):
    received = dt.datetime(2017, 3, 2, 9, tzinfo=LOCAL)
    resolved = None if resolved_day is None else dt.datetime(2017, 3, resolved_day, 10, tzinfo=LOCAL)
    return DossierFacts(dossier_id=pk, agency_id=agency.pk, procedure_id=5, field_id=1, channel="counter",
                        received_at=received, due_at=dt.datetime(2017, 3, 9, 9, tzinfo=LOCAL), resolved_at=resolved)


@pytest.fixture
def report(province):
    publish([(None, facts(1, province["commune_desk"], resolved_day=5)),
             (None, facts(2, province["commune3"], resolved_day=12)), (None, facts(3, province["center"]))])
    return build_report(dt.date(2017, 3, 1), dt.date(2017, 3, 31), agency=None, by="agency")


@pytest.mark.django_db
def test_form06_xlsx_puts_the_rate_under_its_own_header_and_leaves_no_empty_column(report):
    sheet = load_workbook(io.BytesIO(to_xlsx(report))).active
    numbering = next(r for r in range(1, 20) if sheet.cell(r, 1).value == "(1)")
    width = 2 + len(FORM06_COLUMNS) + 1  # STT, unit, the counts, the rate
    assert [sheet.cell(numbering, c).value for c in range(1, width + 2)] == \
        [f"({n})" for n in range(1, width + 1)] + [None]
    # The header of the last numbered column is the rate (a merged cell spanning the three header rows).
    assert sheet.cell(numbering - 3, width).value == "Tỷ lệ trước hạn, đúng hạn"
    rows = range(numbering + 1, numbering + 1 + len(report.rows) + 1)  # the agencies, then the total
    for r in rows:
        assert sheet.cell(r, width + 1).value is None
        assert all(isinstance(sheet.cell(r, c).value, int) for c in range(3, width))
    total = sheet.cell(rows[-1], width)
    assert sheet.cell(rows[-1], 2).value == "Tổng cộng"
    assert total.value == pytest.approx(0.5) and total.number_format == "0.00%"  # one of two on time


def test_form06_pdf_has_every_row_the_forms_header_on_every_page_and_the_signatures(report):
    """Drawn by tablepdf (WeasyPrint took 12–14 s for a province): the same content as the form."""
    many = Report(date_from=report.date_from, date_to=report.date_to, by="agency", agency=None,
                  rows=report.rows * 30, total=report.total)  # ≈ 300 rows: several pages
    reader = PdfReader(io.BytesIO(render(many, "pdf")))
    pages = [" ".join((p.extract_text() or "").split()) for p in reader.pages]
    assert len(pages) > 3
    first, last = pages[0], pages[-1]
    assert "Mẫu số 06/VPCP/KSTT (Thông tư số 01/2020/TT-VPCP)" in first
    assert "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI TOÀN TỈNH" in first
    assert "Kỳ báo cáo: từ ngày 01/03/2017 đến ngày 31/03/2017" in first
    for n, page in enumerate(pages, start=1):
        assert "Số hồ sơ nhận giải quyết" in page and "Tỷ lệ trước hạn, đúng hạn" in page and "(14)" in page
        assert f"Trang {n}/{len(pages)}" in page
    text = " ".join(pages)
    assert text.count("UBND phường Ka Long") == 30 and text.count("Bộ phận Một cửa phường Hồng Gai") == 30
    assert "Tổng cộng" in last and "50,00%" in last and "NGƯỜI LẬP BIỂU" in last and "THỦ TRƯỞNG ĐƠN VỊ" in last
    assert f"{len(report.rows) * 30} " in text  # the running number of the last row


@pytest.mark.django_db
def test_form06_pdf_is_vietnamese_whatever_the_readers_language(report):
    with translation.override("en"):
        text = " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(render(report, "pdf"))).pages)
    assert "Tổng cộng" in text and "50,00%" in text and "Total" not in text


def test_form06_pdf_is_not_laid_out_by_weasyprint(report, monkeypatch):
    """WeasyPrint lays out every cell through Pango: 12–14 s for a province's 533 rows (docs/performance.md
    has the figures of both ways; the benchmark is `python -m benchmarks form06`)."""
    def refuse(*args, **kwargs):
        raise AssertionError("form 06 went through WeasyPrint")

    monkeypatch.setattr(weasyprint, "HTML", refuse)
    assert render(report, "pdf").startswith(b"%PDF-")
