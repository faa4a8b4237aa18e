"""The one table of who may act, walked whole: every action × every role × in and out of scope.

The expectations are written out here, not read from the table: a change to the table that nobody meant
shows up as a failing line. A refused action answers `NotAllowed` (HTTP 403) with a Vietnamese reason and
leaves nothing behind — the dossier row, its steps, its events, the code counters and the rollups are as
they were.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.apps import apps
from django.db import transaction

from phucvu.core.exceptions import NotAllowed
from phucvu.dossiers import authority
from phucvu.dossiers import services as s
from phucvu.dossiers.forms import ACTIONS_BY_NAME
from phucvu.dossiers.management.commands.authority_table import BEGIN, END
from phucvu.dossiers.models import Dossier, DossierCounter, DossierEvent, DossierStep
from phucvu.dossiers.tests.results import result_record
from phucvu.organization.models import Role
from phucvu.organization.services import agency_succeed

from .conftest import local
from .test_views_detail import offered, page

pytestmark = pytest.mark.django_db

MONDAY = local(2026, 3, 9, 9, 0)
AT = MONDAY + dt.timedelta(hours=2)
ROLES = [Role.DESK_CLERK, Role.SPECIALIST, Role.UNIT_LEADER, Role.INSPECTOR, Role.HR_OFFICER, Role.SYSTEM_ADMIN]
C, S, L, A = Role.DESK_CLERK, Role.SPECIALIST, Role.UNIT_LEADER, Role.SYSTEM_ADMIN

# (action, where the dossier is) -> the roles that may take it: of the ward that received it and holds it
# ("own"), of the city above it ("above": they see the ward, it is not theirs), of another district ("other").
EXPECTED: dict[tuple[str, str], dict[str, set[str]]] = {
    ("receive", "-"): {"own": {C}},
    ("submit_online", "-"): {"own": {C}},
    ("accept", "submitted"): {"own": {C}},
    ("refuse", "submitted"): {"own": {C}},
    ("withdraw", "submitted"): {"own": {C}},
    ("forward", "reception"): {"own": {C, L}},
    ("assign", "reception"): {"own": {L}},
    ("forward", "office"): {"own": {S, L}},
    ("assign", "office"): {"own": {L}},
    ("request_supplement", "office"): {"own": {C, S}},
    ("request_payment", "office"): {"own": {C, S}},
    ("apologize", "office"): {"own": {C, L}},
    ("stop", "office"): {"own": {L}},
    # A system administrator is a superuser: the whole province is in scope.
    ("transfer", "office"): {"own": {L, A}, "above": {A}, "other": {A}},
    ("withdraw", "office"): {"own": {C}},
    ("resume", "paused"): {"own": {C, S}},
    ("approve", "signing"): {"own": {L}},
    ("resolve", "approved"): {"own": {L}},
    ("return_result", "resolved"): {"own": {C}},
}


@pytest.fixture
def world(province, procedure, make_staff):
    """Every role at the ward (its clerks at its desk), at the city above it, and at a ward of another city."""
    def cast(agency, desk=None):
        return {role: make_staff(desk if role == C and desk is not None else agency, role) for role in ROLES}

    people = {"own": cast(province["commune"], province["commune_desk"]), "above": cast(province["district"]),
              "other": cast(province["commune3"])}
    # Where the ward's open dossiers can be transferred (a merge recorded for later).
    agency_succeed(predecessors=[province["commune"]], successor=province["commune2"], effective=dt.date(2026, 6, 1))
    return people


def _receive(province, procedure) -> Dossier:
    return s.dossier_receive(actor=None, agency_id=province["commune_desk"].pk, procedure_id=procedure.pk,
                             applicant_name="Nguyễn Văn Ánh", at=MONDAY)


def dossier_at(where: str, province, procedure) -> Dossier | None:
    """A dossier at that point of its life, taken there by the system (actor None)."""
    if where == "-":
        return None
    if where == "submitted":
        return s.dossier_submit_online(agency_id=province["commune_desk"].pk, procedure_id=procedure.pk,
                                       applicant_name="Đỗ Thị Mai", at=MONDAY)
    d = _receive(province, procedure)
    if where == "reception":
        return d

    def go(service, **kw):
        nonlocal d
        d = service(actor=None, dossier_id=d.pk, version=d.version, at=MONDAY + dt.timedelta(minutes=30), **kw)

    go(s.dossier_forward)
    if where == "paused":
        go(s.dossier_request_supplement, missing=["Bản vẽ"])
    if where in ("signing", "approved", "resolved"):
        go(s.dossier_forward)
    if where in ("approved", "resolved"):
        go(s.dossier_approve)
    if where == "resolved":
        go(s.dossier_resolve, result="granted", **result_record())
    return d


def call(action: str, actor, d: Dossier | None, province, procedure, world):
    if d is None:
        service = s.dossier_receive if action == "receive" else s.dossier_submit_online
        return service(actor=actor, agency_id=province["commune_desk"].pk, procedure_id=procedure.pk,
                       applicant_name="Lê Văn Bình", at=AT)
    fresh = Dossier.objects.get(pk=d.pk)
    base = {"actor": actor, "dossier_id": d.pk, "version": fresh.version, "at": AT}
    args = {
        "accept": {}, "approve": {}, "return_result": {}, "forward": {},
        "refuse": {"reason": "Sai thủ tục"}, "withdraw": {"reason": "Xin rút"}, "stop": {"reason": "Có tranh chấp"},
        "assign": {"assignee_id": world["own"][S].pk},
        "request_supplement": {"missing": ["Bản vẽ mặt bằng"]}, "request_payment": {"amount": 75_000},
        "resume": {"papers": ["Bản vẽ"]}, "resolve": {"result": "granted", **result_record()},
        "apologize": {"new_due_at": fresh.due_at + dt.timedelta(days=3) if fresh.due_at else None,
                      "reason": "Cần xác minh"},
        "transfer": {"to_agency_id": province["commune2"].pk},
    }[action]
    service = getattr(s, f"dossier_{action}")
    return service(**base, **args)


def snapshot() -> tuple:
    """Everything a transition writes (the rollups through the facts it publishes)."""
    rollups = apps.get_model("reports", "DayRollup").objects  # dossiers do not import reports
    return (list(Dossier.objects.order_by("pk").values()), list(DossierStep.objects.order_by("pk").values()),
            DossierEvent.objects.count(), list(DossierCounter.objects.order_by("pk").values()),
            list(rollups.order_by("pk").values()))


def test_the_whole_table_every_action_every_role_in_and_out_of_scope(world, province, procedure):
    assert {a for a, _ in EXPECTED} == {r.action for r in authority.RULES}, "a rule without its expectation"
    wrong = []
    for (action, where), allowed in EXPECTED.items():
        d = dossier_at(where, province, procedure)
        for scope, people in world.items():
            for role, actor in people.items():
                may = role in allowed.get(scope, set())
                before = snapshot()
                try:
                    with transaction.atomic():
                        call(action, actor, d, province, procedure, world)
                        transaction.set_rollback(True)  # allowed: undo, the next one starts from the same state
                    if not may:
                        wrong.append(f"{action}@{where}: {scope} {role} was let through")
                except NotAllowed as exc:
                    if may:
                        wrong.append(f"{action}@{where}: {scope} {role} refused: {exc.message}")
                    assert exc.message and exc.http_status == 403
                    assert snapshot() == before, f"{action} refused to {scope} {role} left something behind"
                # The page's and the API's list of actions reads the same table.
                if d is not None:
                    fresh = Dossier.objects.select_related("agency", "current_step__agency").get(pk=d.pk)
                    if (action in authority.permitted(actor, fresh)) != may:
                        wrong.append(f"{action}@{where}: {scope} {role}: the list of actions disagrees")
    assert wrong == []


def test_a_refusal_says_why_in_vietnamese(world, province, procedure):
    d = dossier_at("office", province, procedure)
    with pytest.raises(NotAllowed) as clerk:
        call("stop", world["own"][C], d, province, procedure, world)
    assert "dừng xử lý" in clerk.value.message and "lãnh đạo" in clerk.value.message
    d = dossier_at("signing", province, procedure)
    with pytest.raises(NotAllowed) as governor:  # the city's leader sees the ward; its signature is not his
        call("approve", world["above"][L], d, province, procedure, world)
    assert province["commune"].name in governor.value.message


def test_the_page_and_the_api_offer_exactly_what_the_table_permits(client, world, province, procedure):
    """The dossier page draws a button only for an action `authority.permitted` gives (plus the state rules)."""
    d = dossier_at("signing", province, procedure)
    for scope, people in world.items():
        for role, actor in people.items():
            buttons = offered(page(client, actor, d))
            assert buttons <= set(authority.permitted(actor, Dossier.objects.get(pk=d.pk))), (scope, role)
    assert "approve" in offered(page(client, world["own"][L], d))
    assert "approve" not in offered(page(client, world["above"][L], d))


def test_every_action_of_the_table_has_its_form_and_its_api_route():
    assert set(authority.DOSSIER_ACTIONS) == set(ACTIONS_BY_NAME)


def test_docs_desk_md_shows_the_table_as_declared():
    """docs/desk.md's authority table is generated from RULES: `phucvu authority_table --write docs/desk.md`."""
    text = (Path(__file__).resolve().parents[3] / "docs" / "desk.md").read_text(encoding="utf-8")
    assert BEGIN in text and END in text
    shown = text.split(BEGIN, 1)[1].split(END, 1)[0].strip("\n") + "\n"
    assert shown == authority.authority_markdown(), (
        "docs/desk.md lệch với bảng thẩm quyền trong code: chạy `phucvu authority_table --write docs/desk.md`.")
