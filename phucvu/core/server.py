"""The production WSGI server (gunicorn), run in-process by `phucvu serve` and by `phucvu demo`.

Gunicorn rather than Django's development server: pre-forked workers with a thread pool each, graceful
restarts and timeouts; static files come from WhiteNoise inside the app, so one process serves everything and
nginx in front is optional (docs/deploy.md). Its arbiter installs signal handlers, so it runs in the main thread.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management.base import CommandError
from django.core.wsgi import get_wsgi_application
from django.db import connections
from gunicorn.app.base import BaseApplication


def default_workers() -> int:
    """Two workers per core, at least two: requests wait on the database more than on the CPU."""
    return max(2, 2 * (os.cpu_count() or 1))


def static_is_stale() -> bool:
    """True when production's collected files are missing or older than a file of the package: collecting
    (fingerprinting and compressing) takes half a minute, so `serve` does it once per upgrade, not per start."""
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        return True
    collected_at = manifest.stat().st_mtime
    for finder in finders.get_finders():
        for path, storage in finder.list([]):
            if storage.path(path) and Path(storage.path(path)).stat().st_mtime > collected_at:
                return True
    return False


def parse_addr(addr: str) -> str:
    """'HOST:PORT' (or a bare port) as gunicorn's bind string; a clear error for anything else."""
    host, sep, port = addr.rpartition(":")
    if not sep:
        host, port = "127.0.0.1", addr
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise CommandError(f"Địa chỉ không hợp lệ: {addr!r} (cần HOST:PORT, ví dụ 127.0.0.1:8000).")
    return f"{host or '127.0.0.1'}:{port}"


class _Server(BaseApplication):
    def __init__(self, app: Callable, options: dict[str, Any]) -> None:
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Callable:
        return self.application


def run(addr: str, workers: int, threads: int = 4, timeout: int = 120,
        on_starting: Callable[[Any], None] | None = None) -> None:
    """Serve the project until stopped (SIGINT/SIGTERM)."""
    # Forked workers must not share the parent's database connections (the demo built its data in this one).
    connections.close_all()
    options: dict[str, Any] = {
        "bind": parse_addr(addr), "workers": workers, "threads": threads, "worker_class": "gthread",
        "timeout": timeout, "graceful_timeout": 30, "accesslog": "-", "errorlog": "-", "loglevel": "warning",
        # Requests of a dropped connection stop with it; a worker that serves many requests is recycled
        # now and then, so a slow leak never grows without bound.
        "max_requests": 5000, "max_requests_jitter": 500,
        # Keep idle connections longer than a person's pause between clicks (gunicorn's 2 s closed them just as
        # browsers reused them: resets under load); gthread parks idle connections in its poller, not a thread.
        "keepalive": 30,
    }
    if on_starting is not None:
        options["when_ready"] = on_starting
    _Server(get_wsgi_application(), options).run()
