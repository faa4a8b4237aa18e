"""`phucvu backup [--output FILE]`: the database and the uploaded files in one archive (docs/deploy.md)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from phucvu.core import backup
from phucvu.core.numbers import grouped


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu (SQLite hoặc PostgreSQL, khi hệ thống đang chạy) và tệp đính kèm vào một tệp .tar."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", help="Tệp sao lưu (mặc định var/backups/phucvu-NGÀY-GIỜ.tar).")

    def handle(self, *args, output: str | None, **opts) -> None:
        say = self.stdout.write if opts["verbosity"] > 0 else None
        try:
            done = backup.backup(Path(output) if output else None, report=say)
        except backup.BackupError as exc:
            raise CommandError(exc.message) from exc
        rows = sum(done["counts"].values())
        self.stdout.write(f"Đã sao lưu {grouped(rows)} dòng ({done['engine']}) vào {done['path']} "
                          f"({grouped(done['size'] / 1048576, 1)} MB).")
