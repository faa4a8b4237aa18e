"""What each role does first: the opening of its home page. Links appear when the feature's page exists."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Duty:
    label: str
    url_name: str = ""  # empty or not (yet) routed: shown as a step without a link
    icon: str = "check2-square"
    query: str = ""  # a filter of the target list, e.g. "status=submitted"


DUTIES: dict[str, tuple[str, list[Duty]]] = {
    "desk_clerk": (_("Tiếp nhận hồ sơ, hướng dẫn người dân và trả kết quả đúng hẹn."), [
        Duty(_("Xem hồ sơ đến hẹn trả hôm nay và báo người dân nhận kết quả"), "dossiers:queue", "calendar-check", "status=resolved"),
        Duty(_("Tiếp nhận hồ sơ mới, in phiếu hẹn trả"), "dossiers:intake", "inbox"),
        Duty(_("Kiểm tra hồ sơ nộp trực tuyến chờ tiếp nhận"), "dossiers:queue", "cloud-arrow-down", "status=submitted&scope=all"),
    ]),
    "specialist": (_("Xử lý hồ sơ được giao trong thời hạn của từng bước."), [
        Duty(_("Hồ sơ sắp đến hạn bước xử lý: làm trước"), "dossiers:queue", "hourglass-split"),
        Duty(_("Hồ sơ quá hạn: xử lý và lập phiếu xin lỗi, hẹn lại nếu cần"), "dossiers:queue", "exclamation-triangle", "scope=all"),
        Duty(_("Nhiệm vụ được lãnh đạo giao"), "discipline:my_tasks", "list-task"),
    ]),
    "unit_leader": (_("Điều hành đơn vị: tiến độ giải quyết, ký duyệt, phân công và kỷ cương."), [
        Duty(_("Hồ sơ chờ ký duyệt"), "dossiers:queue", "pen"),
        Duty(_("Tỷ lệ đúng hạn và hồ sơ quá hạn của đơn vị"), "reports:dashboard", "speedometer2"),
        Duty(_("Giao nhiệm vụ và theo dõi nhiệm vụ trễ hạn"), "discipline:violation_list", "list-task"),
        Duty(_("Cán bộ của đơn vị"), "organization:staff_list", "people"),
    ]),
    "inspector": (_("Thanh tra, kiểm tra theo kế hoạch, đột xuất, chéo; theo dõi kiến nghị sau thanh tra."), [
        Duty(_("Cuộc thanh tra, kiểm tra trong tháng"), "inspections:inspection_list", "clipboard-check"),
        Duty(_("Kiến nghị sắp đến hạn hoặc quá hạn thực hiện"), "inspections:inspection_list", "flag"),
        Duty(_("Dấu hiệu nhũng nhiễu: yêu cầu bổ sung lặp lại, trễ hạn không xin lỗi"), "discipline:violation_list", "eye"),
        Duty(_("Đơn vị trong phạm vi thanh tra"), "organization:agency_list", "diagram-3"),
    ]),
    "hr_officer": (_("Quản lý cán bộ, công chức, viên chức: cam kết, đánh giá, khen thưởng, kỷ luật."), [
        Duty(_("Danh sách cán bộ theo ngạch CB, CC, VC"), "organization:staff_list", "people"),
        Duty(_("Đánh giá, xếp loại kỳ này"), "discipline:evaluations", "award"),
        Duty(_("Cam kết chưa ký và vi phạm mới ghi nhận"), "discipline:violation_list", "file-earmark-check"),
        Duty(_("Sáp nhập, chia tách đơn vị: cập nhật cây tổ chức"), "organization:agency_list", "diagram-3"),
    ]),
    "system_admin": (_("Quản trị hệ thống: cây tổ chức, tài khoản, khóa API, dữ liệu danh mục."), [
        Duty(_("Cây tổ chức và kế thừa đơn vị"), "admin:organization_agency_changelist", "diagram-3"),
        Duty(_("Tài khoản cán bộ, vai trò, phạm vi xem"), "admin:organization_staff_changelist", "people"),
        Duty(_("Đăng nhập thất bại gần đây"), "admin:organization_loginfailure_changelist", "shield-lock"),
        Duty(_("Khóa API cho hệ thống kết nối"), "admin:organization_apitoken_changelist", "key"),
    ]),
}


def duties_for(role: str | None) -> dict | None:
    if role not in DUTIES:
        return None
    lead, duties = DUTIES[role]
    items = []
    for duty in duties:
        try:
            url = reverse(duty.url_name) if duty.url_name else ""
            if url and duty.query:
                url = f"{url}?{duty.query}"
        except NoReverseMatch:
            url = ""
        items.append({"label": duty.label, "url": url, "icon": duty.icon})
    return {"lead": lead, "items": items}
