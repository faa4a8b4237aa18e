"""The declared relations' pages, and the person inspected on the decision's form (docs/inspections.md §20)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.urls import reverse

from phucvu.core.pagination import PAGE_SIZE
from phucvu.inspections import models as inspection_models
from phucvu.inspections.models import PLAN_EVENT_LABELS, Inspection, RelationAccess, StaffRelation
from phucvu.inspections.services import inspection_open, relation_declare

URL = "/inspections/relations/"


def _table(response) -> str:
    """The list's table, without the form's choices."""
    return response.content.decode().split('id="relations"', 1)[1]


def _declare(world, **kw):
    return relation_declare(actor=world["hr"], staff=world["member"], relative=world["chair"], kind="sibling",
                            declared_on=dt.date(2026, 1, 10), **kw)


def test_only_who_may_record_relations_opens_the_page(client, world):
    client.force_login(world["clerk"].user)
    assert client.get(URL).status_code == 403
    client.force_login(world["inspector"].user)
    page = client.get(URL)
    assert page.status_code == 200
    assert "Quan hệ gia đình, quan hệ lợi ích đã kê khai" in page.content.decode()


def test_an_inspector_records_a_relation_from_the_page(client, world):
    client.force_login(world["inspector"].user)
    response = client.post(URL, {"staff": world["member"].pk, "relative": world["chair"].pk, "kind": "spouse",
                                 "declared_on": "2026-01-10", "note": "Bản kê khai ngày 10/01/2026"})
    relation = StaffRelation.objects.get()
    assert response.status_code == 302 and response["Location"] == relation.get_absolute_url()
    assert relation.recorded_by == world["inspector"] and relation.note == "Bản kê khai ngày 10/01/2026"
    assert [e.kind for e in relation.events.all()] == ["declared"]
    detail = client.get(relation.get_absolute_url()).content.decode()
    assert "Lê Văn Chủ Tịch" in detail and "Vợ, chồng" in detail


@pytest.mark.parametrize("data", [
    {"staff": "", "relative": "", "kind": "spouse", "declared_on": "2026-01-10"},
    {"staff": "MEMBER", "relative": "CHAIR", "kind": "", "declared_on": "2026-01-10"},
    {"staff": "MEMBER", "relative": "CHAIR", "kind": "spouse", "declared_on": "10/01/20266"},
    {"staff": "MEMBER", "relative": "CHAIR", "kind": "spouse", "declared_on": "1800-01-01"},
    {"staff": "99999999999999999999", "relative": "CHAIR", "kind": "spouse", "declared_on": "2026-01-10"},
    {"staff": "MEMBER", "relative": "-3", "kind": "spouse", "declared_on": "2026-01-10"},
    {"staff": "MEMBER", "agency": "COMMUNE", "kind": "spouse", "declared_on": "2026-01-10"},
    {"staff": "MEMBER", "kind": "interest", "declared_on": "2026-01-10"},
])
def test_bad_input_is_refused_beside_the_form_and_writes_nothing(client, world, data):
    ids = {"MEMBER": world["member"].pk, "CHAIR": world["chair"].pk, "COMMUNE": world["province"]["commune"].pk}
    client.force_login(world["hr"].user)
    response = client.post(URL, {k: str(ids.get(v, v)) for k, v in data.items()})
    assert response.status_code in (400, 422)
    assert not StaffRelation.objects.exists()


def test_a_cadre_outside_the_recorders_reach_is_refused(client, world, make_staff):
    district_hr = make_staff(world["province"]["district"], "hr_officer")
    client.force_login(district_hr.user)
    response = client.post(URL, {"staff": world["inspector"].pk, "relative": world["member"].pk, "kind": "spouse",
                                 "declared_on": "2026-01-10"})
    assert response.status_code == 422
    assert not StaffRelation.objects.exists()


def test_the_list_is_searched_paginated_exported_and_every_reading_logged(client, world, make_staff):
    _declare(world)
    others = [make_staff(world["province"]["commune2"], "specialist", full_name=f"Đặng Văn Khác {n}")
              for n in range(PAGE_SIZE)]
    for other in others:
        relation_declare(actor=world["hr"], staff=other, relative=world["member"], kind="interest",
                         declared_on=dt.date(2026, 1, 5))
    client.force_login(world["hr"].user)
    first = client.get(URL)
    assert first.status_code == 200
    assert RelationAccess.objects.filter(action="view").count() == PAGE_SIZE  # the rows shown, one each
    assert "Trang 1/2" in first.content.decode()
    found = _table(client.get(URL, {"q": "le van chu"}))
    assert "Lê Văn Chủ Tịch" in found and "Đặng Văn Khác" not in found
    assert client.get(URL, {"page": "2"}).status_code == 200
    for bad in ({"page": "x"}, {"kind": "uncle"}, {"state": "deleted"}, {"q": "a" * 5000}):
        assert client.get(URL, bad).status_code in (200, 400), bad
    RelationAccess.objects.all().delete()
    export = client.get(URL, {"format": "csv", "q": "chu tich"})
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    text = export.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Cán bộ kê khai,")
    assert "Trần Văn Thành Viên" in text and "Anh, chị, em ruột" in text and "Khác" not in text
    assert list(RelationAccess.objects.values_list("action", flat=True)) == ["export"]


def test_a_relation_is_ended_from_its_page_and_kept(client, world):
    relation = _declare(world)
    client.force_login(world["hr"].user)
    refused = client.post(relation.get_absolute_url(), {"ended_on": "2026-02-01", "reason": "",
                                                        "version": relation.version})
    assert refused.status_code == 422
    done = client.post(relation.get_absolute_url(), {"ended_on": "2026-02-01", "reason": "Đã chuyển công tác",
                                                     "version": relation.version})
    assert done.status_code == 302
    relation.refresh_from_db()
    assert relation.ended_on == dt.date(2026, 2, 1)
    page = client.get(relation.get_absolute_url()).content.decode()
    assert "Chấm dứt 01/02/2026" in page and "Đã chuyển công tác" in page
    assert 'id="end-form"' not in page
    ended = _table(client.get(URL, {"state": "ended"}))
    active = _table(client.get(URL, {"state": "active"}))
    assert "Trần Văn Thành Viên" in ended and "Trần Văn Thành Viên" not in active
    client.force_login(world["clerk"].user)
    assert client.get(relation.get_absolute_url()).status_code == 404


def test_the_team_forms_refusal_links_to_the_relations(client, world):
    _declare(world)
    p = world["province"]
    i = inspection_open(actor=world["inspector"], organizer=p["dept"], target=p["commune"], topic="Kiểm tra",
                        kind="scheduled", decision_number="7/QĐ", decision_date=dt.date(2026, 3, 2),
                        started_on=dt.date(2026, 3, 3), head=world["inspector"])
    client.force_login(world["inspector"].user)
    page = client.post(reverse("inspections:act", args=[i.pk, "team"]),
                       {"head": world["inspector"].pk, "members": [world["member"].pk]}, follow=True).content.decode()
    assert "Anh, chị, em ruột" in page
    assert re.search(r'<a href="/inspections/relations/" id="relations-link">', page)
    assert 'id="relations-button"' in client.get("/inspections/").content.decode()


def _decision(world, **extra):
    p = world["province"]
    return {"organizer": p["dept"].pk, "target": p["commune"].pk, "topic": "Kiểm tra việc tiếp nhận hồ sơ",
            "kind": "surprise", "reason": "complaint", "decision_number": "12/QĐ-SNV", "decision_date": "2026-03-02",
            "started_on": "2026-03-03", "head": world["inspector"].pk, **extra}


def test_the_person_inspected_is_chosen_on_the_decisions_form_and_shown(client, world):
    client.force_login(world["inspector"].user)
    form = client.get(reverse("inspections:new")).content.decode()
    assert 'id="n-person"' in form
    outside = client.post(reverse("inspections:new"), _decision(world, person=world["member"].pk))
    assert outside.status_code == 422
    assert "không thuộc đơn vị được kiểm tra" in outside.content.decode()
    assert not Inspection.objects.exists()
    done = client.post(reverse("inspections:new"), _decision(world, person=world["clerk"].pk))
    inspection = Inspection.objects.get()
    assert done.status_code == 302 and inspection.person == world["clerk"]
    page = client.get(reverse("inspections:detail", args=[inspection.pk])).content.decode()
    assert re.search(r'id="person">Ngô Thị Một Cửa', page)


def test_the_person_inspected_brings_their_relations_into_the_team_check(client, world):
    relation_declare(actor=world["hr"], staff=world["clerk"], relative=world["member"], kind="interest",
                     declared_on=dt.date(2026, 1, 10))
    client.force_login(world["inspector"].user)
    refused = client.post(reverse("inspections:new"),
                          _decision(world, person=world["clerk"].pk, members=[world["member"].pk]))
    assert refused.status_code == 422
    assert "người được kiểm tra" in refused.content.decode()
    assert not Inspection.objects.exists()


def test_every_plan_event_label_is_an_event_the_services_write():
    """A label without an event is dead text to translate (and was copied from the inspection's labels)."""
    source = Path(inspection_models.__file__).with_name("services.py").read_text(encoding="utf-8")
    written = set(re.findall(r'_plan_event\(\w+, "(\w+)"', source))
    assert written == set(PLAN_EVENT_LABELS)
