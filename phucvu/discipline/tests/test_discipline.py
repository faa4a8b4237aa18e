from __future__ import annotations

import datetime as dt

import pytest

from phucvu.core.exceptions import InvalidInput, NotAllowed
from phucvu.discipline.selectors import violation_list
from phucvu.discipline.services import commitment_sign, sanction_decide, violation_record


def test_a_public_employee_cannot_be_demoted_in_salary(province, make_staff):
    employee = make_staff(province["center"], "desk_clerk", category="VC")
    with pytest.raises(NotAllowed):
        sanction_decide(actor=None, staff=employee, kind="salary_down", decision_number="1/QĐ",
                        decided_on=dt.date(2017, 5, 1))
    assert sanction_decide(actor=None, staff=employee, kind="reprimand", decision_number="1/QĐ",
                           decided_on=dt.date(2017, 5, 1)).kind == "reprimand"


def test_a_commitment_is_signed_once_a_year(province, make_staff):
    clerk = make_staff(province["commune_desk"])
    commitment_sign(actor=None, staff=clerk, year=2017, text_version="v1", signed_on=dt.date(2017, 1, 5))
    with pytest.raises(InvalidInput):
        commitment_sign(actor=None, staff=clerk, year=2017, text_version="v1", signed_on=dt.date(2017, 1, 6))


def test_violations_are_listed_only_to_those_who_see_the_cadre(province, make_staff):
    clerk = make_staff(province["commune_desk"], full_name="Nguyễn Thị Ánh")
    violation_record(actor=None, staff=clerk, kind="working_hours", occurred_on=dt.date(2017, 2, 1),
                     description="Đến muộn 40 phút")
    assert violation_list(user=make_staff(province["district"], "unit_leader").user, query="nguyen thi anh").count() == 1
    assert violation_list(user=make_staff(province["district2"], "unit_leader").user).count() == 0
