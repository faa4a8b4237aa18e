"""`phucvu import KIND FILE [--dry-run]`: all-or-nothing import with line-numbered errors."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from phucvu.core.exceptions import DomainError
from phucvu.core.importing import importer_for, kinds
from phucvu.core.tables import ImportRejected


class Command(BaseCommand):
    help = "Nhập dữ liệu từ tệp CSV hoặc XLSX (tất cả hoặc không dòng nào)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", choices=kinds(), help="loại dữ liệu")
        parser.add_argument("file", help="đường dẫn tệp CSV hoặc XLSX")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi")

    def handle(self, *args, kind: str, file: str, dry_run: bool, **options) -> None:
        try:
            result = importer_for(kind)(file, dry_run=dry_run)
        except ImportRejected as rejected:
            for line in rejected.errors:
                self.stderr.write(line)
            raise CommandError(rejected.message) from None
        except DomainError as error:
            raise CommandError(error.message) from None
        verb = "Kiểm tra xong (không ghi)" if dry_run else "Đã nhập"
        self.stdout.write(
            self.style.SUCCESS(f"{verb}: {result.created} tạo mới, {result.updated} cập nhật, {result.skipped} bỏ qua.")
        )
