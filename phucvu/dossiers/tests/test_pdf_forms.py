"""The six forms of Circular 01/2018/TT-VPCP render as A4 PDFs with the Vietnamese text and fonts inside."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from phucvu.core import tablepdf
from phucvu.core.localtime import LOCAL_TZ as VN
from phucvu.dossiers import pdf

A4 = (595.28, 841.89)  # points


def _agency():
    province = SimpleNamespace(name="UBND tỉnh Quảng Ninh", parent=None)
    return SimpleNamespace(name="Trung tâm Phục vụ hành chính công tỉnh", parent=province)


def _dossier(**extra):
    values = {
        "code": "000.00.50.H41-170103-0007", "secret": "K7Q2-M9XD", "agency": _agency(),
        "procedure": SimpleNamespace(code="1.001612", name="Cấp giấy phép xây dựng nhà ở riêng lẻ"),
        "applicant_name": "Nguyễn Thị Ánh Hồng", "applicant_id_number": "022190001234", "applicant_phone": "0912345678",
        "applicant_email": "", "applicant_address": "", "received_at": dt.datetime(2017, 1, 3, 9, 5, tzinfo=VN),
        "due_at": dt.datetime(2017, 1, 17, 9, 5, tzinfo=VN), "resolved_at": None, "returned_at": None}
    values.update(extra)
    return SimpleNamespace(**values)


def read(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(data))


def text_of(reader: PdfReader) -> str:
    # Lines wrap where the layout decides: compare on single spaces.
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def embedded_fonts(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            for desc_font in font.get("/DescendantFonts", [font]):
                desc = desc_font.get_object().get("/FontDescriptor")
                if desc is None:
                    continue
                desc = desc.get_object()
                if any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    names.add(str(desc["/FontName"]))
    return names


def assert_a4(reader: PdfReader, *, landscape: bool = False) -> None:
    box = reader.pages[0].mediabox
    size = (float(box.width), float(box.height))
    expected = (A4[1], A4[0]) if landscape else A4
    assert size == pytest.approx(expected, abs=1)


def assert_national_header(text: str) -> None:
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text


def test_receipt_is_a4_with_vietnamese_text_embedded_font_qr_and_secret(settings):
    settings.PUBLIC_BASE_URL = "https://dichvucong.quangninh.gov.vn"
    d = _dossier()
    data = pdf.render_pdf("receipt", pdf.receipt_context(
        d, papers=["Đơn đề nghị cấp giấy phép xây dựng", "Bản vẽ thiết kế"], clerk_name="Trần Văn Bình",
        legal_time="15 ngày làm việc"))
    reader = read(data)
    assert_a4(reader)
    text = text_of(reader)
    assert_national_header(text)
    assert "Mẫu số 01" in text
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    for expected in ["000.00.50.H41-170103-0007", "Nguyễn Thị Ánh Hồng", "Cấp giấy phép xây dựng nhà ở riêng lẻ",
                     "Đơn đề nghị cấp giấy phép xây dựng", "09 giờ 05 phút, ngày 03 tháng 01 năm 2017",
                     "09 giờ 05 phút, ngày 17 tháng 01 năm 2017", "Trần Văn Bình", "K7Q2-M9XD",
                     "Quảng Ninh, ngày 03 tháng 01 năm 2017"]:
        assert expected in text, expected
    assert any("DejaVu" in name for name in embedded_fonts(reader))
    # The QR is drawn in the page (vector) and the look-up address is printed beside it.
    assert "dichvucong.quangninh.gov.vn/portal/lookup/" in text


def test_lookup_url_carries_code_and_secret(settings):
    settings.PUBLIC_BASE_URL = "https://dvc.example.vn/"
    assert pdf.lookup_url("000.00.50.H41-170103-0007", "AB CD") == (
        "https://dvc.example.vn/portal/lookup/?code=000.00.50.H41-170103-0007&secret=AB+CD")


def test_qr_code_is_an_inline_svg():
    assert pdf.qr_data_uri("https://x.vn/portal/lookup/?code=1").startswith("data:image/svg+xml")


def test_supplement_request_lists_every_missing_paper():
    data = pdf.render_pdf("supplement", pdf.supplement_context(
        _dossier(), missing=["Giấy chứng nhận quyền sử dụng đất", "Bản vẽ mặt bằng"],
        reason="Thiếu giấy tờ chứng minh quyền sử dụng đất", clerk_name="Trần Văn Bình", contact="02033 123 456"))
    reader = read(data)
    assert_a4(reader)
    text = text_of(reader)
    assert_national_header(text)
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert "Giấy chứng nhận quyền sử dụng đất" in text and "Bản vẽ mặt bằng" in text
    assert "Trần Văn Bình" in text


def test_refusal_states_the_reason():
    data = pdf.render_pdf("refusal", pdf.refusal_context(
        _dossier(), reason="Thủ tục không thuộc thẩm quyền giải quyết của đơn vị", clerk_name="Trần Văn Bình"))
    reader = read(data)
    assert_a4(reader)
    text = text_of(reader)
    assert_national_header(text)
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text
    assert "không thuộc thẩm quyền giải quyết" in text


def test_apology_gives_the_new_date():
    data = pdf.render_pdf("apology", pdf.apology_context(
        _dossier(), reason="Cần xác minh thực địa", new_due=dt.datetime(2017, 1, 24, 16, 0, tzinfo=VN),
        signer_name="Phạm Minh Đức"))
    reader = read(data)
    assert_a4(reader)
    text = text_of(reader)
    assert_national_header(text)
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text
    assert "16 giờ 00 phút, ngày 24 tháng 01 năm 2017" in text
    assert "xin lỗi ông/bà" in text


def test_control_slip_shows_each_hand_over_with_step_due_and_result():
    rows = [
        pdf.HandOver("Bộ phận tiếp nhận và trả kết quả", "Trần Văn Bình", "Phòng Quản lý đô thị", "Lê Thị Cúc",
                     dt.datetime(2017, 1, 3, 10, 0, tzinfo=VN), dt.datetime(2017, 1, 10, 10, 0, tzinfo=VN), "early"),
        pdf.HandOver("Phòng Quản lý đô thị", "Lê Thị Cúc", "Lãnh đạo UBND", "Phạm Minh Đức",
                     dt.datetime(2017, 1, 12, 8, 0, tzinfo=VN), dt.datetime(2017, 1, 11, 10, 0, tzinfo=VN), "late",
                     note="Chờ xác minh"),
    ]
    data = pdf.render_pdf("control", pdf.control_context(_dossier(), hand_overs=rows))
    reader = read(data)
    assert_a4(reader)
    text = text_of(reader)
    assert_national_header(text)
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    for expected in ["Lê Thị Cúc", "Phạm Minh Đức", "Trước hạn", "Quá hạn", "10/01/2017 10:00", "Chờ xác minh"]:
        assert expected in text, expected


def test_register_is_landscape_and_lists_many_dossiers():
    dossiers = [_dossier(code=f"000.00.50.H41-170103-{n:04d}", applicant_name=f"Hoàng Văn Định {n}")
                for n in range(1, 61)]
    data = pdf.register_pdf(_agency(), dossiers=dossiers, period_from=dt.date(2017, 1, 1),
                            period_to=dt.date(2017, 1, 31))
    reader = read(data)
    assert_a4(reader, landscape=True)
    assert len(reader.pages) > 1
    text = text_of(reader)
    assert_national_header(text)
    assert "SỔ THEO DÕI HỒ SƠ" in text and "Mẫu số 06 — Thông tư số 01/2018/TT-VPCP" in text
    assert "Hoàng Văn Định 1" in text and "000.00.50.H41-170103-0060" in text
    assert "Cấp giấy phép xây dựng nhà ở riêng lẻ" in text and "03/01/2017 09:05" in text
    assert f"Trang 1/{len(reader.pages)}" in text
    assert {"DejaVuSerifCondensed", "DejaVuSerifCondensed-Bold"} <= {n.split("+")[-1].lstrip("/")
                                                                      for n in embedded_fonts(reader)}


def test_register_wraps_a_long_name_and_cuts_a_long_code_inside_its_column():
    font = tablepdf.Font(pdf.FONT_DIR / "DejaVuSerifCondensed.ttf", "R")
    lines = tablepdf.wrap(font, "Cấp giấy phép xây dựng nhà ở riêng lẻ tại đô thị", 60, 8)
    assert len(lines) > 1 and all(font.measure(line, 8) <= 60 for line in lines)
    assert " ".join(lines) == "Cấp giấy phép xây dựng nhà ở riêng lẻ tại đô thị"
    cut = tablepdf.wrap(font, "000.00.50.H41-170103-0060", 50, 8)
    assert "".join(cut) == "000.00.50.H41-170103-0060" and all(font.measure(x, 8) <= 50 for x in cut)


def _boxes(box, kind):
    """Every box of a type under `box`, in document order."""
    if isinstance(box, kind):
        yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child, kind)


def test_control_slip_keeps_every_text_inside_its_cell():
    """The note column was squeezed to a few millimetres by the cells' padding and its words ran over the
    table's right border."""
    from weasyprint.formatting_structure.boxes import TableBox, TableCellBox, TextBox  # noqa: PLC0415 — WeasyPrint, heavy: loaded for this test only

    notes = ["Phòng chuyên môn thẩm định", "Lãnh đạo UBND huyện phê duyệt",
             "Chuyển hồ sơ liên thông sang Chi cục Thuế khu vực Hạ Long – Vân Đồn để xác định nghĩa vụ tài chính",
             "000.00.50.H41-170103-0007/TN-kèm-theo-văn-bản-số-1234/UBND-QLĐT"]
    rows = [pdf.HandOver("Trung tâm Hành chính công huyện Hải Hà", "Nguyễn Hồng Hằng",
                         "Phòng Tư pháp huyện Hải Hà", "Lê Thanh Hạnh", dt.datetime(2017, 7, 19, 8, 52, tzinfo=VN),
                         dt.datetime(2017, 8, 1, 8, 52, tzinfo=VN), "early", note=note) for note in notes]
    document = pdf.layout("control", pdf.control_context(_dossier(), hand_overs=rows))
    checked = 0
    for page in document.pages:
        (table,) = [t for t in _boxes(page._page_box, TableBox) if "grid" in (t.element.get("class") or "")]
        right = table.border_box_x() + table.border_width()
        for cell in _boxes(table, TableCellBox):
            cell_right = cell.border_box_x() + cell.border_width()
            assert cell_right <= right + 0.5
            for text in _boxes(cell, TextBox):
                assert text.position_x + text.width <= cell_right + 0.5, text.text
                checked += 1
    assert checked > 40
    text = text_of(read(document.write_pdf()))
    assert "Phòng chuyên môn thẩm định" in text
