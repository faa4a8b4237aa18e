"""`phucvu discipline clocks …`: the two legal clocks of a discipline case, as one JSON object.

    phucvu discipline clocks --category CC --form canh_cao --violation-ended 2025-03-10 \
        --discovered 2025-08-04 [--complex] [--paused 2025-09-01/2025-09-30]...
    {"limitation_ends": "2030-03-11", "decision_due": "2025-11-03", "rule_set": "172/2025/NĐ-CP"}

Dates are counted on the national working calendar in the database (docs/discipline.md §4).
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from phucvu.core.exceptions import DomainError
from phucvu.discipline.clocks import FORMS, compute_clocks, parse_day, parse_pause
from phucvu.workcalendar.selectors import calendar_for


class Command(BaseCommand):
    help = "Kỷ luật: tính thời hiệu và thời hạn xử lý kỷ luật (clocks)."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        clocks = sub.add_parser("clocks", help="thời hiệu và thời hạn xử lý kỷ luật, in một đối tượng JSON")
        clocks.add_argument("--category", required=True, help="ngạch: CB, CC hoặc VC")
        clocks.add_argument("--form", required=True, help=f"hình thức kỷ luật: {', '.join(FORMS)}")
        clocks.add_argument("--violation-ended", required=True, help="ngày kết thúc hành vi vi phạm (YYYY-MM-DD)")
        clocks.add_argument("--discovered", required=True, help="ngày phát hiện vi phạm (YYYY-MM-DD)")
        clocks.add_argument("--complex", action="store_true", help="vụ việc phức tạp (thời hạn kéo dài)")
        clocks.add_argument("--paused", action="append", default=[], metavar="FROM/TO",
                            help="khoảng không tính vào thời hiệu và thời hạn, tính cả hai ngày (lặp lại được)")

    def handle(self, *args, action: str, **options) -> None:
        try:
            calendar = calendar_for(None)
            clocks = compute_clocks(
                category=options["category"].strip().upper(), form=options["form"].strip().lower(),
                violation_ended=parse_day(options["violation_ended"], "Ngày kết thúc vi phạm"),
                discovered=parse_day(options["discovered"], "Ngày phát hiện"),
                complex_case=options["complex"], pauses=[parse_pause(p) for p in options["paused"]],
                is_working_day=calendar.is_working_day)
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(json.dumps(clocks.as_json(), ensure_ascii=False))
