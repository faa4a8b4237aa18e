"""`phucvu demo`: build the demo province on an empty database, then serve it.

This first profile builds the agency tree and one login per role; later work replays 2017 history.
"""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand

from phucvu.demo import builder


class Command(BaseCommand):
    help = "Dựng tỉnh trình diễn (lần đầu) rồi chạy máy chủ web."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--profile", default="quangninh-2017", choices=builder.PROFILES)
        parser.add_argument("--scale", type=float, default=0.02)
        parser.add_argument("--seed", type=int, default=2017)
        parser.add_argument("--no-server", action="store_true")
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args, profile: str, scale: float, seed: int, no_server: bool, addr: str, **opts) -> None:
        if builder.is_built():
            self.stdout.write("Cơ sở dữ liệu đã có dữ liệu trình diễn: chạy máy chủ ngay.")
        else:
            builder.build(profile=profile, scale=scale, seed=seed, out=self.stdout)
        self.stdout.write(builder.logins_text(addr))
        if not no_server:
            call_command("runserver", addr, "--insecure", use_reloader=False)
