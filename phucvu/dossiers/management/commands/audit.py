"""`phucvu audit verify [--dossier CODE] [--from D] [--to D]` and `phucvu audit seal` (docs/audit.md).

`verify` checks every dossier's event chain and the day records, and names the first broken link; it exits
with status 1 when one is broken. `seal` writes the record of every finished day not sealed yet (the
worker's `audit_days` sweep does it hourly).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from phucvu.core.commandline import iso_date
from phucvu.dossiers.audit import seal_days, verify
from phucvu.dossiers.models import Dossier


class Command(BaseCommand):
    help = "Chuỗi băm sự kiện hồ sơ: kiểm tra (verify) hoặc niêm phong các ngày đã qua (seal)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        check = actions.add_parser("verify", help="kiểm tra chuỗi của mọi hồ sơ và các bản ghi ngày")
        check.add_argument("--dossier", default="", help="chỉ hồ sơ có mã này")
        check.add_argument("--from", dest="day_from", type=iso_date, help="hồ sơ có sự kiện từ ngày này (YYYY-MM-DD)")
        check.add_argument("--to", dest="day_to", type=iso_date, help="hồ sơ có sự kiện đến ngày này (YYYY-MM-DD)")
        check.add_argument("--no-progress", action="store_true", help="không hiện thanh tiến độ")
        actions.add_parser("seal", help="ghi bản ghi chuỗi của các ngày đã qua chưa niêm phong")

    def handle(self, *args, action, **options):
        if action == "seal":
            records = seal_days()
            for record in records:
                self.stdout.write(f"{record.day:%d/%m/%Y}: {record.dossiers} hồ sơ, {record.events} sự kiện, "
                                  f"{record.chain_hash}")
            self.stdout.write(f"Đã niêm phong {len(records)} ngày.")
            return
        code, day_from, day_to = options["dossier"].strip(), options["day_from"], options["day_to"]
        if day_from and day_to and day_from > day_to:
            raise CommandError("--from phải trước hoặc bằng --to.")
        if code and not Dossier.objects.filter(code=code).exists():
            raise CommandError(f"Không có hồ sơ mã '{code}'.")
        result = verify(dossier_code=code, day_from=day_from, day_to=day_to,
                        progress=not options["no_progress"] and options["verbosity"] > 0)
        summary = f"{result.events} sự kiện của {result.dossiers} hồ sơ, {result.days} bản ghi ngày"
        if result.intact:
            self.stdout.write(f"Chuỗi nguyên vẹn: {summary}.")
            if result.last_day is not None:
                self.stdout.write(f"Bản ghi ngày cuối: {result.last_day.day:%d/%m/%Y} {result.last_day.chain_hash}")
            return
        self.stdout.write(f"Chuỗi bị phá vỡ ({result.broken} chỗ) trong {summary}.")
        for found in result.breaks:
            self.stdout.write(f"  {found}")
        raise CommandError(f"Mắt xích hỏng đầu tiên — {result.breaks[0]}", returncode=1)
