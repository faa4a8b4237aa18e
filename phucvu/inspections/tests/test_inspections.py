from __future__ import annotations

import datetime as dt

import pytest

from phucvu.core.exceptions import InvalidInput, InvalidTransition
from phucvu.inspections.selectors import inspection_list
from phucvu.inspections.services import inspection_conclude, inspection_open


def _open(province, head, **kw):
    args = {"actor": None, "code": "TTr-2017-001", "organizer": province["dept"], "target": province["commune"],
            "topic": "Kiểm tra công vụ tại Bộ phận Một cửa", "kind": "surprise", "decision_number": "12/QĐ-SNV",
            "started_on": dt.date(2017, 3, 1), "head": head}
    args.update(kw)
    return inspection_open(**args)


def test_nobody_inspects_their_own_unit(province, make_staff):
    insider = make_staff(province["commune_desk"], "inspector")
    with pytest.raises(InvalidInput):
        _open(province, make_staff(province["dept"], "inspector"), members=[insider])


def test_an_inspection_is_concluded_once_with_findings_and_recommendations(province, make_staff):
    inspection = _open(province, make_staff(province["dept"], "inspector"))
    done = inspection_conclude(actor=None, inspection_id=inspection.pk, ended_on=dt.date(2017, 3, 3),
                               conclusion="Chấp hành tốt",
                               findings=[{"text": "Niêm yết chưa đủ", "is_violation": False}],
                               recommendations=[{"text": "Bổ sung niêm yết", "owner": province["commune"],
                                                 "due_on": dt.date(2017, 4, 3)}])
    assert done.status == "concluded" and done.findings.count() == 1 and done.recommendations.count() == 1
    assert [e.kind for e in done.events.all()] == ["opened", "concluded"]
    with pytest.raises(InvalidTransition):
        inspection_conclude(actor=None, inspection_id=inspection.pk, ended_on=dt.date(2017, 3, 4), conclusion="x")


def test_inspection_list_is_scoped_to_what_the_user_sees(province, make_staff):
    _open(province, make_staff(province["dept"], "inspector"))
    other_district_clerk = make_staff(province["commune3"], "specialist")
    commune_leader = make_staff(province["commune"], "unit_leader")
    assert inspection_list(user=commune_leader.user).count() == 1
    assert inspection_list(user=other_district_clerk.user).count() == 0
    assert inspection_list(user=commune_leader.user, query="cong vu").count() == 1
