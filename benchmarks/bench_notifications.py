"""Messages per second through the outbox: notices enqueued (one INSERT per batch), then `phucvu worker
--burst` claiming and sending them — on the log channel, on eSMS's API served by a local HTTP server, and by
e-mail to a local SMTP server (aiosmtpd). Throw-away test database (SQLite in memory, or `test_…` on
DATABASE_URL's server). Prints figures; asserts nothing.

    python -m benchmarks notifications          # BENCH_NOTIFY_N=5000 (log), a fifth of it for SMS and e-mail
"""

from __future__ import annotations

import os
import time

N = int(os.environ.get("BENCH_NOTIFY_N", "5000"))


def main() -> None:
    from benchmarks.support import in_test_database

    in_test_database(_run)


def _notices(n: int, prefix: str):
    from phucvu.notifications.services import Notice

    return [Notice(key=f"{prefix}{i}", event="received", phone=f"09{i % 100_000_000:08d}", email=f"c{i}@example.vn",
                   data={"code": f"000.00.21.H41-260309-{i:04d}", "procedure": "Đăng ký khai sinh",
                         "due": "17:00 12/03/2026", "link": "https://dichvucong.example.vn/portal/lookup/?code=…"})
            for i in range(n)]


def _measure(label: str, n: int, prefix: str) -> None:
    from django.core.management import call_command

    from phucvu.notifications.models import Message
    from phucvu.notifications.services import notices_enqueue

    notices = _notices(n, prefix)
    started = time.perf_counter()
    for i in range(0, n, 500):
        notices_enqueue(notices[i:i + 500])
    enqueued = time.perf_counter() - started
    started = time.perf_counter()
    call_command("worker", burst=True, verbosity=0, limit=200)
    sent = time.perf_counter() - started
    done = Message.objects.filter(group__startswith=prefix, status__in=["sent", "delivered"]).count()
    print(f"   {label:<34} {n:>6} tin: xếp hàng {n / enqueued:>8.0f} tin/s · gửi {done / sent:>7.0f} tin/s "
          f"({done} đã gửi)", flush=True)


def _run() -> None:
    from django.conf import settings

    from phucvu.notifications.tests.providers import ProviderServer, SmtpServer

    settings.NOTIFY_QUIET_HOURS = ""
    settings.NOTIFY_CHANNELS = ["log"]
    print(f"   CSDL: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}", flush=True)
    _measure("kênh nhật ký (log)", N, "log-")
    with ProviderServer() as providers:
        for name, value in providers.settings().items():
            setattr(settings, name, value)
        settings.NOTIFY_CHANNELS = ["sms"]
        _measure("SMS (eSMS, máy chủ HTTP cục bộ)", max(N // 5, 1), "sms-")
    with SmtpServer() as smtp:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.port
        settings.NOTIFY_CHANNELS = ["email"]
        _measure("thư điện tử (SMTP cục bộ)", max(N // 5, 1), "mail-")
