"""The counts of inspections as a file: JSON (the contract), CSV and XLSX with the same rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable

from django.http import HttpResponse

from phucvu.inspections.models import Kind

FORMATS = ("json", "csv", "xlsx")
CONTENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
CSV_HEADER = ["agency", "name", "count", *Kind.values]


def _flat(row: dict) -> list:
    return [row["agency"], row["name"], row["count"], *(row["by_kind"].get(k, 0) for k in Kind.values)]


def to_json(table: dict) -> bytes:
    return json.dumps(table, ensure_ascii=False, indent=2).encode()


def to_csv(table: dict) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for row in table["rows"]:
        writer.writerow(_flat(row))
    # A BOM so that Excel opens the Vietnamese names as UTF-8.
    return ("\ufeff" + out.getvalue()).encode()


def to_xlsx(table: dict, *, date_from: dt.date, date_to: dt.date, by: str) -> bytes:
    import xlsxwriter  # noqa: PLC0415 - XlsxWriter is loaded only when an Excel file is written

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    sheet = book.add_worksheet("Thanh tra")
    bold = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "border": 1, "text_wrap": True, "align": "center"})
    cell = book.add_format({"border": 1})
    who = "cơ quan tiến hành" if by == "organizer" else "đơn vị được kiểm tra"
    sheet.write(0, 0, f"Số cuộc thanh tra, kiểm tra theo {who}, từ {date_from:%d/%m/%Y} đến {date_to:%d/%m/%Y}",
                bold)
    labels = ["Mã đơn vị", "Tên đơn vị", "Tổng số", *(str(label) for _, label in Kind.choices)]
    sheet.write_row(2, 0, labels, head)
    # The machine names under the labels: the same columns as the CSV, so a script can read either file.
    sheet.write_row(3, 0, CSV_HEADER, cell)
    r = 4
    for row in table["rows"]:
        sheet.write_row(r, 0, _flat(row), cell)
        r += 1
    sheet.write_row(r, 0, ["", "Tổng cộng", table["total"]], head)
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, 1, 48)
    sheet.set_column(2, 2 + len(Kind.values), 12)
    book.close()
    return buf.getvalue()


def render(table: dict, fmt: str, *, date_from: dt.date, date_to: dt.date, by: str) -> bytes:
    if fmt == "csv":
        return to_csv(table)
    if fmt == "xlsx":
        return to_xlsx(table, date_from=date_from, date_to=date_to, by=by)
    return to_json(table)


# ---------------------------------------------------------------------------------------------------
# The lists' exports: one header line and the rows the page lists (its search and filters applied)

LIST_FORMATS = ("csv", "xlsx")
LIST_EXPORT_LIMIT = 100_000


def list_file(header: list[str], rows: Iterable[list], fmt: str) -> bytes:
    """A list as CSV (UTF-8 with a BOM, for Excel) or XLSX: the header, then the rows, values as given."""
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
        return ("\ufeff" + out.getvalue()).encode()
    import xlsxwriter  # noqa: PLC0415 - XlsxWriter is loaded only when an Excel file is written

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, header, book.add_format({"bold": True}))
    for r, row in enumerate(rows, start=1):
        sheet.write_row(r, 0, row)
    sheet.set_column(0, len(header), 20)
    book.close()
    return buf.getvalue()


def list_response(name: str, header: list[str], rows: Iterable[list], fmt: str) -> HttpResponse:
    response = HttpResponse(list_file(header, rows, fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
