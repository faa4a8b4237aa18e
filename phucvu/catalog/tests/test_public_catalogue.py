"""The public catalogue's data and search: the new fields travel through the import; the search is ranked,
accent- and case-insensitive, ignores everyday words, splits words run together, keeps compounds whole."""

from __future__ import annotations

import pytest

from phucvu.catalog import search
from phucvu.catalog.importers import import_procedures
from phucvu.catalog.models import Procedure
from phucvu.catalog.selectors import procedure_ranked
from phucvu.catalog.services import field_ensure, procedure_create, procedure_revise
from phucvu.core.exceptions import InvalidInput

NAMES = [
    ("1.001193", "Đăng ký khai sinh", "Hộ tịch", "partial"),
    ("1.004859", "Đăng ký lại khai sinh", "Hộ tịch", "partial"),
    ("1.001695", "Đăng ký khai sinh có yếu tố nước ngoài", "Hộ tịch", "partial"),
    ("1.000894", "Đăng ký kết hôn", "Hộ tịch", "none"),
    ("2.000815", "Chứng thực bản sao từ bản chính giấy tờ, văn bản", "Chứng thực", "none"),
    ("2.000884", "Chứng thực chữ ký trong các giấy tờ, văn bản", "Chứng thực", "none"),
    ("1.001051", "Cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", "An toàn thực phẩm", "partial"),
    ("1.009994", "Cấp giấy phép xây dựng nhà ở riêng lẻ", "Hoạt động xây dựng", "partial"),
]


@pytest.fixture
def catalogue(db):
    for code, name, field, online in NAMES:
        procedure_create(code=code, name=name, field=field_ensure(name=field), levels=["commune"], amount=3,
                         online_level=online)


def names(query, **kw):
    return [p.name for p in procedure_ranked(query=query, **kw)]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["làm giấy khai sinh", "giay khai sinh", "KHAI SINH", "khaisinh", "xin làm khai sinh",
                                   "Khai Sinh", "khai si"])
def test_everyday_words_accents_case_and_run_together_find_the_birth_registration_first(catalogue, query):
    found = names(query)
    assert found[0] == "Đăng ký khai sinh", found
    assert "Đăng ký kết hôn" not in found


@pytest.mark.django_db
def test_chung_thuc_does_not_match_across_chung_nhan_thuc_pham(catalogue):
    found = names("chứng thực")
    assert set(found) == {"Chứng thực bản sao từ bản chính giấy tờ, văn bản",
                          "Chứng thực chữ ký trong các giấy tờ, văn bản"}
    assert names("thuc pham") == ["Cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm"]


@pytest.mark.django_db
def test_words_never_side_by_side_are_looked_for_apart(catalogue):
    assert names("khai sinh nước ngoài") == ["Đăng ký khai sinh có yếu tố nước ngoài"]
    assert names("xin cấp phép xây nhà") == ["Cấp giấy phép xây dựng nhà ở riêng lẻ"]  # "xây" … "nhà" apart
    assert names("khai sinh kết hôn") == []  # every word must be found
    assert names("cấp phép xây dựng")[0] == "Cấp giấy phép xây dựng nhà ở riêng lẻ"


@pytest.mark.django_db
def test_code_and_filters(catalogue):
    assert names("1.000894") == ["Đăng ký kết hôn"]
    assert "Đăng ký kết hôn" not in names("", online_only=True)
    assert len(names("")) == len(NAMES)  # every procedure, online or not


def test_split_run_together_uses_the_fewest_catalogue_words():
    vocab = search.Vocabulary.of(["Đăng ký kết hôn", "Đăng ký khai sinh"])
    assert search.split_run_together("dangkykethon", vocab) == ["dang", "ky", "ket", "hon"]
    assert search.split_run_together("xyzw", vocab) == ["xyzw"]


@pytest.mark.django_db
def test_the_new_fields_travel_through_the_import_and_make_a_version(tmp_path):
    path = tmp_path / "p.csv"
    header = ("code,name,field,levels,time,time_unit,cutoff,pause_rule,fee,online_level,papers,paper_copies,"
              "paper_kinds,paper_forms,fee_note,conditions,applicants,result_delivery,legal_basis\n")
    row = ('1.001193,Đăng ký khai sinh,Hộ tịch,commune,1,same_day,,pause,0,partial,'
           '"Tờ khai đăng ký khai sinh|Giấy chứng sinh",1|1,chính|sao chứng thực,Tờ khai đăng ký khai sinh|,'
           'Miễn lệ phí đăng ký đúng hạn,Trẻ em sinh ra,"Cha, mẹ, ông, bà",Trực tiếp hoặc qua bưu chính,'
           'Luật Hộ tịch 2014\n')
    path.write_text(header + row, encoding="utf-8")
    assert import_procedures(path).created == 1
    version = Procedure.objects.get(code="1.001193").current_version
    assert version.applicants == "Cha, mẹ, ông, bà" and version.legal_basis == "Luật Hộ tịch 2014"
    assert version.fee_note == "Miễn lệ phí đăng ký đúng hạn" and version.result_delivery.startswith("Trực tiếp")
    rows = version.paper_rows()
    assert [(r["copies"], r["kind"], r["form"]) for r in rows] == [(1, "original", "Tờ khai đăng ký khai sinh"),
                                                                 (1, "certified_copy", "")]
    path.write_text(header + row.replace("Luật Hộ tịch 2014", "Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP"),
                    encoding="utf-8")
    assert import_procedures(path).updated == 1  # a change of legal basis is a new version
    bad = tmp_path / "bad.csv"
    bad.write_text(header + row.replace("1|1,", "1,"), encoding="utf-8")
    with pytest.raises(InvalidInput):
        import_procedures(bad)


@pytest.mark.django_db
def test_paper_details_must_name_a_paper_of_the_version():
    field = field_ensure(name="Hộ tịch")
    with pytest.raises(InvalidInput, match="không thuộc"):
        procedure_create(code="9.1", name="X", field=field, levels=["commune"], amount=1, papers=["A"],
                         paper_specs=[{"name": "B"}])
    p = procedure_create(code="9.2", name="Y", field=field, levels=["commune"], amount=1, papers=["A", "B"],
                         paper_specs=[{"name": "B", "copies": 2, "kind": "copy"}])
    p = procedure_revise(procedure_id=p.pk, papers=["B"])  # details of a paper that went are dropped
    assert p.current_version.paper_rows() == [{"name": "B", "copies": 2, "kind": "copy", "kind_label": "Bản sao",
                                               "form": ""}]
