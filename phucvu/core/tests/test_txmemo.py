"""The per-transaction memo: remembered inside one transaction, never across two, never outside one."""

from __future__ import annotations

import pytest
from django.db import transaction

from phucvu.core import txmemo


def counter():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    return compute, calls


@pytest.mark.django_db(transaction=True)
def test_a_value_is_computed_once_per_transaction_and_again_in_the_next():
    compute, calls = counter()
    with transaction.atomic():
        assert txmemo.remembered("k", compute) == 1
        with transaction.atomic():  # a savepoint is the same transaction
            assert txmemo.remembered("k", compute) == 1
    with transaction.atomic():
        assert txmemo.remembered("k", compute) == 2
    assert len(calls) == 2


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_nothing_is_remembered():
    compute, calls = counter()
    txmemo.remembered("k", compute)
    txmemo.remembered("k", compute)
    assert len(calls) == 2


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_leaves_nothing_remembered():
    compute, calls = counter()
    with pytest.raises(RuntimeError), transaction.atomic():
        txmemo.remembered("k", compute)
        raise RuntimeError
    with transaction.atomic():
        txmemo.remembered("k", compute)
    assert len(calls) == 2


@pytest.mark.django_db
def test_forget_drops_a_key():
    compute, calls = counter()
    txmemo.remembered("k", compute)
    txmemo.forget("k")
    txmemo.remembered("k", compute)
    assert len(calls) == 2
