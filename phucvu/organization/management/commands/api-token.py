"""`phucvu api-token USERNAME [--name N] [--days D]`: issue a bearer token for the JSON API and print it once.

`--list` shows the account's tokens (expiry, last use, revocation), `--rotate ID` issues the successor of a
token and revokes it, `--revoke ID` revokes one (docs/security.md §6).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from phucvu.core.exceptions import DomainError
from phucvu.organization.models import ApiToken
from phucvu.organization.services import api_token_issue, api_token_revoke, api_token_rotate


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


class Command(BaseCommand):
    help = "Cấp khóa API mới cho một tài khoản và in ra (chỉ hiện một lần; hệ thống chỉ lưu mã băm)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="tên gợi nhớ của khóa, ví dụ 'đồng bộ cổng quốc gia'")
        parser.add_argument("--days", type=int, default=None,
                            help="số ngày hiệu lực (mặc định API_TOKEN_LIFETIME_DAYS, 90)")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--list", action="store_true", dest="list_tokens", help="liệt kê các khóa của tài khoản")
        group.add_argument("--rotate", type=int, metavar="ID", help="cấp khóa thay thế và thu hồi khóa ID")
        group.add_argument("--revoke", type=int, metavar="ID", help="thu hồi khóa ID")

    def handle(self, *args, username: str, name: str, days: int | None, list_tokens: bool, rotate: int | None,
               revoke: int | None, **options) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None or not user.is_active:
            raise CommandError(f"Không có tài khoản đang hoạt động tên '{username}'.")
        try:
            if list_tokens:
                for t in ApiToken.objects.filter(user=user).order_by("-created_at"):
                    state = "thu hồi " + _moment(t.revoked_at) if t.revoked_at else "hiệu lực"
                    self.stdout.write(f"{t.pk}\t{t.name or '—'}\tcấp {_moment(t.created_at)}\thết hạn "
                                      f"{_moment(t.expires_at)}\tdùng lần cuối {_moment(t.last_used_at)}\t{state}")
            elif rotate is not None:
                self.stdout.write(api_token_rotate(token_id=rotate, user=user, days=days))
            elif revoke is not None:
                token = ApiToken.objects.filter(pk=revoke, user=user).first()
                if token is None:
                    raise CommandError(f"Tài khoản '{username}' không có khóa {revoke}.")
                api_token_revoke(token_id=token.pk)
                self.stdout.write(f"Đã thu hồi khóa {revoke}.")
            else:
                self.stdout.write(api_token_issue(user=user, name=name, days=days))
        except DomainError as exc:
            raise CommandError(exc.message) from None
