"""Messages, in a browser on a phone: the citizen submits online choosing SMS only, the desk accepts, the
worker sends; the clerk sees the messages on the dossier page; the citizen stops them from their link."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from phucvu.catalog.services import StepSpec, field_ensure, procedure_create
from phucvu.dossiers import services
from phucvu.dossiers.models import Dossier
from phucvu.notifications.links import choice_url
from phucvu.notifications.models import ContactPreference, Message

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def procedure(db):
    return procedure_create(
        code="1.001193", name="Đăng ký khai sinh", field=field_ensure(name="Hộ tịch", code="HT"), levels=["commune"],
        amount=3, time_unit="working_days", papers=["Tờ khai đăng ký khai sinh"], online_level="full",
        steps=[StepSpec("Tiếp nhận", 20, role="desk_clerk"), StepSpec("Giải quyết", 80, role="specialist")])


def test_citizen_chooses_sms_clerk_sees_the_messages_citizen_stops_them(
        page, live_server, login, province, make_staff, procedure, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    settings.NOTIFY_CHANNELS = ["sms"]  # a real channel on, pointing nowhere: the worker is not run for it
    settings.NOTIFY_QUIET_HOURS = ""
    clerk = make_staff(province["commune_desk"], "desk_clerk", full_name="Trần Thị Một Cửa")
    paper = tmp_path / "to-khai.pdf"
    paper.write_bytes(b"%PDF-1.4\n%%EOF\n")

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/portal/submit/{procedure.pk}/")
    page.select_option("#id_agency", str(province["commune_desk"].pk))
    page.fill("#id_applicant_name", "Phạm Thị Bình")
    page.fill("#id_phone", "0912000111")
    page.uncheck("#notify-channels input[value=zalo]")
    page.uncheck("#notify-channels input[value=email]")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_input_files("#id_paper_0", str(paper))
    page.click("#submission-form button[type=submit]")
    page.wait_for_load_state()
    d = Dossier.objects.get()
    assert ContactPreference.objects.get(dossier=d).channels == ["sms"]
    services.dossier_accept(actor=clerk, dossier_id=d.pk, version=d.version)
    assert sorted(Message.objects.values_list("event", "channel", "recipient")) == [
        ("received", "sms", "84912000111"), ("submitted", "sms", "84912000111")]

    settings.NOTIFY_CHANNELS = ["log"]  # what the clerk sees after the worker ran (the log channel sends)
    Message.objects.update(channel="log")
    call_command("worker", burst=True, verbosity=0)
    login(page, clerk.user.username)
    page.goto(f"{live_server.url}/dossiers/{d.pk}/")
    panel = page.locator("[data-testid=messages-panel]")
    assert panel.locator("[data-status=delivered]").count() == 2
    assert "Đã nộp trực tuyến" in panel.inner_text() and "Tiếp nhận" in panel.inner_text()
    assert "Kênh công dân chọn: Tin nhắn SMS" in panel.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    panel.screenshot(path="/tmp/notify_panel_phone.png")

    page.goto(live_server.url + "/" + choice_url(d.pk).split("://", 1)[1].split("/", 1)[1])
    page.check("#id_stop")
    page.click("#choice-form button[type=submit]")
    page.wait_for_load_state()
    assert "Đã lưu lựa chọn nhận thông báo." in page.content()
    assert ContactPreference.objects.get(dossier=d).opted_out
