from __future__ import annotations

import datetime as dt

import pytest

from phucvu.core.exceptions import NotAllowed
from phucvu.discipline.services.cases import sanction_decide


def test_a_public_employee_cannot_be_demoted_in_salary(province, make_staff):
    employee = make_staff(province["center"], "desk_clerk", category="VC")
    with pytest.raises(NotAllowed):
        sanction_decide(actor=None, staff=employee, kind="salary_down", decision_number="1/QĐ",
                        decided_on=dt.date(2017, 5, 1))
    assert sanction_decide(actor=None, staff=employee, kind="reprimand", decision_number="1/QĐ",
                           decided_on=dt.date(2017, 5, 1)).kind == "reprimand"


def test_a_civil_servant_is_not_demoted_in_salary_from_july_2025(province, make_staff):
    servant = make_staff(province["commune"], "specialist", category="CC")
    assert sanction_decide(actor=None, staff=servant, kind="salary_down", decision_number="2/QĐ",
                           decided_on=dt.date(2025, 6, 30)).kind == "salary_down"
    with pytest.raises(NotAllowed, match="hạ bậc lương không áp dụng cho công chức vào ngày 01/07/2025"):
        sanction_decide(actor=None, staff=servant, kind="salary_down", decision_number="3/QĐ",
                        decided_on=dt.date(2025, 7, 1))


def test_a_sanction_has_effect_for_12_months_unless_it_ends_the_service(province, make_staff):
    servant = make_staff(province["commune"], "specialist", category="CC")
    reprimand = sanction_decide(actor=None, staff=servant, kind="reprimand", decision_number="4/QĐ",
                                decided_on=dt.date(2026, 2, 27))
    assert reprimand.lapses_on == dt.date(2027, 2, 27)
    reprimand.effective_from = dt.date(2026, 2, 29 - 1)  # 28/2/2026, the month's last day
    assert reprimand.lapses_on == dt.date(2027, 2, 28)
    dismissal = sanction_decide(actor=None, staff=servant, kind="dismissal", decision_number="5/QĐ",
                                decided_on=dt.date(2026, 3, 2))
    assert dismissal.lapses_on is None
