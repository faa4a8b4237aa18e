"""`phucvu load-units --province 22 --structure legacy|2025`: a province's units from vietnamadminunits."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from phucvu.core.exceptions import DomainError
from phucvu.organization.units import REFORM_DAY, STRUCTURES, load_units, source_version


class Command(BaseCommand):
    help = ("Dựng cây đơn vị hành chính của một tỉnh (cấu trúc cũ 3 cấp hoặc cấu trúc 2025 hai cấp) "
            "và liên kết kế thừa giữa hai cấu trúc.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--province", required=True, help="mã tỉnh của Tổng cục Thống kê, ví dụ 22")
        parser.add_argument("--structure", required=True, choices=STRUCTURES,
                            help="legacy: 63 tỉnh, tỉnh → huyện → xã (đến 30/6/2025); 2025: 34 tỉnh, tỉnh → xã")
        parser.add_argument("--parent", help="mã đơn vị có sẵn đứng thay cho UBND tỉnh (không tạo mới tỉnh)")
        parser.add_argument("--effective", type=dt.date.fromisoformat, default=REFORM_DAY,
                            help="ngày hiệu lực của cấu trúc 2025 (mặc định 2025-07-01)")

    def handle(self, *args, province: str, structure: str, parent: str | None, effective: dt.date,
               **options) -> None:
        try:
            result = load_units(province=province, structure=structure, parent_code=parent, effective=effective)
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(self.style.SUCCESS(
            f"Tỉnh {result.province}, cấu trúc {structure} ({source_version()}): {result.created} tạo mới, "
            f"{result.updated} cập nhật, {result.unchanged} không đổi, {result.links} liên kết kế thừa (tạo hoặc xác nhận)."))
