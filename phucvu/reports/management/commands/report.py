"""`phucvu report --from 2017-01-01 --to 2017-07-31 [--agency CODE] [--by …] [--format …] [--output FILE]`."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from phucvu.core.commandline import iso_date
from phucvu.core.exceptions import DomainError
from phucvu.organization.models import Agency
from phucvu.reports.engine import BY_CHOICES, build_report
from phucvu.reports.exports import FORMATS, render


class Command(BaseCommand):
    help = "Báo cáo tình hình giải quyết TTHC (mẫu 06) cho một kỳ và một nhánh cây đơn vị; JSON mặc định."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="date_from", required=True, type=iso_date)
        parser.add_argument("--to", dest="date_to", required=True, type=iso_date)
        parser.add_argument("--agency", help="mã đơn vị gốc của nhánh (mặc định: mọi đơn vị)")
        parser.add_argument("--by", choices=BY_CHOICES, default="agency")
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument("--output", help="ghi ra tệp (mặc định: đầu ra chuẩn)")

    def handle(self, *args, date_from, date_to, agency, by, format, output, **options):
        root = None
        if agency:
            root = Agency.objects.filter(code=agency).first()
            if root is None:
                raise CommandError(f"Không có đơn vị mã '{agency}'.")
        try:
            report = build_report(date_from, date_to, agency=root, by=by)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        payload = render(report, format)
        if output:
            with open(output, "wb") as fh:
                fh.write(payload)
        elif format in ("xlsx", "pdf"):
            raise CommandError("Định dạng xlsx/pdf cần --output TỆP.")
        else:
            # Through self.stdout, so that call_command(stdout=…) captures the report too.
            self.stdout.write(payload.decode("utf-8").rstrip("\n"))
