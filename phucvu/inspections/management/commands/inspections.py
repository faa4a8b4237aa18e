"""`phucvu inspections counts --from YYYY-MM-DD --to YYYY-MM-DD [--by organizer|inspected]
[--kind scheduled|surprise|cross|civil_service] [--format json|csv|xlsx] [--output FILE]`."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from phucvu.core.exceptions import DomainError
from phucvu.inspections.exports import FORMATS, render
from phucvu.inspections.selectors import counts_table

ACTIONS = ("counts",)


def _date(name: str, value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Ngày {name} không hợp lệ: “{value}” (viết dạng YYYY-MM-DD, ví dụ 2017-01-01).") from None


class Command(BaseCommand):
    help = ("Thanh tra, kiểm tra. 'counts': số cuộc theo cơ quan tiến hành hoặc đơn vị được kiểm tra, "
            "theo hình thức, trong một kỳ (JSON mặc định, CSV, XLSX).")

    def add_arguments(self, parser):
        # Checked in handle(), not by argparse: its refusals are in English.
        parser.add_argument("action", help="counts")
        parser.add_argument("--from", dest="date_from", required=True, help="ngày đầu kỳ, YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", required=True, help="ngày cuối kỳ, YYYY-MM-DD")
        parser.add_argument("--by", default="organizer", help="organizer (mặc định) hoặc inspected")
        parser.add_argument("--kind", default="", help="scheduled, surprise, cross hoặc civil_service")
        parser.add_argument("--format", default="json", help="json (mặc định), csv hoặc xlsx")
        parser.add_argument("--output", help="ghi ra tệp (bắt buộc với xlsx)")

    def handle(self, *args, action, date_from, date_to, by, kind, format, output, **options):
        if action not in ACTIONS:
            raise CommandError(f"Không có lệnh “{action}”: dùng “phucvu inspections counts …”.")
        if format not in FORMATS:
            raise CommandError(f"Định dạng “{format}” không hợp lệ: chọn json, csv hoặc xlsx.")
        start, end = _date("--from", date_from), _date("--to", date_to)
        try:
            table = counts_table(date_from=start, date_to=end, by=by, kind=kind)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        payload = render(table, format, date_from=start, date_to=end, by=by)
        if output:
            with open(output, "wb") as fh:
                fh.write(payload)
        elif format == "xlsx":
            stream = getattr(self.stdout._out, "buffer", None)
            if stream is None or self.stdout.isatty():
                raise CommandError("Định dạng xlsx cần --output TỆP (hoặc chuyển đầu ra vào một tệp).")
            stream.write(payload)
        else:
            self.stdout.write(payload.decode("utf-8").rstrip("\n"))
