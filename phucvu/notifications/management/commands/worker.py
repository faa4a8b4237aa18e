"""`phucvu worker`: the background worker (messages and periodic sweeps). See docs/notifications.md."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from phucvu.notifications import queue, sweeps


class Command(BaseCommand):
    help = ("Chạy tiến trình nền: gửi tin nhắn trong hàng đợi và các việc định kỳ (nhắc lịch hẹn, tổng hợp "
            "hằng ngày). --burst: làm hết việc đã đến hạn rồi thoát (dùng cho cron và kiểm thử).")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--burst", action="store_true", help="Làm hết việc đến hạn rồi thoát.")
        parser.add_argument("--interval", type=float, default=1.0, help="Giây nghỉ khi không có việc (mặc định 1).")
        parser.add_argument("--limit", type=int, default=100, help="Số tin nhận mỗi lượt (mặc định 100).")
        parser.add_argument("--sweep", choices=sorted(sweeps.SWEEPS), help="Chạy ngay một việc định kỳ rồi thoát.")
        parser.add_argument("--rq", action="store_true",
                            help="Chạy tiến trình RQ nhận việc gửi tin qua Redis (NOTIFY_QUEUE=redis).")

    def handle(self, *args, **options) -> None:
        if options["sweep"]:
            for name, result in sweeps.run_due(only=options["sweep"]):
                self.stdout.write(f"{name}: {result}")
            return
        if options["rq"]:
            if not queue.redis_mode():
                raise CommandError("--rq cần NOTIFY_QUEUE=redis.")
            queue.rq_work(burst=options["burst"])
            return
        report = self.stdout.write if options["verbosity"] > 1 else None
        totals = queue.run(burst=options["burst"], interval=options["interval"], limit=options["limit"],
                           report=report)
        if options["burst"] and options["verbosity"] > 0:
            parts = [f"{key}={value}" for key, value in sorted(totals.items())]
            self.stdout.write("worker --burst: " + (", ".join(parts) or "không có việc đến hạn"))
