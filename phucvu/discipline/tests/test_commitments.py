from __future__ import annotations

import datetime as dt

import pytest

from phucvu.core.exceptions import InvalidInput
from phucvu.discipline.services.commitments import commitment_sign


def test_a_commitment_is_signed_once_a_year(province, make_staff):
    clerk = make_staff(province["commune_desk"])
    commitment_sign(actor=None, staff=clerk, year=2017, text_version="v1", signed_on=dt.date(2017, 1, 5))
    with pytest.raises(InvalidInput):
        commitment_sign(actor=None, staff=clerk, year=2017, text_version="v1", signed_on=dt.date(2017, 1, 6))
