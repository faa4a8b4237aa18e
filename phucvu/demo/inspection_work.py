"""The inspection work the demo carries beyond the seed's counts (docs/inspections.md §10–15): the provincial
inspectorate's 2017 plan with an amendment, and the Department of Home Affairs' civil-service checks of
Hồng Gai's one-stop desk in July — one concluded and published with open recommendations, one under way with
its checklist. Deterministic (no random draw), and dated after 30/6/2017 so the seed's counts stay as they are.
"""

from __future__ import annotations

import datetime as dt
import struct
import zlib

from phucvu.demo.profiles import TZ
from phucvu.demo.replay import Cast
from phucvu.inspections.services import (
    check_mark,
    inspection_conclude,
    inspection_draft_received,
    inspection_open,
    inspection_publish,
    plan_amend,
    plan_approve,
    plan_create,
    plan_item_add,
    plan_item_open,
    plan_item_withdraw,
    recommendation_add,
    record_add,
    relation_declare,
    relation_end,
)
from phucvu.organization.models import Staff

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _png() -> bytes:
    """A real 8×8 grey PNG: what a phone's photo stands for in the demo."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\x80" * 8 for _ in range(8))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), TZ)


def build_inspection_work(cast: Cast) -> None:
    agencies = cast.agencies
    if not {"P22-TTT", "P22-SNV", "W06691", "D193"} <= set(agencies):
        return
    ttt, snv, ward, city = agencies["P22-TTT"], agencies["P22-SNV"], agencies["W06691"], agencies["D193"]
    others = sorted((a for a in agencies.values() if a.kind == "commune" and a.parent_id == city.pk
                     and a.code != "W06691"), key=lambda a: a.code)
    # The inspectorate's plan for 2017: approved in December 2016, amended in June with a risk-based item.
    plan = plan_create(actor=None, agency=ttt, year=2017, at=_at(dt.date(2016, 12, 5)))
    items = [
        ("Thanh tra việc giải quyết thủ tục hành chính lĩnh vực vận tải", agencies.get("P22-SGTVT"), 7, None,
         "periodic"),
        ("Thanh tra công tác cải cách hành chính, thực hiện cơ chế một cửa", city, None, 3, "periodic"),
        ("Thanh tra trách nhiệm tiếp công dân, giải quyết khiếu nại, tố cáo", others[0] if others else city, 9, None,
         "complaint"),
        ("Kiểm tra việc thực hiện kết luận thanh tra năm 2016", snv, None, 4, "periodic"),
    ]
    made = []
    for topic, target, month, quarter, reason in items:
        if target is None:
            continue
        made.append(plan_item_add(actor=None, plan_id=plan.pk, topic=topic, target=target, month=month,
                                  quarter=quarter, reason=reason, at=_at(dt.date(2016, 12, 12))))
    plan_approve(actor=None, plan_id=plan.pk, approved_on=dt.date(2016, 12, 28), decision_number="158/QĐ-TTT",
                 at=_at(dt.date(2016, 12, 28), 15))
    plan_amend(actor=None, plan_id=plan.pk, reason="Bổ sung đơn vị có nhiều phản ánh của người dân (đề nghị của "
               "Sở Nội vụ); lùi thanh tra tiếp công dân sang năm 2018", at=_at(dt.date(2017, 6, 12)))
    plan_item_add(actor=None, plan_id=plan.pk, topic="Kiểm tra việc giải quyết hồ sơ trễ hạn, xin lỗi người dân",
                  target=ward, quarter=3, reason="risk",
                  basis="Tỷ lệ hồ sơ trễ hạn tăng; nhiều phản ánh, kiến nghị của người dân trong 6 tháng đầu năm",
                  at=_at(dt.date(2017, 6, 12), 10))
    if len(made) > 2:
        plan_item_withdraw(actor=None, item_id=made[2].pk, reason="Chuyển sang kế hoạch năm 2018",
                           at=_at(dt.date(2017, 6, 12), 11))
    plan_approve(actor=None, plan_id=plan.pk, approved_on=dt.date(2017, 6, 20), decision_number="96/QĐ-TTT",
                 at=_at(dt.date(2017, 6, 20), 15))
    team = (cast.by_role[(ttt.pk, "inspector")] + cast.by_role[(ttt.pk, "specialist")])[:3]
    if made:
        plan_item_open(actor=None, item_id=made[0].pk, decision_number="71/QĐ-TTT", decision_date=dt.date(2017, 7, 3),
                       started_on=dt.date(2017, 7, 10), decision_signer="Chánh Thanh tra tỉnh",
                       head=team[0] if team else None, members=team[1:], at=_at(dt.date(2017, 7, 3)))

    # The Department of Home Affairs' civil-service checks of Hồng Gai's one-stop desk.
    checkers = (cast.by_role[(snv.pk, "inspector")] + cast.by_role[(snv.pk, "specialist")]
                + cast.by_role[(snv.pk, "hr_officer")])[:3]
    head = checkers[0] if checkers else None
    clerks = cast.by_role.get((agencies["W06691-MC"].pk, "desk_clerk"), []) if "W06691-MC" in agencies else []
    leader = Staff.objects.filter(user__username="lanhdao.honggai").first()
    done = inspection_open(actor=None, organizer=snv, target=ward, kind="civil_service", reason="complaint",
                           topic="Kiểm tra công vụ đột xuất tại Bộ phận Một cửa phường Hồng Gai",
                           decision_number="412/QĐ-SNV", decision_date=dt.date(2017, 7, 3),
                           decision_signer="Giám đốc Sở Nội vụ", started_on=dt.date(2017, 7, 4),
                           scope="Giờ làm việc, trang phục, niêm yết thủ tục, sổ theo dõi, biên lai, chỉ đạo",
                           head=head, members=checkers[1:], at=_at(dt.date(2017, 7, 3)))
    record_add(actor=None, inspection_id=done.pk, kind="announcement", on=dt.date(2017, 7, 4),
               text="Công bố quyết định kiểm tra tại trụ sở UBND phường lúc 7h45", at=_at(dt.date(2017, 7, 4), 8))
    record_add(actor=None, inspection_id=done.pk, kind="minutes", on=dt.date(2017, 7, 4),
               text="Biên bản kiểm tra công vụ tại Bộ phận Một cửa", file_name="bien-ban-kiem-tra.pdf",
               file_content=PDF, at=_at(dt.date(2017, 7, 4), 11))
    marks = [("working_hours", "pass", ""), ("uniform_badge", "fail", "Một công chức không đeo thẻ khi tiếp dân"),
             ("disclosure", "fail", "Bảng niêm yết còn 6 thủ tục đã bãi bỏ"), ("registers", "pass", ""),
             ("fee_receipts", "pass", ""), ("directives", "na", "Chưa có văn bản chỉ đạo mới trong kỳ")]
    for item, result, note in marks:
        check_mark(actor=None, inspection_id=done.pk, item=item, result=result, note=note,
                   cadre=clerks[0] if item == "uniform_badge" and clerks else None,
                   photo_name=f"{item}.png" if result == "fail" else "", photo_content=_png() if result == "fail" else b"",
                   at=_at(dt.date(2017, 7, 4), 10))
    inspection_draft_received(actor=None, inspection_id=done.pk, received_on=dt.date(2017, 7, 10),
                              at=_at(dt.date(2017, 7, 10)))
    record_add(actor=None, inspection_id=done.pk, kind="appraisal", on=dt.date(2017, 7, 12),
               text="Thống nhất dự thảo; đề nghị nêu rõ thời hạn khắc phục", at=_at(dt.date(2017, 7, 12)))
    inspection_conclude(actor=None, inspection_id=done.pk, ended_on=dt.date(2017, 7, 14),
                        conclusion="Bộ phận Một cửa chấp hành cơ bản tốt giờ làm việc và sổ theo dõi; một công chức "
                                   "không đeo thẻ; niêm yết chưa cập nhật 6 thủ tục đã bãi bỏ.",
                        findings=[{"text": "Một công chức không đeo thẻ khi tiếp dân", "is_violation": True,
                                   "cadre": clerks[0] if clerks else None}],
                        at=_at(dt.date(2017, 7, 14), 16))
    for text, due in [("Cập nhật bảng niêm yết, gỡ 6 thủ tục đã bãi bỏ", dt.date(2017, 8, 15)),
                      ("Chấn chỉnh việc đeo thẻ công chức; báo cáo kết quả về Sở Nội vụ", dt.date(2017, 9, 29))]:
        recommendation_add(actor=None, inspection_id=done.pk, text=text, owner=ward, owner_person=leader,
                           due_on=due, at=_at(dt.date(2017, 7, 14), 17))
    inspection_publish(actor=None, inspection_id=done.pk, published_on=dt.date(2017, 7, 17),
                       summary="Bộ phận Một cửa phường Hồng Gai chấp hành cơ bản tốt kỷ luật, kỷ cương hành chính; "
                               "còn để niêm yết 6 thủ tục đã bãi bỏ và một trường hợp không đeo thẻ công chức.",
                       at=_at(dt.date(2017, 7, 17)))
    if others:  # one under way: its checklist half done, for the inspector to finish on a phone
        ongoing = inspection_open(actor=None, organizer=snv, target=others[0], kind="civil_service",
                                  topic=f"Kiểm tra công vụ tại Bộ phận Một cửa {others[0].name}",
                                  decision_number="437/QĐ-SNV", decision_date=dt.date(2017, 7, 25),
                                  decision_signer="Giám đốc Sở Nội vụ", started_on=dt.date(2017, 7, 27),
                                  head=head, members=checkers[1:], at=_at(dt.date(2017, 7, 25)))
        for item, result in [("working_hours", "pass"), ("uniform_badge", "pass")]:
            check_mark(actor=None, inspection_id=ongoing.pk, item=item, result=result, at=_at(dt.date(2017, 7, 27)))
    # Relations declared by a department's cadres (docs/inspections.md §20): one in force, with a ward's
    # leader, that keeps its cadre off a team inspecting that ward; one interest tie with a ward, since ended.
    depts = sorted((a for a in agencies.values() if a.kind == "department" and a.pk not in (ttt.pk, snv.pk)),
                   key=lambda a: a.code)
    spare = next((cast.by_role[(a.pk, "specialist")] for a in depts
                  if len(cast.by_role.get((a.pk, "specialist"), [])) >= 2), [])
    leaders = cast.by_role.get((others[1].pk, "unit_leader"), []) if len(others) > 1 else []
    if len(spare) >= 2 and leaders:
        relation_declare(actor=None, staff=spare[0], relative=leaders[0], kind="sibling",
                         declared_on=dt.date(2017, 1, 9), note="Bản kê khai quan hệ gia đình năm 2017",
                         at=_at(dt.date(2017, 1, 9)))
        tie = relation_declare(actor=None, staff=spare[1], agency=others[1], kind="interest",
                               declared_on=dt.date(2017, 1, 9), note="Vợ cho thuê mặt bằng làm điểm tiếp nhận hồ sơ",
                               at=_at(dt.date(2017, 1, 9), 10))
        relation_end(actor=None, relation_id=tie.pk, ended_on=dt.date(2017, 6, 30),
                     reason="Hợp đồng thuê mặt bằng đã thanh lý", at=_at(dt.date(2017, 7, 3)))
