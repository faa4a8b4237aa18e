"""English is the second locale of the whole UI: every main page reads in English once the user switches,
and stays Vietnamese by default. Data (agency, procedure, people's names) is never translated."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import zipfile

import pytest
from django.urls import reverse
from django.utils import translation

from phucvu.catalog.models import Field, Procedure, ProcedureVersion, WorkflowStep
from phucvu.catalog.services import StepSpec, field_ensure, procedure_create
from phucvu.core.localtime import LOCAL_TZ as TZ
from phucvu.dossiers import pdf, services
from phucvu.dossiers.models import Dossier
from phucvu.dossiers.services import dossier_receive
from phucvu.organization.models import Agency, Staff
from phucvu.workcalendar.models import CalendarDay

VIETNAMESE = re.compile(r"[À-ÖØ-öø-ỹ]")


@pytest.fixture
def desk(province, make_staff):
    """A commune desk with a procedure and a dossier that went through a few steps (a timeline to show)."""
    procedure = procedure_create(
        code="1.001193", name="Đăng ký khai sinh", field=field_ensure(name="Hộ tịch", code="HT"),
        levels=["commune"], amount=3, time_unit="working_days", online_level="full",
        papers=["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"],
        steps=[StepSpec("Tiếp nhận", 20, role="desk_clerk"), StepSpec("Giải quyết", 80, role="specialist")])
    clerk = make_staff(province["commune_desk"], "desk_clerk", full_name="Trần Thị Một Cửa")
    leader = make_staff(province["province"], "unit_leader", full_name="Phạm Văn Lãnh Đạo")
    now = dt.datetime.now(TZ).replace(microsecond=0)
    dossier = dossier_receive(actor=clerk, agency_id=province["commune_desk"].pk, procedure_id=procedure.pk,
                              applicant_name="Nguyễn Văn Ánh", applicant_id_number="022090001234",
                              papers=["Tờ khai đăng ký khai sinh"], at=now - dt.timedelta(days=1))
    # A second dossier further on: forwarded, then paused for a supplement (more of the timeline to read).

    paused = dossier_receive(actor=clerk, agency_id=province["commune_desk"].pk, procedure_id=procedure.pk,
                             applicant_name="Lê Thị Bình", papers=["Giấy chứng sinh"], at=now - dt.timedelta(days=2))
    paused = services.dossier_forward(actor=clerk, dossier_id=paused.pk, version=paused.version,
                                      at=now - dt.timedelta(days=2, hours=-1))
    paused = services.dossier_request_supplement(actor=clerk, dossier_id=paused.pk, version=paused.version,
                                                 missing=["Tờ khai đăng ký khai sinh"], at=now - dt.timedelta(days=1))
    return {"clerk": clerk, "leader": leader, "dossier": dossier, "paused": paused, "procedure": procedure}


def _pages(desk) -> dict[str, tuple[str, str, list[str]]]:
    """name → (who, url, English words the page must show). who: clerk, leader or anonymous."""
    d = desk["dossier"]
    return {
        "home": ("clerk", reverse("home"), ["Workspace", "First things to do"]),
        "queue": ("clerk", reverse("dossiers:queue"), ["Dossiers to handle", "Dossier code", "Applicant"]),
        "intake": ("clerk", reverse("dossiers:intake"), ["Receive dossier", "Applicant", "Phone number"]),
        "dossier": ("clerk", reverse("dossiers:detail", args=[d.pk]), ["Processing steps", "History", "Result due"]),
        "register": ("clerk", reverse("dossiers:register"), ["Dossier register"]),
        "procedures": ("clerk", reverse("catalog:procedure_list"), ["Administrative procedure catalogue"]),
        "procedure": ("clerk", reverse("catalog:procedure_detail", args=[desk["procedure"].pk]),
                      ["Processing time limit", "Required papers"]),
        "dashboard": ("leader", reverse("reports:dashboard"), ["Dossier operations dashboard", "Monthly trend"]),
        "form06": ("leader", reverse("reports:form06"), ["Dossiers resolved", "Total", "Group by"]),
        "index766": ("leader", reverse("reports:index766"), ["Indicator group", "Maximum points"]),
        "calendar": ("leader", reverse("workcalendar:year") + "?year=2026", ["Working calendar", "Legend"]),
        "agencies": ("leader", reverse("organization:agency_list"), ["Agencies", "Search"]),
        "staff": ("leader", reverse("organization:staff_list"), ["Staff"]),
        "inbox": ("leader", reverse("portal:inbox"), ["Feedback"]),
        "portal": ("anonymous", reverse("portal:index"), ["Look up a dossier", "Services for citizens"]),
        "lookup": ("anonymous", reverse("portal:lookup") + f"?code={d.code}&secret={d.secret}",
                   ["Look up dossier status", "Processing history", "Received at"]),
        "submit": ("anonymous", reverse("portal:submit"), ["Find a procedure"]),
        "feedback": ("anonymous", reverse("portal:feedback_new"), ["Send feedback or a petition"]),
        "public": ("anonymous", reverse("reports:public"), ["Publication of administrative procedure results"]),
        "landing": ("anonymous", reverse("landing"), ["Staff sign-in"]),
        "dossier_paused": ("leader", reverse("dossiers:detail", args=[desk["paused"].pk]), ["To supplement"]),
        "lookup_paused": ("anonymous", reverse("portal:lookup") + f"?code={desk['paused'].code}&secret="
                          f"{desk['paused'].secret}", ["Papers to supplement", "time limit paused"]),
        "login": ("anonymous", reverse("login"), ["Username", "Password"]),
        "password": ("clerk", reverse("password_change"), ["Change password"]),
        "agency": ("leader", reverse("organization:agency_detail", args=[d.agency_id]), ["Electronic ID", "Validity"]),
        "drilldown": ("leader", reverse("reports:drilldown") + "?figure=received", ["Received in the period"]),
        "submit_form": ("anonymous", reverse("portal:submit_procedure", args=[desk["procedure"].pk]),
                        ["Where to submit and applicant"]),
        "feedback_lookup": ("anonymous", reverse("portal:feedback_lookup"), ["Look up feedback or a petition"]),
    }


PAGES = ["home", "queue", "intake", "dossier", "register", "procedures", "procedure", "dashboard", "form06",
         "index766", "calendar", "agencies", "staff", "inbox", "portal", "lookup", "submit", "feedback",
         "public", "landing", "login", "password", "agency", "drilldown", "submit_form", "feedback_lookup",
         "dossier_paused", "lookup_paused"]


def _visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    # Attributes a person reads (placeholders, labels for screen readers, tooltips) count as text.
    attrs = " ".join(re.findall(r'(?:placeholder|aria-label|title|alt)="([^"]*)"', page))
    return html.unescape(re.sub(r"<[^>]+>", " ", page) + " " + attrs)


def _data_strings() -> list[str]:
    """Vietnamese that is data, not UI: names of agencies, procedures, people, days, papers."""
    # Holiday families the calendar page derives from day names (workcalendar.selectors._family).
    out: list[str] = ["Phục Vụ", "Tiếng Việt", "Tết", "đ", "Làm bù cho ngày nghỉ", "Ngày nghỉ (thay cho"]
    out += list(Agency.objects.values_list("name", flat=True)) + list(Agency.objects.values_list("address", flat=True))
    out += list(Procedure.objects.values_list("name", flat=True)) + list(Field.objects.values_list("name", flat=True))
    out += list(WorkflowStep.objects.values_list("name", flat=True))
    out += list(Staff.objects.values_list("full_name", flat=True)) + list(Staff.objects.values_list("position", flat=True))
    out += list(CalendarDay.objects.values_list("name", flat=True)) + list(CalendarDay.objects.values_list("basis", flat=True))
    for d in Dossier.objects.all():
        out += [d.applicant_name, *(d.papers or [])]
    for papers in ProcedureVersion.objects.values_list("papers", flat=True):
        out += list(papers or [])
    return sorted({s for s in out if s}, key=len, reverse=True)


def leftover_vietnamese(page: str) -> list[str]:
    text = _visible_text(page)
    for s in _data_strings():
        text = text.replace(s, " ")
    return sorted({m.strip() for m in re.findall(r"[^\n<>]{0,25}[À-ÖØ-öø-ỹ][^\n<>]{0,25}", text)})


def _client_for(client, desk, who: str, language: str):
    if who != "anonymous":
        client.force_login(desk[who].user)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_main_page_reads_in_english(client, desk, name):
    who, url, words = _pages(desk)[name]
    response = _client_for(client, desk, who, "en").get(url)
    assert response.status_code == 200, (url, response.status_code)
    page = response.content.decode()
    assert 'lang="en"' in page
    for word in words:
        assert word in page, (name, word)
    for vietnamese_ui in ("Đăng xuất", "Đăng nhập", "Trang làm việc", "Mã hồ sơ", "Tra cứu", "Tìm kiếm"):
        assert vietnamese_ui not in page, (name, vietnamese_ui)
    if who != "anonymous":
        assert "Sign out" in page
    left = leftover_vietnamese(page)
    assert not left, (name, left)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["home", "queue", "dossier", "form06", "calendar", "lookup", "public"])
def test_vietnamese_stays_the_default(client, desk, name):
    who, url, _words = _pages(desk)[name]
    if who != "anonymous":
        client.force_login(desk[who].user)
    page = client.get(url).content.decode()
    assert 'lang="vi"' in page
    assert "Sign out" not in page and "Look up" not in page
    if who != "anonymous":
        assert "Đăng xuất" in page
    assert VIETNAMESE.search(_visible_text(page))


@pytest.mark.django_db
def test_the_menu_groups_are_translated(client, desk):
    page = _client_for(client, desk, "leader", "en").get(reverse("home")).content.decode()
    assert "Reports and statistics" in page and "Báo cáo, thống kê" not in page


@pytest.mark.django_db
def test_legal_forms_print_in_vietnamese_when_the_screen_is_english(client, desk, monkeypatch):

    seen = []
    monkeypatch.setattr(pdf, "render_pdf", lambda *a, **k: seen.append(translation.get_language()) or b"%PDF")
    _client_for(client, desk, "clerk", "en")
    response = client.get(reverse("dossiers:form_pdf", args=[desk["dossier"].pk, "receipt"]))
    assert response.status_code == 200 and seen == ["vi"]


@pytest.mark.django_db
def test_form06_files_are_vietnamese_when_the_screen_is_english(client, desk):
    _client_for(client, desk, "leader", "en")
    page = client.get(reverse("reports:form06")).content.decode()
    assert "Reporting period" in page
    xlsx = client.get(reverse("reports:form06") + "?format=xlsx").content
    strings = zipfile.ZipFile(io.BytesIO(xlsx)).read("xl/sharedStrings.xml").decode()
    assert "Kỳ báo cáo" in strings and "Reporting period" not in strings


@pytest.mark.django_db
def test_dashboard_chart_series_are_named_in_the_readers_language(client, desk):
    page = _client_for(client, desk, "leader", "en").get(reverse("reports:dashboard")).content.decode()
    assert 'data-label-rate="On-time rate (%)"' in page and 'data-label-received="Received"' in page
