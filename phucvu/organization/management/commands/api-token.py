"""`phucvu api-token USERNAME [--name N]`: issue a bearer token for the JSON API and print it once."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from phucvu.organization.services import api_token_issue


class Command(BaseCommand):
    help = "Cấp khóa API mới cho một tài khoản và in ra (chỉ hiện một lần; hệ thống chỉ lưu mã băm)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="tên gợi nhớ của khóa, ví dụ 'đồng bộ cổng quốc gia'")

    def handle(self, *args, username: str, name: str, **options) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None or not user.is_active:
            raise CommandError(f"Không có tài khoản đang hoạt động tên '{username}'.")
        self.stdout.write(api_token_issue(user=user, name=name))
