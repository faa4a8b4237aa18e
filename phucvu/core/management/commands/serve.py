"""`phucvu serve [--addr HOST:PORT] [--workers N]`: the production server (gunicorn + WhiteNoise)."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from phucvu.core import server


class Command(BaseCommand):
    help = "Chạy máy chủ web sản xuất (gunicorn, tệp tĩnh qua WhiteNoise)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000", help="HOST:PORT (mặc định 127.0.0.1:8000).")
        parser.add_argument("--workers", type=int, default=0,
                            help="Số tiến trình xử lý (mặc định: 2 × số lõi, ít nhất 2).")
        parser.add_argument("--threads", type=int, default=4, help="Số luồng mỗi tiến trình (mặc định 4).")

    def handle(self, *args, addr: str, workers: int, threads: int, **opts) -> None:
        if workers < 0 or threads < 1:
            raise CommandError("--workers phải ≥ 1 và --threads phải ≥ 1.")
        if not settings.WHITENOISE_USE_FINDERS and server.static_is_stale():
            # Production serves the collected, fingerprinted files: collected once after each upgrade.
            self.stdout.write("Thu thập tệp tĩnh (lần đầu sau khi cài hoặc nâng cấp)…")
            call_command("collectstatic", interactive=False, verbosity=0)
        server.run(addr, workers or server.default_workers(), threads)
