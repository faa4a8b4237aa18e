"""`phucvu rollups rebuild`: recompute the reports' rollups from the dossier table."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from phucvu.core.exceptions import DomainError
from phucvu.reports.services import rollups_rebuild
from phucvu.reports.sqlrollups import rebuild_sql


class Command(BaseCommand):
    help = "Tổng hợp lại số liệu báo cáo từ bảng hồ sơ (rollups rebuild)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild"])
        parser.add_argument("--sql", action="store_true",
                            help="PostgreSQL: tính ngay trong cơ sở dữ liệu (INSERT … SELECT), nhanh cho hàng chục "
                                 "triệu hồ sơ.")

    def handle(self, *args, action, sql=False, **options):
        started = time.perf_counter()
        try:
            n = rebuild_sql() if sql else rollups_rebuild()
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Đã tổng hợp lại {n:,} hồ sơ trong {time.perf_counter() - started:.1f} s.")
