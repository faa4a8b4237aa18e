"""The score sheet, the ranking, Home Affairs' view and the staff page, through the web (docs/discipline.md §6)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from phucvu.core.exceptions import InvalidInput, NotAllowed
from phucvu.discipline.models import QuotaChoice, ScoreSheet, SheetStatus
from phucvu.discipline.services.cases import sanction_import_save
from phucvu.discipline.services.evaluation import (
    GENERAL_CRITERIA,
    quota_choice_record,
    score_import_save,
    score_sheet_manager_score,
    score_sheet_open,
    score_sheet_self_score,
)

FULL = {key: str(maximum) for key, _label, maximum in GENERAL_CRITERIA}


@pytest.fixture
def people(province, make_staff):
    return {"clerk": make_staff(province["commune"], "desk_clerk", full_name="Đào Thị Hạnh"),
            "other": make_staff(province["commune"], "desk_clerk", full_name="Vũ Văn Khác"),
            "leader": make_staff(province["commune"], "unit_leader", full_name="Hoàng Văn Lãnh"),
            "hr": make_staff(province["dept"], "hr_officer", full_name="Phan Thị Nội Vụ"),
            "far": make_staff(province["district2"], "unit_leader", full_name="Lê Văn Xa")}


def login(client, staff):
    client.force_login(staff.user)
    return client


def post_self(client, sheet, items=FULL, rows=(("Tiếp nhận hồ sơ", 1, 10, 10, 10, 10, 0, 0),)):
    data = {"action": "self", "item-count": str(len(rows))}
    data.update({f"self-{k}": v for k, v in items.items()})
    for i, row in enumerate(rows):
        for field, value in zip(("name", "coefficient", "assigned", "done", "to_standard", "on_time",
                                 "failed_checks", "delays"), row):
            data[f"item-{i}-{field}"] = str(value)
    return client.post(reverse("discipline:sheet_detail", args=[sheet.pk]), data)


def test_a_cadre_self_scores_and_the_leader_finishes_the_sheet(client, people):
    login(client, people["clerk"])
    response = client.post(reverse("discipline:sheet_open"))
    sheet = ScoreSheet.objects.get()
    assert response.url == reverse("discipline:sheet_detail", args=[sheet.pk])
    today = timezone.localdate()
    assert (sheet.year, sheet.period_kind, sheet.number) == (today.year, "month", today.month)
    post_self(client, sheet, rows=[("Tiếp nhận hồ sơ", 1, 10, 8, 6, 4, 0, 0)])
    sheet.refresh_from_db()
    assert (sheet.status, sheet.results, sheet.general) == (SheetStatus.SELF_SCORED, Decimal("42.00"), None)
    client.logout()
    login(client, people["leader"])
    data = {"action": "manager", **{f"manager-{k}": v for k, v in FULL.items()}, "manager-innovation": "8"}
    client.post(reverse("discipline:sheet_detail", args=[sheet.pk]), data)
    sheet.refresh_from_db()
    assert (sheet.status, sheet.general, sheet.total, sheet.scored_by) == (
        SheetStatus.FINAL, Decimal("28.00"), Decimal("70.00"), people["leader"])
    page = client.get(reverse("discipline:sheet_detail", args=[sheet.pk])).content.decode()
    assert "<td>8,00</td>" in page and "<td>1,00</td><td>10</td><td>8</td>" in page  # numbers as the page's language
    client.cookies["django_language"] = "en"
    page = client.get(reverse("discipline:sheet_detail", args=[sheet.pk])).content.decode()
    assert "<td>8.00</td>" in page


def test_a_bad_score_is_shown_beside_the_form(client, people):
    login(client, people["clerk"])
    client.post(reverse("discipline:sheet_open"))
    sheet = ScoreSheet.objects.get()
    response = post_self(client, sheet, items={**FULL, "politics": "6"})
    assert response.status_code == 200
    assert "Điểm “Phẩm chất chính trị, đạo đức, lối sống” phải từ 0 đến 5." in response.content.decode()
    assert ScoreSheet.objects.get().status == SheetStatus.DRAFT


def test_the_leader_waives_a_deduction_with_its_reason(people):
    sheet = score_sheet_open(actor=people["clerk"], staff=people["clerk"], year=2026, kind="month", number=3)
    items = [{"name": "Thẩm định", "assigned": "4", "done": "4", "to_standard": "4", "on_time": "4",
              "failed_checks": "1", "delays": "2"}]
    sheet = score_sheet_self_score(actor=people["clerk"], sheet_id=sheet.pk, items=FULL, result_items=items)
    assert sheet.results == Decimal("65.63")
    with pytest.raises(InvalidInput, match="lý do"):
        score_sheet_manager_score(actor=people["leader"], sheet_id=sheet.pk, items=FULL, waivers={0: " "})
    sheet = score_sheet_manager_score(actor=people["leader"], sheet_id=sheet.pk, items=FULL,
                                      waivers={0: "Mất điện cả tuần"})
    assert sheet.results == Decimal("70.00")
    assert sheet.result_items[0]["waiver"] == "Mất điện cả tuần"
    assert sheet.result_items[0]["waived_by"] == "Hoàng Văn Lãnh"


def test_only_the_cadre_self_scores_and_only_a_leader_who_sees_them_finishes(people):
    sheet = score_sheet_open(actor=people["clerk"], staff=people["clerk"], year=2026, kind="month", number=3)
    with pytest.raises(NotAllowed):
        score_sheet_self_score(actor=people["other"], sheet_id=sheet.pk, items=FULL, result_items=[])
    score_sheet_self_score(actor=people["clerk"], sheet_id=sheet.pk, items=FULL, result_items=[])
    with pytest.raises(NotAllowed):
        score_sheet_manager_score(actor=people["other"], sheet_id=sheet.pk, items=FULL)
    with pytest.raises(NotAllowed):
        score_sheet_manager_score(actor=people["far"], sheet_id=sheet.pk, items=FULL)
    assert ScoreSheet.objects.get().status == SheetStatus.SELF_SCORED


def test_a_cadre_sees_only_their_own_sheets(client, people):
    score_sheet_open(actor=None, staff=people["other"], year=2026, kind="month", number=3)
    mine = score_sheet_open(actor=None, staff=people["clerk"], year=2026, kind="month", number=3)
    login(client, people["clerk"])
    page = client.get(reverse("discipline:sheet_list"), {"year": 2026}).content.decode()
    assert "Đào Thị Hạnh" in page and "Vũ Văn Khác" not in page
    other = ScoreSheet.objects.exclude(pk=mine.pk).get()
    assert client.get(reverse("discipline:sheet_detail", args=[other.pk])).status_code == 404
    client.force_login(people["leader"].user)
    page = client.get(reverse("discipline:sheet_list"), {"year": 2026, "q": "vu van"}).content.decode()
    assert "Vũ Văn Khác" in page and "Đào Thị Hạnh" not in page
    csv = client.get(reverse("discipline:sheet_list"), {"year": 2026, "format": "csv"}).content.decode()
    assert csv.startswith("\ufeffusername,full_name") and csv.count("2026-03") == 2
    client.force_login(people["far"].user)
    assert "Đào Thị Hạnh" not in client.get(reverse("discipline:sheet_list"), {"year": 2026}).content.decode()


def _year_of_scores(staff, general, results, months=12):
    for month in range(1, months + 1):
        score_import_save(staff=staff, year=2026, kind="month", number=month, general=Decimal(general),
                          results=Decimal(results))


def test_home_affairs_reads_the_distribution_per_unit(client, people, province, make_staff):
    _year_of_scores(people["clerk"], 28, 65)  # 93
    _year_of_scores(people["other"], 22, 55)  # 77
    _year_of_scores(people["leader"], 22, 50)  # 72
    distant = make_staff(province["district2"], "desk_clerk", full_name="Ở Xa")
    _year_of_scores(distant, 15, 30)  # 45
    score_sheet_open(actor=None, staff=people["far"], year=2026, kind="month", number=2)  # never scored: late
    login(client, people["hr"])
    page = client.get(reverse("discipline:grades"), {"year": 2026}).content.decode()
    assert "UBND phường Hồng Gai" in page and "UBND thành phố Móng Cái" in page
    assert "Ai cũng tốt" in page  # Hồng Gai: everyone graded is good or better
    csv = client.get(reverse("discipline:grades"), {"year": 2026, "format": "csv"}).content.decode()
    assert "X06652,UBND phường Hồng Gai,0,3,0,0,0,0,1,0" in csv
    assert "H194,UBND thành phố Móng Cái,0,0,0,1,1,0,0,1" in csv  # far: not graded, one late sheet
    page = client.get(reverse("discipline:grades"), {"year": 2026, "q": "hong gai"}).content.decode()
    assert "Móng Cái" not in page
    client.force_login(people["leader"].user)
    page = client.get(reverse("discipline:grades"), {"year": 2026}).content.decode()
    assert "Hồng Gai" in page and "Móng Cái" not in page  # the visibility rule


def test_the_ranking_and_the_recorded_choice(client, people, province):
    for key in ("clerk", "other", "leader"):
        _year_of_scores(people[key], 28, 65)
    login(client, people["leader"])
    url = reverse("discipline:ranking", args=[province["commune"].pk])
    page = client.get(url, {"year": 2026}).content.decode()
    assert "vượt chỉ tiêu" in page  # 3 at 93, 20 % of 3 → 0
    client.post(f"{url}?year=2026", {"chosen": [people["other"].pk], "note": "Biên bản họp 10/12"})
    choice = QuotaChoice.objects.get()
    assert list(choice.chosen.all()) == [people["other"]] and choice.decided_by == people["leader"]
    csv = client.get(url, {"year": 2026, "format": "csv"}).content.decode()
    assert csv.splitlines()[1].startswith("1,")
    client.force_login(people["far"].user)
    assert client.get(url, {"year": 2026}).status_code == 403


def test_the_staff_page(client, people, province):
    _year_of_scores(people["clerk"], 28, 65)
    sanction_import_save(staff=people["clerk"], kind="warning", decided_on=dt.date(2026, 5, 4),
                         effective_from=dt.date(2026, 5, 4), reason="Nhũng nhiễu")
    login(client, people["leader"])
    page = client.get(reverse("discipline:staff_detail", args=[people["clerk"].pk]), {"year": 2026}).content.decode()
    assert "Đào Thị Hạnh" in page and "Cảnh cáo" in page and "Nhũng nhiễu" in page
    assert "Không hoàn thành nhiệm vụ" in page and "93,00" in page
    client.force_login(people["other"].user)  # a colleague: the page, but not the sheets
    page = client.get(reverse("discipline:staff_detail", args=[people["clerk"].pk]), {"year": 2026}).content.decode()
    assert "Bạn không được xem phiếu chấm điểm" in page
    # nor the year's score and grade, on the page or its PDF: those are the ranking's (`ranking_read`)
    assert "Bạn không được xem điểm, xếp loại năm của cán bộ này" in page and "93,00" not in page
    year_pdf = reverse("discipline:year_pdf", args=[people["clerk"].pk])
    assert client.get(year_pdf, {"year": 2026}).status_code == 403
    client.force_login(people["clerk"].user)  # the cadre reads her own
    page = client.get(reverse("discipline:staff_detail", args=[people["clerk"].pk]), {"year": 2026}).content.decode()
    assert "93,00" in page and "Không hoàn thành nhiệm vụ" in page
    assert client.get(year_pdf, {"year": 2026}).status_code == 200
    client.force_login(people["far"].user)
    assert client.get(reverse("discipline:staff_detail", args=[people["clerk"].pk])).status_code == 403


def test_the_ranking_is_read_and_chosen_by_the_authority_table_only(client, people, province, make_staff):
    """`ranking_read` and `quota_choice` (docs/discipline.md §7.6): a clerk who sees the commune reads neither the
    ranking, its national export nor the grades page; an inspector reads but does not choose; a refused choice
    writes nothing; the service refuses whatever the client."""
    for key in ("clerk", "other", "leader"):
        _year_of_scores(people[key], 28, 65)
    commune = province["commune"]
    url = reverse("discipline:ranking", args=[commune.pk])
    login(client, people["other"])  # a desk clerk of the commune: sees it under the visibility rule
    for target, params in [(url, {"year": 2026}), (url, {"year": 2026, "format": "csv"}),
                           (reverse("discipline:national_export", args=[commune.pk]), {"year": 2026}),
                           (reverse("discipline:grades"), {"year": 2026}),
                           (reverse("discipline:grades"), {"year": 2026, "format": "csv"})]:
        response = client.get(target, params)
        assert response.status_code == 403, target
        assert "Bạn không được xem xếp hạng, xếp loại cán bộ của đơn vị" in response.content.decode()
    response = client.post(f"{url}?year=2026", {"chosen": [people["other"].pk]})
    assert response.status_code == 403 and not QuotaChoice.objects.exists()
    inspector = make_staff(province["dept"], "inspector", full_name="Trần Thanh Tra")
    client.force_login(inspector.user)
    page = client.get(url, {"year": 2026}).content.decode()
    assert "vượt chỉ tiêu" in page and 'id="record-choice"' not in page  # reads, no button
    response = client.post(f"{url}?year=2026", {"chosen": [people["other"].pk]})
    assert response.status_code == 403 and not QuotaChoice.objects.exists()
    assert "Bạn không được chọn người giữ mức xuất sắc trong chỉ tiêu" in response.content.decode()
    assert client.get(reverse("discipline:grades"), {"year": 2026}).status_code == 200
    with pytest.raises(NotAllowed):
        quota_choice_record(actor=people["clerk"], agency=commune, year=2026, chosen=[people["clerk"]])
    assert not QuotaChoice.objects.exists()
    quota_choice_record(actor=people["hr"], agency=commune, year=2026, chosen=[people["clerk"]])
    assert QuotaChoice.objects.count() == 1


def test_a_sheet_is_scored_by_whom_the_authority_table_names(people):
    """`sheet_score`: a leader or the personnel office who sees the cadre; not a colleague, not the cadre."""
    sheet = score_sheet_open(actor=people["clerk"], staff=people["clerk"], year=2026, kind="month", number=3)
    score_sheet_self_score(actor=people["clerk"], sheet_id=sheet.pk, items=FULL,
                           result_items=[{"name": "Tiếp nhận", "assigned": "1", "done": "1", "to_standard": "1",
                                          "on_time": "1"}])
    for actor, message in [(people["other"], "Bạn không được chấm phiếu điểm của cán bộ"),
                           (people["far"], "Bạn không được chấm phiếu điểm của cán bộ"),
                           (people["clerk"], "Không tự chấm phiếu của chính mình")]:
        with pytest.raises(NotAllowed, match=message):
            score_sheet_manager_score(actor=actor, sheet_id=sheet.pk, items=FULL)
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.SELF_SCORED
    score_sheet_manager_score(actor=people["hr"], sheet_id=sheet.pk, items=FULL)
