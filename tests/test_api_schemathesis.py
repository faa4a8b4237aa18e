"""schemathesis against the committed schema (docs/openapi.json): zero 5xx, zero answers outside the schema.

Every operation of the JSON API gets generated requests (valid and invalid, in a fixed order: derandomized,
a bounded number each) sent in-process to the WSGI application, as an anonymous caller and as staff with an
API token (a province leader: the widest reading scope), and each answer is checked by schemathesis's checks:
no server error, a documented status code, a documented content type and headers, a body that matches the
response schema. A failure prints the request to reproduce it with curl.
"""

from __future__ import annotations

import datetime as dt

import hypothesis
import pytest
import schemathesis
from django.conf import settings
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

from phucvu.catalog.services import StepSpec, field_ensure, procedure_create
from phucvu.core.localtime import LOCAL_TZ
from phucvu.discipline.services.emulation import campaign_create
from phucvu.discipline.services.tasks import task_assign, work_item_create
from phucvu.dossiers.services import dossier_receive
from phucvu.organization.services import api_token_issue

SCHEMA_FILE = settings.BASE_DIR / "docs" / "openapi.json"
# Examples per operation and caller: with ~50 operations, two callers and the coverage phase's boundary
# cases, about two minutes on the 2-core machine.
MAX_EXAMPLES = 15

# What is checked of every answer: no server error, and the answer is the schema's (status, content type,
# headers, body). Not checked: whether a request the schema allows is also one the rules accept (a refused
# transition is a documented 422) — that is the domain's business, tested in each app.
CHECKS = ["not_a_server_error", "status_code_conformance", "content_type_conformance",
          "response_headers_conformance", "response_schema_conformance"]

schema = schemathesis.openapi.from_path(SCHEMA_FILE)
schema.config.generation.update(max_examples=MAX_EXAMPLES, deterministic=True)
schema.config.checks.update(included_check_names=CHECKS)
schema.app = get_wsgi_application()  # requests go in-process to Django, in the test's database transaction


@pytest.fixture
def connection_kept():
    """As Django's test client does: an in-process request must not close the connection that holds the test's
    transaction (on PostgreSQL every request then answered 503, "the connection is closed")."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def callers(province, make_staff, connection_kept):
    """A small province with one dossier, a leader's token; and no token at all."""
    field = field_ensure(name="Hộ tịch", code="HT")
    procedure = procedure_create(
        code="1.001193", name="Đăng ký khai sinh", field=field, levels=["commune"], amount=3,
        time_unit="working_days", papers=["Tờ khai đăng ký khai sinh"], online_level="full",
        steps=[StepSpec("Tiếp nhận", 20, role="desk_clerk"), StepSpec("Giải quyết", 80, role="specialist")])
    clerk = make_staff(province["commune_desk"], "desk_clerk")
    leader = make_staff(province["province"], "unit_leader")
    dossier_receive(actor=clerk, agency_id=province["commune_desk"].pk, procedure_id=procedure.pk,
                    applicant_name="Nguyễn Văn Ánh", applicant_id_number="022090001234",
                    papers=["Tờ khai đăng ký khai sinh"], at=dt.datetime(2026, 3, 9, 9, 0, tzinfo=LOCAL_TZ))
    # A task and a campaign, so that the discipline API's reads and writes meet real rows.
    item = work_item_create(actor=leader, agency=province["commune"], name="Báo cáo")
    task_assign(actor=leader, item=item, staff=clerk, year=2026, kind="month", number=3, quantity=4,
                at=dt.datetime(2026, 3, 2, 8, 0, tzinfo=LOCAL_TZ))
    campaign_create(actor=leader, agency=province["province"], name="Thi đua 2026", launched_on=dt.date(2026, 1, 5))
    return {"anonymous": {}, "staff": {"Authorization": f"Bearer {api_token_issue(user=leader.user)}"}}


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "staff"])
@schema.parametrize()
@hypothesis.settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
                     suppress_health_check=list(hypothesis.HealthCheck))
def test_the_api_keeps_to_its_schema(case, callers, who):
    case.call_and_validate(headers=callers[who])

