"""`phucvu serve`: the production server answers pages, static files and the security headers, as deployed."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from phucvu.core.server import default_workers, parse_addr
from phucvu.core.tests.test_public_address import STRONG_KEY


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def start(tmp_path, **env) -> tuple[subprocess.Popen, str]:
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 's.sqlite3'}", "PHUCVU_HOME": str(tmp_path),
                   **env}
    subprocess.run([sys.executable, "-m", "phucvu", "migrate", "--no-input", "-v0"], env=environment, check=True,
                   timeout=300)
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "phucvu", "serve", "--addr", f"127.0.0.1:{port}",
                                "--workers", "1", "--threads", "2"], env=environment,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600  # production collects and compresses the static files first
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"phucvu serve exited: {process.stdout.read()}")
        try:
            if get(f"{base}/healthz")[0] == 200:
                return process, base
        except OSError:
            time.sleep(0.3)
    process.kill()
    pytest.fail("phucvu serve did not answer /healthz within 600 s")


def stop(process: subprocess.Popen) -> int:
    process.send_signal(signal.SIGTERM)  # gunicorn's graceful stop
    return process.wait(timeout=60)


def test_serve_answers_pages_static_files_and_security_headers(tmp_path):
    process, base = start(tmp_path)
    try:
        status, headers, _ = get(f"{base}/")
        assert status == 200 and "gunicorn" in headers.get("server", "")
        policy = headers["content-security-policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "unsafe-eval" not in policy
        status, headers, body = get(f"{base}/static/js/phucvu.js")
        assert status == 200 and "javascript" in headers["content-type"] and body
        assert get(f"{base}/static/none.js")[0] == 404
    finally:
        assert stop(process) == 0


def test_serve_in_production_serves_collected_fingerprinted_files(tmp_path):
    process, base = start(tmp_path, DJANGO_SETTINGS_MODULE="phucvu.settings.production", SECRET_KEY=STRONG_KEY,
                          PUBLIC_BASE_URL="https://dichvucong.quangninh.gov.vn", SECURE_SSL_REDIRECT="0",
                          ALLOWED_HOSTS="127.0.0.1")
    try:
        status, _, page = get(f"{base}/")
        assert status == 200
        # The page names the fingerprinted file, served with a year's caching since its name changes with it.
        name = next(part.split('"')[0] for part in page.decode().split('src="/static/')[1:]
                    if part.startswith("js/phucvu."))
        assert name != "js/phucvu.js"
        status, headers, _ = get(f"{base}/static/{name}")
        assert status == 200 and "max-age=31536000" in headers["cache-control"]
    finally:
        assert stop(process) == 0
    # Collected once: the next start finds them fresh (a changed package file would make them stale).
    assert not stale_in(tmp_path)


def stale_in(home) -> bool:
    environment = {**os.environ, "PHUCVU_HOME": str(home), "DJANGO_SETTINGS_MODULE": "phucvu.settings.production",
                   "SECRET_KEY": STRONG_KEY, "PUBLIC_BASE_URL": "https://dichvucong.quangninh.gov.vn"}
    code = "import django; django.setup(); from phucvu.core.server import static_is_stale; print(static_is_stale())"
    found = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=120)
    return found.stdout.strip() == "True"


def test_addresses_and_workers():
    assert parse_addr("0.0.0.0:8080") == "0.0.0.0:8080" and parse_addr("8001") == "127.0.0.1:8001"
    for bad in ("host:port", "127.0.0.1:0", "127.0.0.1:70000", ""):
        with pytest.raises(Exception, match="Địa chỉ không hợp lệ"):
            parse_addr(bad)
    assert default_workers() >= 2
