"""`phucvu seed --dossiers N [--seed S]`: bulk synthetic dossier history, rollups filled as it goes."""

from __future__ import annotations

import datetime as dt
import time

from django.core.management.base import BaseCommand

from phucvu.synthetic.seeding import seed_history


class Command(BaseCommand):
    help = ("Sinh lịch sử hồ sơ mẫu (lệch theo đơn vị và thủ tục, theo mùa, vài phần trăm trễ hạn) và số liệu "
            "tổng hợp cho báo cáo.")

    def add_arguments(self, parser):
        parser.add_argument("--dossiers", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--from", dest="date_from", type=dt.date.fromisoformat, default=dt.date(2017, 1, 1))
        parser.add_argument("--to", dest="date_to", type=dt.date.fromisoformat, default=dt.date(2017, 12, 31))

    def handle(self, *args, dossiers, seed, date_from, date_to, **options):
        started = time.perf_counter()

        def progress(done: int) -> None:
            if options.get("verbosity", 1) > 1:
                self.stdout.write(f"  {done:,} hồ sơ…")

        n = seed_history(dossiers=dossiers, seed=seed, start=date_from, end=date_to, progress=progress)
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Đã sinh {n:,} hồ sơ mẫu ({date_from:%d/%m/%Y}–{date_to:%d/%m/%Y}) trong {elapsed:.1f} s.")
