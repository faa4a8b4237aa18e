"""Build a demo profile once per test module, inside a transaction rolled back afterwards."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction

from phucvu.demo import builder


@contextmanager
def built(django_db_blocker, *, profile: str, scale: float, seed: int, **options) -> Iterator[dict]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield builder.build(profile=profile, scale=scale, seed=seed, out=io.StringIO(), quiet=True, **options)
        transaction.set_rollback(True)
