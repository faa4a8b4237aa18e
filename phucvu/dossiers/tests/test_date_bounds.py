"""Dates typed into a transition are bounded: an apology to the year 9199 is refused, on the page, through
the API and in the service, with a Vietnamese message and nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from phucvu.core.exceptions import InvalidInput
from phucvu.dossiers import services as s
from phucvu.dossiers.models import Dossier, DossierEvent
from phucvu.dossiers.tests.conftest import local
from phucvu.organization.services import api_token_issue

pytestmark = pytest.mark.django_db


def test_the_service_refuses_an_apology_to_the_year_9199(receive, staff):
    d = receive(at=local(2026, 3, 9, 9, 0))
    events = DossierEvent.objects.count()
    for new_due_at in (dt.datetime(9199, 3, 20, 9, 0, tzinfo=dt.UTC), d.due_at + dt.timedelta(days=400)):
        with pytest.raises(InvalidInput):
            s.dossier_apologize(actor=staff["leader"], dossier_id=d.pk, version=d.version, new_due_at=new_due_at,
                                reason="Cần xác minh thực địa", at=local(2026, 3, 10, 9, 0))
    assert DossierEvent.objects.count() == events and Dossier.objects.get(pk=d.pk).reappointed_at is None
    # Within a year of the original appointment it goes through.
    done = s.dossier_apologize(actor=staff["leader"], dossier_id=d.pk, version=d.version,
                               new_due_at=d.due_at + dt.timedelta(days=30), reason="Cần xác minh thực địa",
                               at=local(2026, 3, 10, 9, 0))
    assert done.reappointed_at == d.due_at + dt.timedelta(days=30)


def test_the_page_shows_the_form_error_for_the_year_9199(client, receive, staff):
    d = receive(at=timezone.now())  # not yet due: the page offers the apology
    client.force_login(staff["leader"].user)
    response = client.post(reverse("dossiers:act", args=[d.pk, "apologize"]),
                           {"version": d.version, "apologize-new_due_at": "9199-03-20T09:00",
                            "apologize-reason": "Cần xác minh thực địa"})
    assert response.status_code == 422
    assert "2000–2100" in response.content.decode() and "20/03/9199" in response.content.decode()
    assert Dossier.objects.get(pk=d.pk).reappointed_at is None


def test_the_api_refuses_the_year_9199_with_its_422(client, receive, staff):
    d = receive()
    token = api_token_issue(user=staff["leader"].user)
    for new_due_at in ("9199-03-20T09:00:00+07:00", "9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00"):
        response = client.post(f"/api/dossiers/{d.pk}/apologize", {"version": d.version, "new_due_at": new_due_at,
                                                                     "reason": "Cần xác minh thực địa"},
                               content_type="application/json", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 422, (new_due_at, response.content)
        assert response.json()["code"] == "invalid_input"
    assert Dossier.objects.get(pk=d.pk).reappointed_at is None
