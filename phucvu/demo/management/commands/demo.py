"""`phucvu demo`: build the demo province on an empty database (replaying Jan–Jul 2017), then serve it."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand

from phucvu.demo import builder

# `make demo` from an empty database stays under two minutes on a 2-core machine at this scale
# (docs/demo.md has the measurements); `--scale 1` replays the seed's full volumes.
DEFAULT_SCALE = 0.003  # ≈1,460 dossiers: keeps `make demo` under two minutes on 2 cores


class Command(BaseCommand):
    help = "Dựng tỉnh trình diễn Quảng Ninh 2017 (lần đầu: phát lại 1/1–31/7/2017) rồi chạy máy chủ web."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--profile", default="quangninh-2017", choices=builder.PROFILES)
        parser.add_argument("--scale", type=float, default=DEFAULT_SCALE,
                            help="Tỷ lệ so với khối lượng hồ sơ thật (1 = 485.590 hồ sơ).")
        parser.add_argument("--seed", type=int, default=2017)
        parser.add_argument("--no-server", action="store_true")
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args, profile: str, scale: float, seed: int, no_server: bool, addr: str, **opts) -> None:
        if builder.is_built():
            self.stdout.write("Cơ sở dữ liệu đã có dữ liệu: chạy máy chủ ngay.")
        else:
            builder.build(profile=profile, scale=scale, seed=seed, out=self.stdout,
                          quiet=opts.get("verbosity", 1) == 0)
        self.stdout.write(builder.logins_text(addr))
        if not no_server:
            call_command("runserver", addr, "--insecure", use_reloader=False)
