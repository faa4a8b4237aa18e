"""The rules every bulk path shares (`dossiers.bulkrows`): the same in Python and in SQL, codes after the
counters and the codes already used, across chunks."""

from __future__ import annotations

import itertools
import random

import pytest
from django.db import connection

from phucvu.core.bulk import jsonb
from phucvu.core.text import fold
from phucvu.dossiers.bulkrows import (
    CodeNumbers,
    DossierLine,
    SearchKeys,
    event_row,
    line_event_row,
    new_secrets,
    search_key_sql,
    secret_sql,
    status_of,
    status_sql,
)
from phucvu.dossiers.chain import canonical_data
from phucvu.dossiers.codes import SECRET_ALPHABET, code_prefix
from phucvu.dossiers.models import DossierCounter, Status, dossier_search_key

from .conftest import local


def _select(expression: str):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {expression}")
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_the_sql_status_is_the_python_status_for_every_combination_of_instants():
    at = local(2017, 3, 6, 8, 0)
    for returned, resolved, withdrawn, stopped, waiting in itertools.product((None, at), repeat=5):
        expected = status_of(resolved, returned, withdrawn, stopped, waiting=bool(waiting), running=Status.PROCESSING)
        sql = status_sql(**{name: "NULL" if value is None else "'x'" for name, value in
                            (("returned", returned), ("resolved", resolved), ("withdrawn", withdrawn),
                             ("stopped", stopped))}, waiting="1 = 1" if waiting else "1 = 0")
        assert _select(sql) == expected, (returned, resolved, withdrawn, stopped, waiting)


def test_status_follows_the_latest_kind_of_end():
    at = local(2017, 3, 6, 8, 0)
    assert status_of(at, at, None, None) == Status.RETURNED
    assert status_of(at, None, None, None, waiting=True) == Status.RESOLVED
    assert status_of(None, None, None, None) == Status.RECEIVED
    assert status_of(None, None, None, None, waiting=True) == Status.AWAITING_SUPPLEMENT


@pytest.mark.django_db
def test_the_sql_secret_is_eight_letters_of_the_receipt_alphabet_from_forty_bits():
    rnd = random.Random(4)
    for bits in [0, 2 ** 40 - 1, *(rnd.randrange(2 ** 40) for _ in range(20))]:
        expected = "".join(SECRET_ALPHABET[(bits >> (5 * i)) & 31] for i in range(8))
        assert _select(secret_sql(str(bits))) == expected
    assert all(len(s) == 8 and set(s) <= set(SECRET_ALPHABET) for s in new_secrets(50))


@pytest.mark.django_db
def test_search_keys_in_python_and_sql_equal_the_models():
    keys = SearchKeys()
    for code, name, id_number in [("T22-170306-0001", "Đỗ  Thị Ánh", "022090001234"),
                                  ("X-1", "ĐẶNG VĂN ĐỨC", "abc"), ("QN-00000001", "Nguyen Van A", "")]:
        assert keys.key(code, name, id_number) == dossier_search_key(code, name, id_number)
        if id_number:
            sql = search_key_sql(f"'{code}'", f"'{fold(name)}'", f"'{id_number}'")
            assert _select(sql) == dossier_search_key(code, name, id_number)


def _line(agency_id: int, received, code: str = "") -> DossierLine:
    return DossierLine(0, code, agency_id, 0, 0, None, "counter", "A", "", received, received, received, 0, None,
                       "", None, None, None, received.date(), Status.PROCESSING)


@pytest.mark.parametrize("status", [Status.RECEIVED, Status.RETURNED.value])
@pytest.mark.parametrize("due", [None, local(2026, 3, 16, 9, 0)])
def test_an_imported_lines_event_is_event_row_with_the_line_as_data(status, due):
    r = _line(1, local(2026, 3, 9, 9, 0))._replace(line=7, status=status, due=due)
    assert line_event_row(5, 9, r) == event_row(5, 9, r, jsonb({"line": 7}), canonical_data({"line": 7}))


def test_codes_follow_the_counter_and_the_codes_already_used_across_chunks(province):
    agency = province["commune"]
    prefix = code_prefix(agency)
    DossierCounter.objects.create(agency=agency, day=local(2017, 3, 6, 0, 0).date(), last=3)
    numbers = CodeNumbers({agency.pk: prefix})
    first = numbers.assign([_line(agency.pk, local(2017, 3, 6, 10, 0)), _line(agency.pk, local(2017, 3, 6, 9, 0)),
                            _line(agency.pk, local(2017, 3, 6, 8, 0), code=f"{prefix}-170306-0007")])
    second = numbers.assign([_line(agency.pk, local(2017, 3, 6, 11, 0)), _line(agency.pk, local(2017, 3, 7, 8, 0))])
    numbers.save()
    # In order of receipt, after the counter's 3 and the file's own 7; the next chunk carries on.
    assert first == [f"{prefix}-170306-0009", f"{prefix}-170306-0008", f"{prefix}-170306-0007"]
    assert second == [f"{prefix}-170306-0010", f"{prefix}-170307-0001"]
    assert dict(DossierCounter.objects.values_list("day__day", "last")) == {6: 10, 7: 1}
