"""Walk every URL with out-of-range values: bad input gets a clear answer, never a 5xx.

For each page of the site (enumerated from the URL resolver, the admin and the JSON API aside — the API is
fuzzed by schemathesis, tests/test_api_schemathesis.py), as an anonymous visitor, a citizen (an anonymous
visitor whose session looked a dossier up), a desk clerk and a province leader:
- every path parameter is replaced, one at a time, by 0, numbers past int4 and int8 and a 31-digit number;
- every query parameter the page reads (found by recording which keys the view asked its QueryDict for)
  is sent, one at a time, with huge and negative numbers, impossible and out-of-range dates, garbage and a
  NUL character.
The answer must be below 500. Runs on SQLite and on PostgreSQL (the CI's second run), where an int8
overflow or a NUL in a string raises in the database rather than in Python.
"""

from __future__ import annotations

import datetime as dt
import re
from contextlib import contextmanager

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from phucvu.catalog.services import StepSpec, field_ensure, procedure_create
from phucvu.core.localtime import LOCAL_TZ
from phucvu.dossiers.services import dossier_receive

# What a path parameter of each converter becomes: a value of the database's range edges and past them.
PATH_VALUES = {
    "int": ["0", "2147483647", "2147483648", "9223372036854775807", "9223372036854775808", "1" + "0" * 30],
    "str": ["x", "%00", "9" * 300],
    "slug": ["x", "-", "9" * 300],
    "path": ["x"],
}
# What a query parameter becomes, whatever it reads (a number, a date, a year, a month, a word).
QUERY_VALUES = [
    "-1", "0", "9223372036854775808", "1" + "0" * 30, "1.5",
    "9999-12-31", "0001-01-01", "2026-02-30", "2026-13", "99999",
    "x'\"<>", "\x00",
]
# The citizen's look-up form reads code and secret; these keys are read by every page and say nothing.
IGNORED_KEYS = {"csrfmiddlewaretoken"}


def routes(patterns=None, prefix="", namespace=""):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}:{p.namespace}".strip(":") if p.namespace else namespace
            yield from routes(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), f"{namespace}:{p.name}".strip(":")


PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
ROUTES = sorted({(name, route) for route, name in routes()
                 if not route.startswith(("admin/", "api/", "static/", "^"))})


def fill(route: str, values: dict[str, str]) -> str:
    return "/" + PARAM.sub(lambda m: values.get(m.group(2), "1"), route)


@contextmanager
def recording_keys():
    """Record every key a view asks a QueryDict for (get, [], getlist, in)."""
    seen: set[str] = set()
    originals = {name: getattr(QueryDict, name) for name in ("get", "__getitem__", "getlist", "__contains__")}

    def wrap(name):
        original = originals[name]

        def recorded(self, key, *args, **kwargs):
            if isinstance(key, str):
                seen.add(key)
            return original(self, key, *args, **kwargs)

        return recorded

    for name in originals:
        setattr(QueryDict, name, wrap(name))
    try:
        yield seen
    finally:
        for name, original in originals.items():
            setattr(QueryDict, name, original)


@pytest.fixture
def world(province, make_staff):
    field = field_ensure(name="Hộ tịch", code="HT")
    procedure = procedure_create(
        code="1.001193", name="Đăng ký khai sinh", field=field, levels=["commune"], amount=3,
        time_unit="working_days", papers=["Tờ khai đăng ký khai sinh"], online_level="full",
        steps=[StepSpec("Tiếp nhận", 20, role="desk_clerk"), StepSpec("Giải quyết", 80, role="specialist")])
    clerk = make_staff(province["commune_desk"], "desk_clerk")
    leader = make_staff(province["province"], "unit_leader")
    dossier = dossier_receive(actor=clerk, agency_id=province["commune_desk"].pk, procedure_id=procedure.pk,
                              applicant_name="Nguyễn Văn Ánh", applicant_id_number="022090001234",
                              papers=["Tờ khai đăng ký khai sinh"],
                              at=dt.datetime(2026, 3, 9, 9, 0, tzinfo=LOCAL_TZ))
    # Real ids for each path parameter, so that changing one parameter reaches the code behind the others.
    real = {"pk": str(dossier.pk), "dossier_id": str(dossier.pk), "procedure_id": str(procedure.pk),
            "agency_id": str(province["province"].pk), "staff_id": str(clerk.pk), "index": "0",
            "action": "forward", "kind": "receipt"}
    return {"procedure": procedure, "dossier": dossier, "clerk": clerk, "leader": leader, "real": real}


def visitors(world) -> dict[str, Client]:
    anonymous = Client()
    citizen = Client()
    d = world["dossier"]
    assert citizen.get("/portal/lookup/", {"code": d.code, "secret": d.secret}).status_code == 200
    clerk, leader = Client(), Client()
    clerk.force_login(world["clerk"].user)
    leader.force_login(world["leader"].user)
    return {"anonymous": anonymous, "citizen": citizen, "clerk": clerk, "leader": leader}


def walk(client: Client, world) -> list[str]:
    """Every URL with every bad value; the requests that answered 5xx."""
    failures = []

    def get(url, data=None):
        try:
            response = client.get(url, data or {})
        except Exception as exc:  # the test client re-raises what the view raised: that is a 500
            failures.append(f"{url} {data or ''} raised {type(exc).__name__}: {exc}"[:300])
            return None
        if response.status_code >= 500:
            failures.append(f"{url} {data or ''} answered {response.status_code}")
        return response

    for _name, route in ROUTES:
        params = PARAM.findall(route)
        base = fill(route, world["real"])
        with recording_keys() as keys:
            get(base)
        for converter, param in params:
            for value in PATH_VALUES.get(converter or "str", ["x"]):
                get(fill(route, {**world["real"], param: value}))
        for key in sorted(keys - IGNORED_KEYS):
            for value in QUERY_VALUES:
                get(base, {key: value})
    return failures


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "citizen", "clerk", "leader"])
def test_no_url_answers_5xx_to_out_of_range_input(world, who):
    client = visitors(world)[who]
    failures = walk(client, world)
    assert not failures, f"{len(failures)} answers of 5xx:\n" + "\n".join(failures)


def test_the_walk_covers_the_site():
    names = {name for name, _ in ROUTES}
    assert {"dossiers:detail", "reports:form06", "portal:lookup", "workcalendar:year",
            "inspections:detail", "discipline:ranking"} <= names
    assert len(ROUTES) > 60
