"""Export of calendar rows in the import's own columns, so an exported file can be edited and re-imported."""

from __future__ import annotations

from pathlib import Path

from phucvu.organization.models import Agency
from phucvu.workcalendar.selectors import calendar_days

EXPORT_COLUMNS = ["date", "kind", "name", "jurisdiction", "source", "basis"]


def export_rows(*, year: int | None = None, jurisdiction: Agency | None = None) -> list[list[str]]:
    return [[r.day.isoformat(), r.kind, r.name, r.jurisdiction.code if r.jurisdiction else "", r.source, r.basis]
            for r in calendar_days(year=year, jurisdiction=jurisdiction).filter(active=True)]


def write_xlsx(path: str | Path, rows: list[list[str]]) -> None:
    import xlsxwriter  # noqa: PLC0415 - XlsxWriter is loaded only when an Excel file is written

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("lich")
    bold = book.add_format({"bold": True})
    sheet.write_row(0, 0, EXPORT_COLUMNS, bold)
    for i, row in enumerate(rows, start=1):
        sheet.write_row(i, 0, row)
    sheet.set_column(0, 0, 12)
    sheet.set_column(2, 2, 40)
    book.close()
