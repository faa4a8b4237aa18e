"""`phucvu calendar seed | export [--year Y] [--output FILE]`: the national calendar's rows."""

from __future__ import annotations

import csv

from django.core.management.base import BaseCommand, CommandError

from phucvu.organization.models import Agency
from phucvu.workcalendar import services
from phucvu.workcalendar.exporting import EXPORT_COLUMNS, export_rows, write_xlsx
from phucvu.workcalendar.seed import SEED_FIRST_YEAR, SEED_LAST_YEAR


class Command(BaseCommand):
    help = "Lịch làm việc: khởi tạo từ thư viện holidays (seed) hoặc xuất ra CSV/XLSX (export)."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        seed = sub.add_parser("seed", help="thêm các ngày lễ, nghỉ bù, làm bù còn thiếu (không ghi đè)")
        seed.add_argument("--from-year", type=int, default=SEED_FIRST_YEAR)
        seed.add_argument("--to-year", type=int, default=SEED_LAST_YEAR)
        export = sub.add_parser("export", help="xuất các ngày đặc biệt (cột date,kind,name,…)")
        export.add_argument("--year", type=int, help="chỉ một năm")
        export.add_argument("--output", help="tệp .csv hoặc .xlsx (mặc định: CSV ra màn hình)")
        export.add_argument("--jurisdiction", help="mã đơn vị: xuất các ngày riêng của đơn vị đó")

    def handle(self, *args, action: str, **options) -> None:
        if action == "seed":
            created = services.calendar_seed(first_year=options["from_year"], last_year=options["to_year"])
            self.stdout.write(self.style.SUCCESS(f"Đã thêm {created} ngày vào lịch toàn quốc."))
            return
        jurisdiction = None
        if options.get("jurisdiction"):
            jurisdiction = Agency.objects.filter(code=options["jurisdiction"]).first()
            if jurisdiction is None:
                raise CommandError(f"Không có đơn vị mã '{options['jurisdiction']}'.")
        rows = export_rows(year=options.get("year"), jurisdiction=jurisdiction)
        output = options.get("output")
        if output and output.lower().endswith(".xlsx"):
            write_xlsx(output, rows)
        elif output:
            with open(output, "w", newline="", encoding="utf-8") as handle:
                _write_csv(handle, rows)
        else:
            _write_csv(self.stdout, rows)
        if output:
            self.stderr.write(f"Đã xuất {len(rows)} ngày ra {output}.")


def _write_csv(handle, rows: list[list[str]]) -> None:
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    writer.writerows(rows)
