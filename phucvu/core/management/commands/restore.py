"""`phucvu restore FILE [--yes]`: put a backup's database and files back (docs/deploy.md)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from phucvu.core import backup
from phucvu.core.numbers import grouped


class Command(BaseCommand):
    help = "Khôi phục cơ sở dữ liệu và tệp đính kèm từ một tệp sao lưu của `phucvu backup`."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="Tệp sao lưu (.tar).")
        parser.add_argument("--yes", action="store_true", help="Đồng ý ghi đè cơ sở dữ liệu đang có dữ liệu.")

    def handle(self, *args, file: str, yes: bool, **opts) -> None:
        say = self.stdout.write if opts["verbosity"] > 0 else None
        try:
            done = backup.restore(Path(file), overwrite=yes, report=say)
        except backup.BackupError as exc:
            raise CommandError(exc.message) from exc
        if not done["complete"]:
            missing = {label: (n, done["found"].get(label)) for label, n in done["expected"].items()
                       if done["found"].get(label) != n}
            raise CommandError(f"Khôi phục chưa đủ: số dòng khác bản sao lưu ở {missing}.")
        rows = sum(done["found"].values())
        self.stdout.write(f"Đã khôi phục {grouped(rows)} dòng từ bản sao lưu lúc {done['created_at']}.")
