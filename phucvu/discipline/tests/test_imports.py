"""`phucvu import staff | evaluation-scores | sanctions` and `phucvu evaluation grade` (the contracts)."""

from __future__ import annotations

import datetime as dt
import importlib
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from phucvu.core.importing import importer_for
from phucvu.core.tables import ImportRejected
from phucvu.discipline.models import QuotaChoice, Sanction, ScoreSheet, StaffProfile
from phucvu.discipline.services.evaluation import quota_choice_record, unit_grade_set
from phucvu.organization.models import Staff

STAFF_HEADER = "username,full_name,agency,role,position,category,job_position,email,phone,active\n"


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run_import(kind: str, path, *extra: str) -> str:
    out, err = StringIO(), StringIO()
    call_command("import", kind, str(path), *extra, stdout=out, stderr=err)
    return out.getvalue()


def import_errors(kind: str, path) -> list[str]:
    with pytest.raises(ImportRejected) as caught:
        importer_for(kind)(path, dry_run=False)
    return caught.value.errors


def grade(code: str, year: int) -> dict:
    out = StringIO()
    call_command("evaluation", "grade", "--agency", code, "--year", str(year), "--format", "json", stdout=out)
    return json.loads(out.getvalue())


# -- staff ---------------------------------------------------------------------------------------------------------

def test_staff_are_created_then_updated(province, tmp_path):
    path = write(tmp_path, "staff.csv", STAFF_HEADER
                 + "lan.nt,Nguyễn Thị Lan,X06652,desk_clerk,Công chức Một cửa,CC,Tiếp nhận hồ sơ,lan@hg.gov.vn,0912 345 678,1\n"
                 + "binh.tv,Trần Văn Bình,X06652,Lãnh đạo đơn vị,Chủ tịch UBND phường,CB,,,,1\n")
    assert "2 tạo mới" in run_import("staff", path)
    lan = Staff.objects.get(user__username="lan.nt")
    assert (lan.full_name, lan.agency.code, lan.category, lan.user.email) == ("Nguyễn Thị Lan", "X06652", "CC",
                                                                              "lan@hg.gov.vn")
    assert lan.profile.job_position.name == "Tiếp nhận hồ sơ" and lan.profile.phone == "0912 345 678"
    assert not lan.user.has_usable_password()
    assert Staff.objects.get(user__username="binh.tv").role == "unit_leader"  # the Vietnamese label is accepted
    path = write(tmp_path, "staff2.csv", STAFF_HEADER
                 + "lan.nt,Nguyễn Thị Lan,X06655,desk_clerk,Công chức Một cửa,CC,Tiếp nhận hồ sơ,lan@hg.gov.vn,0912 345 678,0\n"
                 + "binh.tv,Trần Văn Bình,X06652,Lãnh đạo đơn vị,Chủ tịch UBND phường,CB,,,,1\n")
    assert "0 tạo mới, 1 cập nhật, 1 bỏ qua" in run_import("staff", path)
    lan.refresh_from_db()
    assert (lan.agency.code, lan.active) == ("X06655", False)


def test_holding_a_post_is_a_column_of_the_staff_file(province, tmp_path):
    """holds_post: 1/0 recorded; empty keeps what was recorded (a new unit leader holds one) — docs/discipline.md §6.1."""
    header = STAFF_HEADER.rstrip("\n") + ",holds_post\n"
    path = write(tmp_path, "staff.csv", header
                 + "pho.tp,Phạm Văn Phó,X06652,specialist,Phó trưởng phòng,CC,,,,1,1\n"
                 + "cv.tp,Chu Văn Viên,X06652,specialist,Trưởng nhóm,CC,,,,1,0\n"
                 + "ld.tp,Lý Văn Đạo,X06652,unit_leader,Chủ tịch,CB,,,,1,\n")
    assert "3 tạo mới" in run_import("staff", path)
    posts = dict(StaffProfile.objects.values_list("staff__user__username", "holds_post"))
    assert posts == {"pho.tp": True, "cv.tp": False, "ld.tp": True}
    # Without the column (the contract's ten columns), what was recorded stays.
    path = write(tmp_path, "staff2.csv", STAFF_HEADER + "pho.tp,Phạm Văn Phó,X06652,specialist,Phó trưởng phòng,CC,,,,1\n")
    assert "1 bỏ qua" in run_import("staff", path)
    assert StaffProfile.objects.get(staff__user__username="pho.tp").holds_post
    path = write(tmp_path, "staff3.csv", header + "cv.tp,Chu Văn Viên,X06652,specialist,Trưởng nhóm,CC,,,,1,x2\n")
    assert any("cột holds_post 'x2' không hợp lệ" in e for e in import_errors("staff", path))


def test_the_migration_fills_the_post_from_the_title_rule(province, make_staff):
    """The rule of the titles, applied once by migration 0010 to the cadres already there."""
    fill = importlib.import_module("phucvu.discipline.migrations.0010_staff_holds_post").fill_from_post_titles
    head = make_staff(province["commune"], "specialist", position="Phó Chánh Văn phòng")
    plain = make_staff(province["commune"], "specialist", position="Chuyên viên")
    leader = make_staff(province["commune"], "unit_leader", position="")
    StaffProfile.objects.create(staff=plain)
    fill(django_apps, None)
    posts = dict(StaffProfile.objects.values_list("staff_id", "holds_post"))
    assert posts == {head.pk: True, plain.pk: False, leader.pk: True}


def test_staff_from_xlsx(province, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(STAFF_HEADER.strip().split(","))
    sheet.append(["mai.lt", "Lê Thị Mai", "H193", "specialist", "", "VC", "Văn thư", "", "", 1])
    book.save(tmp_path / "staff.xlsx")
    run_import("staff", tmp_path / "staff.xlsx")
    assert Staff.objects.get(user__username="mai.lt").category == "VC"


def test_staff_dry_run_writes_nothing(province, tmp_path):
    path = write(tmp_path, "staff.csv", STAFF_HEADER + "a.b,Ái Bình,X06652,desk_clerk,,CC,,,,1\n")
    assert "Kiểm tra xong (không ghi): 1 tạo mới" in run_import("staff", path, "--dry-run")
    assert not Staff.objects.filter(user__username="a.b").exists()


def test_staff_errors_are_numbered_and_nothing_is_written(province, tmp_path):
    path = write(tmp_path, "staff.csv", STAFF_HEADER
                 + "ok.one,Người Tốt,X06652,desk_clerk,,CC,,,,1\n"
                 + "bad name,Tên Sai,X06652,desk_clerk,,CC,,,,1\n"
                 + "c.d,,NOPE,pilot,,HD,,not-an-email,abc,maybe\n"
                 + "ok.one,Trùng Tên,X06652,desk_clerk,,CC,,,,1\n")
    errors = import_errors("staff", path)
    assert errors[0].startswith("Dòng 3: tên đăng nhập 'bad name' không hợp lệ")
    assert [e for e in errors if e.startswith("Dòng 4")] == [
        "Dòng 4: thiếu họ và tên (cột full_name).", "Dòng 4: không có đơn vị mã 'NOPE' (cột agency).",
        "Dòng 4: vai trò 'pilot' không hợp lệ (một trong: desk_clerk, specialist, unit_leader, inspector, "
        "hr_officer, system_admin).", "Dòng 4: ngạch 'HD' không hợp lệ (CB, CC hoặc VC).",
        "Dòng 4: thư điện tử 'not-an-email' không hợp lệ.", "Dòng 4: số điện thoại 'abc' không hợp lệ.",
        "Dòng 4: cột active 'maybe' không hợp lệ (1 hoặc 0)."]
    assert errors[-1] == "Dòng 5: tên đăng nhập 'ok.one' đã có ở dòng 2."
    assert not Staff.objects.filter(user__username="ok.one").exists()
    with pytest.raises(CommandError, match="Tệp bị từ chối"):
        run_import("staff", path)


def test_a_missing_column_is_refused(province, tmp_path):
    path = write(tmp_path, "staff.csv", "username,full_name\nx,Y\n")
    assert import_errors("staff", path)[0].startswith("Dòng 1: thiếu cột bắt buộc: agency, role")


# -- evaluation scores and the grade -----------------------------------------------------------------------------------

@pytest.fixture
def commune_staff(province, make_staff):
    made = {}
    for name, role in [("lan", "desk_clerk"), ("binh", "specialist"), ("cuong", "unit_leader")]:
        staff = make_staff(province["commune"], role, category="CC")
        staff.user.username = name
        staff.user.save()
        made[name] = staff
    return made


def test_scores_are_imported_and_graded(commune_staff, tmp_path):
    rows = "".join(f"lan,2026-Q{q},28,64\nbinh,2026-Q{q},25,50\ncuong,2026-{m:02d},20,30\n"
                   for q, m in [(1, 1), (2, 2), (3, 3), (4, 4)])
    rows += "".join(f"cuong,2026-{m:02d},21,30\n" for m in (5, 6))
    assert "14 tạo mới" in run_import("evaluation-scores", write(tmp_path, "scores.csv",
                                                                 "username,period,general,results\n" + rows))
    result = grade("X06652", 2026)
    assert result["agency"] == "X06652" and result["year"] == 2026
    # Three graded; lan (92) and binh (75) good or better → 20 % of 2 = 0 excellent: lan is held by the quota.
    assert result["quota"] == {"excellent_max": 0, "excellent": 0}
    assert result["staff"] == [
        {"username": "binh", "score": 75.0, "grade": "good", "capped_by": None},
        {"username": "cuong", "score": 50.33, "grade": "completed", "capped_by": None},
        {"username": "lan", "score": 92.0, "grade": "good", "capped_by": "quota"},
    ]


def test_scores_errors(commune_staff, tmp_path):
    path = write(tmp_path, "scores.csv", "username,period,general,results\n"
                 "lan,2026-13,20,50\nlan,2026-01,31,50\nlan,2026-02,20,70.5\nghost,2026-01,20,50\n"
                 "lan,2026-03,20,50\nlan,2026-03,21,50\nlan,2026-Q2,20,50\nlan,2016-01,20,50\nlan,2026-04,x,1\n")
    assert import_errors("evaluation-scores", path) == [
        "Dòng 2: kỳ '2026-13' không hợp lệ (dùng YYYY-MM, ví dụ 2026-03, hoặc YYYY-Qn, ví dụ 2026-Q1).",
        "Dòng 3: điểm tiêu chí chung 31 phải từ 0 đến 30.",
        "Dòng 4: điểm kết quả nhiệm vụ 70.5 phải từ 0 đến 70.",
        "Dòng 10: điểm tiêu chí chung 'x' không phải là số.",
        "Dòng 5: không có cán bộ tên đăng nhập 'ghost'.",
        "Dòng 7: kỳ 2026-03 của 'lan' đã có ở dòng 6.",
        "Dòng 8: năm 2026 của 'lan' đã chấm theo tháng ở dòng 6; không trộn tháng và quý.",
        "Dòng 9: Chưa có quy định đánh giá, xếp loại cho ngạch 'CC' năm 2016 trong hệ thống.",
    ]
    assert not ScoreSheet.objects.exists()


def test_scores_imported_again_replace_the_earlier_import(commune_staff, tmp_path):
    header = "username,period,general,results\n"
    run_import("evaluation-scores", write(tmp_path, "a.csv", header + "lan,2026-01,20,50\n"))
    assert "0 tạo mới, 1 cập nhật" in run_import("evaluation-scores", write(tmp_path, "b.csv", header + "lan,2026-01,25,60\n"))
    assert ScoreSheet.objects.get().total == Decimal("85.00")
    errors = import_errors("evaluation-scores", write(tmp_path, "c.csv", header + "lan,2026-Q1,25,60\n"))
    assert errors == ["Dòng 2: năm 2026 của 'lan' đã có điểm theo tháng; không trộn tháng và quý."]


def _twelve(tmp_path, scores: dict[str, tuple[int, int]]):
    rows = "".join(f"{u},2026-{m:02d},{g},{r}\n" for u, (g, r) in scores.items() for m in range(1, 13))
    run_import("evaluation-scores", write(tmp_path, "s.csv", "username,period,general,results\n" + rows))


def test_a_sanction_caps_the_grade(commune_staff, tmp_path):
    _twelve(tmp_path, {"lan": (28, 64), "binh": (25, 50)})
    path = write(tmp_path, "sanctions.csv", "username,form,decided_on,effective_from,reason\n"
                 "lan,khien_trach,2026-05-04,2026-05-05,Đi muộn nhiều lần\n")
    assert "1 tạo mới" in run_import("sanctions", path)
    sanction = Sanction.objects.get()
    assert (sanction.kind, sanction.effective_from, sanction.imported) == ("reprimand", dt.date(2026, 5, 5), True)
    by_name = {s["username"]: s for s in grade("X06652", 2026)["staff"]}
    assert by_name["lan"] == {"username": "lan", "score": 92.0, "grade": "not_completed", "capped_by": "sanction"}
    assert "0 tạo mới, 0 cập nhật, 1 bỏ qua" in run_import("sanctions", path)  # the same line again
    assert grade("X06652", 2025)["staff"][0]["grade"] == "not_graded"  # a sanction of 2026 does not reach 2025


def test_sanction_errors(commune_staff, tmp_path):
    path = write(tmp_path, "sanctions.csv", "username,form,decided_on,effective_from,reason\n"
                 "lan,ha_bac_luong,2026-05-04,2026-05-04,x\n"
                 "lan,ha_bac_luong,2025-09-01,2025-09-01,a case started before 1/7/2025\n"
                 "lan,bai_nhiem,2026-05-04,,x\nghost,canh_cao,2026-05-04,,x\nlan,canh_cao,2026-05-04,2026-05-01,x\n"
                 "lan,dismiss,2026-05-04,,x\nlan,canh_cao,04/05/2026,,x\nlan,canh_cao,2026-05-04,,y\n")
    assert import_errors("sanctions", path) == [
        "Dòng 2: Hình thức hạ bậc lương không áp dụng cho công chức vào ngày 04/05/2026 (theo 172/2025/NĐ-CP: "
        "khiển trách, cảnh cáo, cách chức, buộc thôi việc).",
        "Dòng 4: Hình thức bãi nhiệm không áp dụng cho công chức vào ngày 04/05/2026 (theo 172/2025/NĐ-CP: "
        "khiển trách, cảnh cáo, cách chức, buộc thôi việc).",
        "Dòng 5: không có cán bộ tên đăng nhập 'ghost'.",
        "Dòng 6: ngày có hiệu lực trước ngày quyết định.",
        "Dòng 7: hình thức 'dismiss' không hợp lệ (một trong: khien_trach, canh_cao, ha_bac_luong, giang_chuc, "
        "cach_chuc, buoc_thoi_viec, bai_nhiem).",
        "Dòng 9: trùng với dòng 8.",
    ]
    assert not Sanction.objects.exists()


def test_the_quota_binds_and_a_recorded_choice_decides(commune_staff, make_staff, province, tmp_path):
    many = {f"p{i}": (28, 65) for i in range(3)} | {f"q{i}": (22, 55) for i in range(7)}
    for name in many:
        staff = make_staff(province["commune"], "specialist", category="CC")
        staff.user.username = name
        staff.user.save()
    _twelve(tmp_path, many)
    result = grade("X06652", 2026)
    # 10 good or better (3 at 93, 7 at 77) → 2 excellent; the tie at 93 goes to the first usernames.
    assert result["quota"] == {"excellent_max": 2, "excellent": 2}
    grades = {s["username"]: (s["grade"], s["capped_by"]) for s in result["staff"]}
    assert grades["p2"] == ("good", "quota") and grades["p0"] == ("excellent", None)
    chosen = list(Staff.objects.filter(user__username__in=["p1", "p2"]))
    choice = quota_choice_record(actor=None, agency=province["commune"], year=2026, chosen=chosen, note="Họp 10/12")
    assert QuotaChoice.objects.get() == choice
    grades = {s["username"]: s["grade"] for s in grade("X06652", 2026)["staff"]}
    assert (grades["p0"], grades["p1"], grades["p2"]) == ("good", "excellent", "excellent")
    unit_grade_set(actor=None, agency=province["commune"], year=2026, grade="excellent")
    assert grade("X06652", 2026)["quota"] == {"excellent_max": 2, "excellent": 2}  # 10 × 25 % = 2.5 → 2


def test_grade_refuses_unknown_agency_and_bad_year(db):
    with pytest.raises(CommandError, match="Không có đơn vị mã 'NOPE'"):
        grade("NOPE", 2026)
    with pytest.raises(CommandError, match="Năm '26' không hợp lệ"):
        call_command("evaluation", "grade", "--agency", "X", "--year", "26", stdout=StringIO())


def test_the_importers_are_registered():
    assert {"staff", "evaluation-scores", "sanctions"} <= set(importer_for.__globals__["_IMPORTERS"])


def test_profiles_are_not_needed_to_grade(commune_staff):
    assert not StaffProfile.objects.exists()
    assert {s["grade"] for s in grade("X06652", 2026)["staff"]} == {"not_graded"}
