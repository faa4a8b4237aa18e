"""What each role is for: the opening line of its home page.

The duties under it (links to the pages where the work is done) are registered by the apps that build
those pages, from their AppConfig.ready(), with `phucvu.core.home.register_duty`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from phucvu.core.home import duties_of
from phucvu.organization.models import Role

LEADS: dict[str, str] = {
    Role.DESK_CLERK: _("Tiếp nhận hồ sơ, hướng dẫn người dân và trả kết quả đúng hẹn."),
    Role.SPECIALIST: _("Xử lý hồ sơ được giao trong thời hạn của từng bước."),
    Role.UNIT_LEADER: _("Điều hành đơn vị: tiến độ giải quyết, ký duyệt, phân công và kỷ cương."),
    Role.INSPECTOR: _("Thanh tra, kiểm tra theo kế hoạch, đột xuất, chéo; theo dõi kiến nghị sau thanh tra."),
    Role.HR_OFFICER: _("Quản lý cán bộ, công chức, viên chức: cam kết, đánh giá, khen thưởng, kỷ luật."),
    Role.SYSTEM_ADMIN: _("Quản trị hệ thống: cây tổ chức, tài khoản, khóa API, dữ liệu danh mục."),
}


def duties_for(role: str | None) -> dict | None:
    """{lead, items} for the role's home page, or None for a role without one."""
    if role not in LEADS:
        return None
    return {"lead": LEADS[role], "items": duties_of(role)}
