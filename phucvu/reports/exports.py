"""A report as a file: JSON (the contract), CSV, XLSX laid out as form 06, PDF (WeasyPrint, DejaVu)."""

from __future__ import annotations

import csv
import io
import json

from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from phucvu.core import tablepdf
from phucvu.core.numbers import grouped, percent
from phucvu.reports.engine import Report

FORMATS = ("json", "csv", "xlsx", "pdf")
CONTENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}

# Form 06/VPCP/KSTT (Circular 01/2020/TT-VPCP): columns (3)–(13) after STT and the unit or field.
FORM06_COLUMNS = [
    ("received", "total"), ("received", "online"), ("received", "direct"), ("received", "carried_over"),
    ("resolved", "total"), ("resolved", "early"), ("resolved", "on_time"), ("resolved", "late"),
    ("in_progress", "total"), ("in_progress", "within"), ("in_progress", "overdue"),
]
# The drill-down figure behind each column (phucvu.reports.drilldown.FIGURES).
FIGURE_OF = {
    ("received", "total"): "received", ("received", "online"): "online", ("received", "direct"): "direct",
    ("received", "carried_over"): "carried_over", ("resolved", "total"): "resolved", ("resolved", "early"): "early",
    ("resolved", "on_time"): "on_time", ("resolved", "late"): "late", ("in_progress", "total"): "in_progress",
    ("in_progress", "within"): "within", ("in_progress", "overdue"): "overdue",
}
CSV_HEADER = [
    "ma", "ten", "tiep_nhan_tong", "tiep_nhan_truc_tuyen", "tiep_nhan_truc_tiep_buu_chinh", "ky_truoc_chuyen_qua",
    "da_giai_quyet_tong", "truoc_han", "dung_han", "qua_han", "dang_giai_quyet_tong", "trong_han",
    "dang_qua_han", "tam_dung", "rut_ho_so", "dung_xu_ly", "ty_le_dung_han", "ty_le_tien_do",
]
# Translated when shown: the page follows the reader's language; the PDF and XLSX forms render in Vietnamese.
BY_LABEL = {"agency": _("Đơn vị"), "competent": _("Cơ quan có thẩm quyền giải quyết"), "field": _("Lĩnh vực"),
            "level": _("Cấp"), "procedure": _("Thủ tục hành chính")}
TREE_BY = ("agency", "competent")  # the groupings drawn as the agency tree (indented)


def _flat(row: dict) -> list:
    values = [row["key"], row["name"]] + [row[g][k] for g, k in FORM06_COLUMNS]
    values += [row["in_progress"]["paused"], row["withdrawn"], row["stopped"], row["on_time_rate"],
               row["progress_rate"]]
    return values


def to_json(report: Report) -> bytes:
    return json.dumps(report.as_json(), ensure_ascii=False, indent=2).encode()


def to_csv(report: Report) -> bytes:
    data = report.as_json()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for row in [*data["rows"], data["total"]]:
        writer.writerow(["" if v is None else v for v in _flat(row)])
    # A BOM so that Excel opens the Vietnamese text as UTF-8.
    return ("\ufeff" + out.getvalue()).encode()


def title(report: Report) -> str:
    where = report.agency.name if report.agency else "toàn tỉnh"
    return f"TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI {where.upper()}"


def period_label(report: Report) -> str:
    return gettext("Kỳ báo cáo: từ ngày %(start)s đến ngày %(end)s") % {
        "start": f"{report.date_from:%d/%m/%Y}", "end": f"{report.date_to:%d/%m/%Y}"}


def to_xlsx(report: Report) -> bytes:
    import xlsxwriter  # noqa: PLC0415 - XlsxWriter is loaded only when an Excel file is written

    data = report.as_json()
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    sheet = book.add_worksheet("Mẫu 06")
    base = {"font_name": "Times New Roman", "font_size": 11, "valign": "vcenter"}
    f_title = book.add_format({**base, "bold": True, "align": "center", "font_size": 13, "text_wrap": True})
    f_center = book.add_format({**base, "align": "center"})
    f_italic = book.add_format({**base, "italic": True, "align": "center"})
    f_head = book.add_format({**base, "bold": True, "align": "center", "border": 1, "text_wrap": True})
    f_cell = book.add_format({**base, "border": 1, "text_wrap": True})
    f_num = book.add_format({**base, "border": 1, "num_format": "#,##0"})
    f_total = book.add_format({**base, "border": 1, "bold": True})
    f_total_num = book.add_format({**base, "border": 1, "bold": True, "num_format": "#,##0"})
    f_pct = book.add_format({**base, "border": 1, "num_format": "0.00%"})
    # STT, the unit, the eleven counts, the rate: columns (1)–(14), the rate in the last one.
    last_col = 2 + len(FORM06_COLUMNS)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.set_column(0, 0, 5)
    sheet.set_column(1, 1, 38)
    sheet.set_column(2, last_col, 10)
    sheet.merge_range(0, 0, 0, last_col, "Mẫu số 06/VPCP/KSTT (Thông tư số 01/2020/TT-VPCP)", f_italic)
    sheet.merge_range(1, 0, 1, last_col, title(report), f_title)
    sheet.merge_range(2, 0, 2, last_col, period_label(report), f_center)
    sheet.merge_range(3, 0, 3, last_col, "Đơn vị tính: Số hồ sơ TTHC", f_italic)
    h = 5
    sheet.merge_range(h, 0, h + 2, 0, "STT", f_head)
    sheet.merge_range(h, 1, h + 2, 1, str(BY_LABEL[report.by]), f_head)
    sheet.merge_range(h, 2, h, 5, "Số hồ sơ nhận giải quyết", f_head)
    sheet.merge_range(h + 1, 2, h + 2, 2, "Tổng số", f_head)
    sheet.merge_range(h + 1, 3, h + 1, 4, "Trong kỳ", f_head)
    sheet.write(h + 2, 3, "Trực tuyến", f_head)
    sheet.write(h + 2, 4, "Trực tiếp, dịch vụ bưu chính", f_head)
    sheet.merge_range(h + 1, 5, h + 2, 5, "Từ kỳ trước", f_head)
    sheet.merge_range(h, 6, h, 9, "Số hồ sơ đã giải quyết", f_head)
    sheet.merge_range(h + 1, 6, h + 2, 6, "Tổng số", f_head)
    sheet.merge_range(h + 1, 7, h + 2, 7, "Trước hạn", f_head)
    sheet.merge_range(h + 1, 8, h + 2, 8, "Đúng hạn", f_head)
    sheet.merge_range(h + 1, 9, h + 2, 9, "Quá hạn", f_head)
    sheet.merge_range(h, 10, h, 12, "Số hồ sơ đang giải quyết", f_head)
    sheet.merge_range(h + 1, 10, h + 2, 10, "Tổng số", f_head)
    sheet.merge_range(h + 1, 11, h + 2, 11, "Trong hạn", f_head)
    sheet.merge_range(h + 1, 12, h + 2, 12, "Quá hạn", f_head)
    sheet.merge_range(h, last_col, h + 2, last_col, "Tỷ lệ trước hạn, đúng hạn", f_head)
    for col in range(last_col + 1):
        sheet.write(h + 3, col, f"({col + 1})", f_head)
    r = h + 4
    for i, row in enumerate(data["rows"], start=1):
        depth = report.rows[i - 1].depth if report.by in TREE_BY else 0
        sheet.write(r, 0, i, f_cell)
        sheet.write(r, 1, ("   " * depth) + row["name"], f_cell)
        for c, (g, k) in enumerate(FORM06_COLUMNS, start=2):
            sheet.write_number(r, c, row[g][k], f_num)
        _write_rate(sheet, r, last_col, row["on_time_rate"], f_pct, f_cell)
        r += 1
    total = data["total"]
    sheet.write(r, 0, "", f_total)
    sheet.write(r, 1, "Tổng cộng", f_total)
    for c, (g, k) in enumerate(FORM06_COLUMNS, start=2):
        sheet.write_number(r, c, total[g][k], f_total_num)
    _write_rate(sheet, r, last_col, total["on_time_rate"], f_pct, f_total)
    r += 2
    sheet.merge_range(r, 0, r, 6, "NGƯỜI LẬP BIỂU", f_head_plain := book.add_format({**base, "bold": True,
                                                                                      "align": "center"}))
    sheet.merge_range(r, 7, r, last_col, "THỦ TRƯỞNG ĐƠN VỊ", f_head_plain)
    sheet.merge_range(r + 1, 0, r + 1, 6, "(Ký, ghi rõ họ tên)", f_italic)
    sheet.merge_range(r + 1, 7, r + 1, last_col, "(Ký tên, đóng dấu)", f_italic)
    sheet.repeat_rows(h, h + 3)
    book.close()
    return buf.getvalue()


def _write_rate(sheet, r, c, value, f_pct, f_blank) -> None:
    if value is None:
        sheet.write_blank(r, c, None, f_blank)
    else:
        sheet.write_number(r, c, value, f_pct)


def form06_context(report: Report) -> dict:
    """Form 06 on screen: each row's place in the tree (`fold` keeps those shown; their figures and links are
    computed then, `links.form06_cells`: a province has hundreds of rows and a page shows a few dozen)."""
    total = report.total.figures()
    rows = [{"n": i, "depth": (r.depth if report.by in TREE_BY else 0), "source": r, "ref": r.ref}
            for i, r in enumerate(report.rows, start=1)]
    return {"report": report, "rows": rows, "total": total,
            "total_cells": [total[g][k] for g, k in FORM06_COLUMNS], "title": title(report),
            "period_label": period_label(report), "by_label": str(BY_LABEL[report.by]),
            "made_at": timezone.localtime()}


def fold(rows: list[dict], *, show_depth: int | None, parent=None, depth: int = 0, number: str = "") -> list[dict]:
    """The rows of form 06 on screen as a tree: each row knows its parent, whether it has children and
    whether they are shown. `show_depth` None shows every row; otherwise rows below it are left out and their
    parents drawn folded (the page asks for a parent's children when it is unfolded). `depth`/`number`
    place a subtree's rows under a parent already on the page (its depth, its number: 3 → 3.1, 3.2…)."""
    out: list[dict] = []
    parents: list[dict] = []  # the chain of ancestors of the current row
    counters: dict[int, int] = {}
    for row in rows:
        level = row["depth"]
        del parents[level:]
        counters = {k: v for k, v in counters.items() if k <= level}
        counters[level] = counters.get(level, 0) + 1
        if parents:
            parents[-1]["has_children"] = True
        # The subtree's top row (the report's agency, or the parent being unfolded) keeps the parent's number
        # (none for the report's agency: it repeats the total); below it 1, 2, … then 2.1, 2.2, …
        row = dict(row, depth=level + depth, has_children=False,
                   parent=parents[-1]["ref"] if parents else parent,
                   n=".".join([*([number] if number else []), *(str(counters[k]) for k in range(1, level + 1))]))
        parents.append(row)
        if show_depth is None or level <= show_depth:
            out.append(row)
    for row in out:
        row["open"] = row["has_children"] and (show_depth is None or row["depth"] - depth < show_depth)
    return out


def form06_pdf_document(report: Report) -> tablepdf.TableDocument:
    """Form 06 as `tablepdf` draws it: the header grid of the form, a row per unit (indented in the tree),
    the total in bold, the signatures."""
    data = report.as_json()
    rows: list[tablepdf.TableRow] = []
    for r, d in zip(report.rows, data["rows"]):
        counts = [grouped(d[g][k]) for g, k in FORM06_COLUMNS]
        rows.append(tablepdf.TableRow([d["name"], *counts, percent(d["on_time_rate"])],
                                      indent=r.depth if report.by in TREE_BY else 0))
    total = data["total"]
    rows.append(tablepdf.TableRow(["Tổng cộng", *(grouped(total[g][k]) for g, k in FORM06_COLUMNS),
                                   percent(total["on_time_rate"])], bold=True, numbered=False))
    columns = [tablepdf.Column("STT", 0.035, align="right"), tablepdf.Column(str(BY_LABEL[report.by]), 0.255)]
    columns += [tablepdf.Column("", 0.058, align="right") for _ in FORM06_COLUMNS]
    columns += [tablepdf.Column("", 0.072, align="right")]
    h = tablepdf.HeaderCell
    header = [h("STT", 0, 0, rowspan=3), h(str(BY_LABEL[report.by]), 0, 1, rowspan=3),
              h("Số hồ sơ nhận giải quyết", 0, 2, colspan=4), h("Số hồ sơ đã giải quyết", 0, 6, colspan=4),
              h("Số hồ sơ đang giải quyết", 0, 10, colspan=3), h("Tỷ lệ trước hạn, đúng hạn", 0, 13, rowspan=3),
              h("Tổng số", 1, 2, rowspan=2), h("Trong kỳ", 1, 3, colspan=2), h("Từ kỳ trước", 1, 5, rowspan=2),
              h("Tổng số", 1, 6, rowspan=2), h("Trước hạn", 1, 7, rowspan=2), h("Đúng hạn", 1, 8, rowspan=2),
              h("Quá hạn", 1, 9, rowspan=2), h("Tổng số", 1, 10, rowspan=2), h("Trong hạn", 1, 11, rowspan=2),
              h("Quá hạn", 1, 12, rowspan=2), h("Trực tuyến", 2, 3), h("Trực tiếp, dịch vụ bưu chính", 2, 4)]
    header += [h(f"({i + 1})", 3, i) for i in range(len(columns))]
    made = timezone.localtime()
    return tablepdf.TableDocument(
        form_line="Mẫu số 06/VPCP/KSTT (Thông tư số 01/2020/TT-VPCP)", issuer_parent="", issuer="", place_date="",
        title=title(report), subtitle=[period_label(report), "Đơn vị tính: Số hồ sơ TTHC"], columns=columns,
        rows=rows, header=header, national_header=False,
        signatures=[[("NGƯỜI LẬP BIỂU", "b"), ("(Ký, ghi rõ họ tên)", "i")],
                    [(f"…, ngày {made:%d} tháng {made:%m} năm {made:%Y}", "i"), ("THỦ TRƯỞNG ĐƠN VỊ", "b"),
                     ("(Ký tên, đóng dấu)", "i")]])


def to_pdf(report: Report) -> bytes:
    # Drawn by tablepdf, not WeasyPrint: a whole province's form 06 (533 rows) took 12–14 s through
    # WeasyPrint's layout of every cell, and about half a second this way (docs/performance.md).
    return tablepdf.render(form06_pdf_document(report), font_dir=tablepdf.font_dir())


def render(report: Report, fmt: str) -> bytes:
    # Form 06 is a legal report: its files are Vietnamese whatever language the reader browses in.
    with translation.override("vi"):
        return {"json": to_json, "csv": to_csv, "xlsx": to_xlsx, "pdf": to_pdf}[fmt](report)
