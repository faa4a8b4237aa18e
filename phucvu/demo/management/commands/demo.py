"""`phucvu demo`: build the demo province on an empty database (replaying Jan–Jul 2017), then serve it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from phucvu.core import server
from phucvu.demo import builder, selectors
from phucvu.demo.profiles import PROFILES

# `make demo` from an empty database stays under two minutes on a 2-core machine at this scale
# (docs/demo.md has the measurements); `--scale 1` replays the seed's full volumes.
DEFAULT_SCALE = 0.003  # ≈1,460 dossiers: keeps `make demo` under a minute on 2 cores


class Command(BaseCommand):
    help = "Dựng tỉnh trình diễn Quảng Ninh 2017 (lần đầu: phát lại 1/1–31/7/2017) rồi chạy máy chủ web."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--profile", default="quangninh-2017", choices=PROFILES)
        parser.add_argument("--scale", type=float, default=DEFAULT_SCALE,
                            help="Tỷ lệ so với khối lượng hồ sơ thật (1 = 485.590 hồ sơ).")
        parser.add_argument("--seed", type=int, default=2017)
        parser.add_argument("--no-server", action="store_true")
        again = parser.add_mutually_exclusive_group()
        again.add_argument("--resume", action="store_true",
                           help="Dựng tiếp lần dựng bị gián đoạn (với hồ sơ, tỷ lệ và hạt giống của lần đó).")
        again.add_argument("--restart", action="store_true",
                           help="Xóa toàn bộ dữ liệu của cơ sở dữ liệu này rồi dựng lại từ đầu.")
        parser.add_argument("--addr", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=2,
                            help="Số tiến trình của máy chủ web (gunicorn, như `phucvu serve`).")
        parser.add_argument("--public-url", default="",
                            help="Địa chỉ in trên mã QR và đường dẫn của giấy tờ (mặc định: PUBLIC_BASE_URL, "
                                 "nếu không có thì http://ADDR, với 0.0.0.0 thay bằng địa chỉ mạng của máy).")

    def handle(self, *args, profile: str, scale: float, seed: int, no_server: bool, addr: str, public_url: str,
               workers: int, resume: bool = False, restart: bool = False, **opts) -> None:
        server.parse_addr(addr)  # a bad address fails now, not after the build
        if not 0 < scale <= 1:
            raise CommandError("Tỷ lệ (--scale) phải lớn hơn 0 và không quá 1.")
        # Receipts printed in the demo carry the address the demo is served at (PUBLIC_BASE_URL).
        settings.PUBLIC_BASE_URL = public_url or settings.PUBLIC_BASE_URL or demo_public_url(addr)
        quiet = opts.get("verbosity", 1) == 0
        if restart:
            self.stdout.write("Xóa dữ liệu cũ (--restart)…")
            builder.wipe()
        stopped = builder.interrupted()
        if stopped is not None and not resume:
            raise CommandError(
                f"Lần dựng dữ liệu trình diễn trước ('{stopped.profile}', tỷ lệ {stopped.scale:g}) chưa xong "
                f"({builder.progress_text(stopped)}): chạy `phucvu demo --resume` để dựng tiếp, hoặc "
                "`phucvu demo --restart` để xóa và dựng lại từ đầu.")
        try:
            if stopped is not None:
                builder.build(profile=profile, scale=scale, seed=seed, out=self.stdout, quiet=quiet, resume=stopped)
            elif resume:
                raise CommandError("Không có lần dựng nào bị gián đoạn để dựng tiếp.")
            elif builder.is_built():
                self.stdout.write("Cơ sở dữ liệu đã có dữ liệu: chạy máy chủ ngay.")
            else:
                builder.build(profile=profile, scale=scale, seed=seed, out=self.stdout, quiet=quiet)
        except KeyboardInterrupt:
            self.stderr.write("\nĐã dừng giữa chừng. Phần đã ghi được giữ lại: `phucvu demo --resume` dựng tiếp, "
                              "`phucvu demo --restart` xóa và dựng lại từ đầu.")
            raise SystemExit(130) from None
        self.stdout.write(selectors.logins_text(addr))
        self.stdout.write(f"Địa chỉ in trên giấy tờ (PUBLIC_BASE_URL): {settings.PUBLIC_BASE_URL}")
        if not no_server:
            # The background worker beside the server, in its own process as deployed (docs/deploy.md), so
            # messages of what is done in the demo are sent (logged); a thread would be copied into the fork.
            environment = {**os.environ, "PUBLIC_BASE_URL": settings.PUBLIC_BASE_URL}
            worker = subprocess.Popen([sys.executable, "-m", "phucvu", "worker", "--interval", "2"],
                                      env=environment)
            try:
                # The production server, as deployed, not Django's development server.
                server.run(addr, max(1, workers))
            finally:
                worker.terminate()
                worker.wait(timeout=30)


def demo_public_url(addr: str) -> str:
    """'http://HOST:PORT' for `--addr HOST:PORT`; a wildcard host becomes this machine's network address, so
    that a phone on the same network can open the QR code of a receipt printed in the demo."""
    host, _, port = addr.rpartition(":") if ":" in addr else ("127.0.0.1", "", addr)  # runserver's "8000"
    host = host.strip("[]") or "0.0.0.0"
    if host in {"0.0.0.0", "::"}:
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
                probe.connect(("192.0.2.1", 9))  # a documentation address: no packet is sent by connect()
                host = probe.getsockname()[0]
        except OSError:
            host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}" if port else f"http://{host}"
