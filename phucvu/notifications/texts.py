"""The messages' texts: one template per event, versioned (a changed wording is a new version, and each
outbox row keeps the version it was sent with). Texts are short Vietnamese with the dossier code and the
status link; SMS sends them without diacritics unless `ESMS_UNICODE` is set. Zalo ZNS sends the same
values as template data to the template the province registered with Zalo for that event.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Template:
    event: str
    version: int
    subject: str
    text: str
    label: str  # what staff read in the dossier's panel


TEMPLATES: dict[str, Template] = {t.event: t for t in [
    Template("submitted", 1, "Hồ sơ {code} đã được gửi",
             "Hồ sơ {code} đã được gửi trực tuyến đến {agency}. Mã tra cứu: {secret}. Theo dõi: {link}",
             "Đã nộp trực tuyến"),
    Template("received", 1, "Hồ sơ {code} đã được tiếp nhận",
             "Hồ sơ {code} ({procedure}) đã được tiếp nhận. Hẹn trả kết quả: {due}. Tra cứu: {link}",
             "Tiếp nhận"),
    Template("supplement_requested", 1, "Hồ sơ {code} cần bổ sung giấy tờ",
             "Hồ sơ {code} cần bổ sung: {missing}. Nộp bổ sung trực tuyến tại: {link}",
             "Yêu cầu bổ sung"),
    Template("payment_requested", 1, "Hồ sơ {code}: thực hiện nghĩa vụ tài chính",
             "Hồ sơ {code}: đề nghị ông/bà thực hiện nghĩa vụ tài chính{amount}. Chi tiết: {link}",
             "Yêu cầu nghĩa vụ tài chính"),
    Template("refused", 1, "Hồ sơ {code} không được tiếp nhận",
             "Hồ sơ {code} không được tiếp nhận. Lý do: {reason}. Chi tiết: {link}",
             "Từ chối tiếp nhận"),
    Template("stopped", 1, "Hồ sơ {code} dừng xử lý",
             "Hồ sơ {code} đã dừng xử lý. Lý do: {reason}. Chi tiết: {link}",
             "Dừng xử lý"),
    Template("withdrawn", 1, "Đã rút hồ sơ {code}",
             "Đã xác nhận rút hồ sơ {code} theo đề nghị của ông/bà. Chi tiết: {link}",
             "Xác nhận rút hồ sơ"),
    Template("result_ready", 1, "Hồ sơ {code} đã có kết quả",
             "Hồ sơ {code} đã có kết quả ({result}). Mời ông/bà nhận kết quả theo lịch hẹn {due}. Chi tiết: {link}",
             "Có kết quả"),
    Template("returned", 1, "Hồ sơ {code} đã trả kết quả",
             "Hồ sơ {code} đã được trả kết quả lúc {at}. Cảm ơn ông/bà. Chi tiết: {link}",
             "Đã trả kết quả"),
    Template("apology", 1, "Xin lỗi vì hồ sơ {code} chậm hẹn",
             "Xin lỗi ông/bà: hồ sơ {code} chậm so với hẹn. Hẹn trả mới: {new_due}. Lý do: {reason}. Chi tiết: {link}",
             "Xin lỗi và hẹn lại"),
    Template("appointment_reminder", 1, "Nhắc lịch hẹn trả hồ sơ {code}",
             "Nhắc lịch: hồ sơ {code} hẹn trả kết quả lúc {due} tại {agency}. Chi tiết: {link}",
             "Nhắc lịch hẹn (trước 3 giờ)"),
    Template("satisfaction_request", 1, "Đánh giá việc giải quyết hồ sơ {code}",
             "Mời ông/bà đánh giá mức độ hài lòng về việc giải quyết hồ sơ {code} tại: {link}",
             "Mời đánh giá hài lòng"),
    Template("staff_digest", 1, "Việc đến hạn ngày {date}: {count} mục",
             "Kính gửi {name}, việc của anh/chị đến hạn ngày mai hoặc đã quá hạn ({count} mục):\n{items}",
             "Tổng hợp việc đến hạn"),
]}

CITIZEN_EVENTS = [e for e in TEMPLATES if e != "staff_digest"]


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def render(event: str, data: dict) -> tuple[Template, str, str]:
    """(template, subject, text) of one event filled with `data` (missing values are left blank)."""
    template = TEMPLATES[event]
    values = _Blank(data)
    return template, template.subject.format_map(values), template.text.format_map(values)


def unaccented(text: str) -> str:
    """'Hồ sơ đã được tiếp nhận' -> 'Ho so da duoc tiep nhan' (case kept): brandname SMS without Unicode
    fits 160 characters a segment instead of 70."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn")
