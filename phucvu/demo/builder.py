"""The demo province, built through the project's own services."""

from __future__ import annotations

from typing import TextIO

from phucvu.organization.models import Agency, Staff
from phucvu.organization.services import agency_create, staff_create

PROFILES = ["quangninh-2017"]
DEMO_PASSWORD = "phucvu2017"

DEMO_LOGINS = [
    # username, full name, agency code, role, position
    ("motcua.tinh", "Trần Thị Thu Hà", "QN-TTHCC", "desk_clerk", "Công chức tiếp nhận"),
    ("chuyenvien.snv", "Lê Văn Minh", "QN-SNV", "specialist", "Chuyên viên"),
    ("lanhdao.halong", "Phạm Quốc Hùng", "QN-H193", "unit_leader", "Phó Chủ tịch UBND"),
    ("motcua.honggai", "Nguyễn Thị Lan", "QN-X06652", "desk_clerk", "Công chức Văn phòng - Thống kê"),
    ("thanhtra.tinh", "Vũ Đức Thắng", "QN-STTr", "inspector", "Thanh tra viên chính"),
    ("noivu.tinh", "Hoàng Thị Mai", "QN-SNV", "hr_officer", "Chuyên viên tổ chức cán bộ"),
    ("quantri", "Đỗ Mạnh Cường", "QN", "system_admin", "Quản trị hệ thống"),
]


def is_built() -> bool:
    return Agency.objects.exists()


def build(*, profile: str, scale: float, seed: int, out: TextIO) -> None:
    out.write(f"Dựng hồ sơ trình diễn '{profile}'…\n")
    province = agency_create(code="QN", name="UBND tỉnh Quảng Ninh", kind="province",
                             electronic_id="000.00.00.H41", unit_code="22")
    agency_create(code="QN-TTHCC", name="Trung tâm Phục vụ hành chính công tỉnh Quảng Ninh", kind="center",
                  parent=province, electronic_id="000.00.50.H41")
    agency_create(code="QN-SNV", name="Sở Nội vụ", kind="department", parent=province,
                  electronic_id="000.00.12.H41")
    agency_create(code="QN-STTr", name="Thanh tra tỉnh", kind="department", parent=province,
                  electronic_id="000.00.30.H41")
    halong = agency_create(code="QN-H193", name="UBND thành phố Hạ Long", kind="district", parent=province,
                           electronic_id="000.00.21.H41", unit_code="193")
    agency_create(code="QN-X06652", name="UBND phường Hồng Gai", kind="commune", parent=halong,
                  electronic_id="000.21.01.H41", unit_code="06652")
    agencies = {a.code: a for a in Agency.objects.all()}
    for username, name, code, role, position in DEMO_LOGINS:
        staff_create(username=username, password=DEMO_PASSWORD, full_name=name, agency=agencies[code], role=role,
                     position=position)
    out.write(f"Xong: {Agency.objects.count()} đơn vị, {Staff.objects.count()} cán bộ.\n")


def logins_text(addr: str) -> str:
    lines = [f"\nPhục Vụ đang chạy tại http://{addr}/", f"Đăng nhập trình diễn (mật khẩu: {DEMO_PASSWORD}):"]
    for staff in Staff.objects.select_related("user", "agency").order_by("role"):
        lines.append(f"  {staff.user.username:<18} {staff.get_role_display():<24} {staff.agency.name}")
    return "\n".join(lines) + "\n"
