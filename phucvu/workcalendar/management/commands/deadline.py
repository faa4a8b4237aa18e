"""`phucvu deadline --received ISO (--hours N | --days N | --procedure CODE) [--agency CODE] [--cutoff HH:MM]`.

Prints one JSON object {"received", "start", "due"} with ISO 8601 instants in +07:00, computed on the
calendar in the database (rows imported with `phucvu import calendar` count at once).
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError

from phucvu.core.exceptions import DomainError
from phucvu.workcalendar.selectors import deadline_check, parse_cutoff, parse_received


def _amount(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise CommandError(f"Số không hợp lệ: '{text}'.") from None
    if value < 0:
        raise CommandError("Thời hạn không được âm.")
    return value


class Command(BaseCommand):
    help = "Tính hạn giải quyết theo lịch làm việc trong cơ sở dữ liệu; in một đối tượng JSON."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--received", required=True, help="thời điểm tiếp nhận, ISO 8601 (2025-01-24T16:30+07:00)")
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--hours", type=_amount, help="số giờ làm việc")
        group.add_argument("--days", type=_amount, help="số ngày làm việc")
        group.add_argument("--procedure", help="mã thủ tục (lấy thời hạn của phiên bản đang hiệu lực)")
        parser.add_argument("--agency", help="mã đơn vị tiếp nhận (lịch và giờ làm việc của đơn vị)")
        parser.add_argument("--cutoff", help="giờ chốt nhận hồ sơ HH:MM (sau giờ này tính từ ngày làm việc sau)")

    def handle(self, *args, received: str, hours, days, procedure, agency, cutoff, **options) -> None:
        try:
            result = deadline_check(received=parse_received(received), hours=hours, days=days,
                                    procedure_code=procedure, agency_code=agency, cutoff=parse_cutoff(cutoff))
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(json.dumps(result, ensure_ascii=False))
