"""Reading import files (CSV or XLSX) with line numbers, and collecting line-numbered errors.

Every `phucvu import …` goes through here so that all imports speak the same way: all-or-nothing,
every bad line reported with its number and a Vietnamese message.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from phucvu.core.exceptions import InvalidInput


@dataclass
class Row:
    line: int  # 1-based line in the file; the header is line 1
    values: dict[str, str]

    def get(self, name: str) -> str:
        return (self.values.get(name) or "").strip()


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    dry_run: bool = False
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportRejected(InvalidInput):
    """The file had errors; nothing was written. `errors` lists them line by line."""

    code = "import_rejected"

    def __init__(self, errors: list[str]) -> None:
        super().__init__(f"Tệp bị từ chối, không có dòng nào được ghi ({len(errors)} lỗi).", details=errors)
        self.errors = errors


class Errors:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, line: int, message: str) -> None:
        self.items.append(f"Dòng {line}: {message}")

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise ImportRejected(self.items)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_rows(path: str | Path, *, required: list[str]) -> tuple[list[str], Iterator[Row]]:
    """Open a CSV (UTF-8, with or without BOM) or XLSX file; check the header has `required` columns."""
    header, records = read_records(path, required=required)
    return header, (Row(line, dict(zip(header, cells))) for line, cells in records)


def read_records(path: str | Path, *, required: list[str]) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """Like `read_rows`, for big files: each row is (line, cells) with cells as strings in header order.

    No dict per row; a short row is not padded (index it against `len(cells)` or pad it yourself).
    """
    path = Path(path)
    if not path.exists():
        raise InvalidInput(f"Không tìm thấy tệp: {path}")
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        header, records = _read_xlsx(path)
    elif suffix in {".csv", ".txt", ""}:
        header, records = _read_csv(path)
    else:
        raise InvalidInput(f"Định dạng tệp không hỗ trợ: {suffix} (chỉ nhận CSV hoặc XLSX).")
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportRejected([f"Dòng 1: thiếu cột bắt buộc: {', '.join(missing)}."])
    return header, records


def _normalise_header(raw: list[object]) -> list[str]:
    return [_cell(h).strip().lower() for h in raw]


def _read_csv(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    handle = path.open(newline="", encoding="utf-8-sig")
    reader = csv.reader(handle)
    try:
        header = _normalise_header(next(reader))
    except StopIteration:
        handle.close()
        raise ImportRejected(["Dòng 1: tệp rỗng, không có dòng tiêu đề."]) from None

    def records() -> Iterator[tuple[int, list[str]]]:
        with handle:
            for number, record in enumerate(reader, start=2):
                for cell in record:  # skip a blank line: stop at the first cell with something in it
                    if cell and not cell.isspace():
                        yield number, record
                        break

    return header, records()


def _read_xlsx(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    from openpyxl import load_workbook  # noqa: PLC0415 - openpyxl is loaded only when an XLSX file is read

    book = load_workbook(path, read_only=True, data_only=True)
    sheet = book.worksheets[0]
    iterator = sheet.iter_rows(values_only=True)
    try:
        header = _normalise_header(list(next(iterator)))
    except StopIteration:
        raise ImportRejected(["Dòng 1: tệp rỗng, không có dòng tiêu đề."]) from None

    def records() -> Iterator[tuple[int, list[str]]]:
        for number, record in enumerate(iterator, start=2):
            cells = [_cell(v) for v in record]
            if not any(c.strip() for c in cells):
                continue
            yield number, cells
        book.close()

    return header, records()


def parse_date(text: str) -> dt.date:
    """ISO date, or dd/mm/yyyy as Vietnamese offices write it."""
    text = text.strip()
    if "T" in text:
        text = text.split("T", 1)[0]
    try:
        if "/" in text:
            day, month, year = text.split("/")
            return dt.date(int(year), int(month), int(day))
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise InvalidInput(f"ngày không hợp lệ: '{text}' (dùng YYYY-MM-DD hoặc DD/MM/YYYY)") from None
