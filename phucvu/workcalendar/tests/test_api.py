from urllib.parse import urlencode

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_in(client, province, make_staff):
    client.force_login(make_staff(province["commune_desk"]).user)
    return client


def test_deadline_api_matches_the_command_contract(client_in):
    query = urlencode({"received": "2025-01-24T16:30+07:00", "days": "1"})
    body = client_in.get(f"/api/workcalendar/deadline?{query}").json()
    # Friday 24/1/2025 16:30 + 1 working day, across the Tết 2025 break (25/1–2/2) → Monday 3/2 16:30.
    assert body == {"received": "2025-01-24T16:30:00+07:00", "start": "2025-01-24T16:30:00+07:00",
                    "due": "2025-02-03T16:30:00+07:00"}


def test_deadline_api_rejects_bad_input_in_vietnamese(client_in):
    r = client_in.get("/api/workcalendar/deadline?received=hôm-qua&days=1")
    assert r.status_code == 422 and "không hợp lệ" in r.json()["message"]
    r = client_in.get(f"/api/workcalendar/deadline?{urlencode({'received': '2025-01-24T16:30+07:00'})}")
    assert r.status_code == 422 and r.json()["code"] == "invalid_input"


def test_days_api_lists_the_make_up_saturday_of_2025(client_in):
    days = {d["date"]: d["kind"] for d in client_in.get("/api/workcalendar/days?year=2025").json()}
    assert days["2025-04-26"] == "workday" and days["2025-05-02"] in {"day_off", "holiday"}


def test_calendar_api_needs_a_login(client):
    assert client.get("/api/workcalendar/days?year=2025").status_code == 401
