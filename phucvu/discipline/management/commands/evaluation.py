"""`phucvu evaluation grade --agency CODE --year YYYY --format json`: the year's grades of one agency.

Prints {"agency", "year", "quota": {"excellent_max", "excellent"}, "staff": [{"username", "score", "grade",
"capped_by"}]} (docs/discipline.md §6).
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from phucvu.core.exceptions import DomainError
from phucvu.discipline.selectors.evaluation import agency_for_code, grading_json


class Command(BaseCommand):
    help = "Đánh giá, xếp loại: xếp loại cả năm của một đơn vị (grade)."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        grade = sub.add_parser("grade", help="xếp loại cả năm của một đơn vị")
        grade.add_argument("--agency", required=True, help="mã đơn vị")
        grade.add_argument("--year", required=True, help="năm đánh giá (YYYY)")
        grade.add_argument("--format", default="json", help="định dạng in ra: json")

    def handle(self, *args, action: str, agency: str, year: str, format: str, **options) -> None:
        if format != "json":
            raise CommandError(f"Định dạng '{format}' không hỗ trợ: chỉ có json.")
        if not (year.isdigit() and len(year) == 4 and 2000 <= int(year) <= 2100):
            raise CommandError(f"Năm '{year}' không hợp lệ: dùng YYYY, từ 2000 đến 2100.")
        try:
            result = grading_json(agency_for_code(agency.strip()), int(year))
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(json.dumps(result, ensure_ascii=False))
