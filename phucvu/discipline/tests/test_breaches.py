from __future__ import annotations

import datetime as dt

from phucvu.discipline.selectors.breaches import violation_list
from phucvu.discipline.services.breaches import violation_record


def test_violations_are_listed_only_to_those_who_see_the_cadre(province, make_staff):
    clerk = make_staff(province["commune_desk"], full_name="Nguyễn Thị Ánh")
    violation_record(actor=None, staff=clerk, kind="working_hours", occurred_on=dt.date(2017, 2, 1),
                     description="Đến muộn 40 phút")
    assert violation_list(user=make_staff(province["district"], "unit_leader").user, query="nguyen thi anh").count() == 1
    assert violation_list(user=make_staff(province["district2"], "unit_leader").user).count() == 0
