"""The report pages: scoped by the visibility rule, public page without login, exports as files."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from phucvu.dossiers.facts import DossierFacts, publish
from phucvu.reports import selectors
from phucvu.reports.engine import build_report, sums
from phucvu.reports.selectors import dashboard_for, period_or_default
from phucvu.reports.tests.reference import LOCAL

PERIOD = {"from": "2017-03-01", "to": "2017-03-31"}


def dossier(pk, agency, resolved_day=None, late=False):
    received = dt.datetime(2017, 3, 2, 9, tzinfo=LOCAL)
    due = dt.datetime(2017, 3, 9, 9, tzinfo=LOCAL)
    resolved = None if resolved_day is None else dt.datetime(2017, 3, resolved_day, 10, tzinfo=LOCAL)
    return DossierFacts(dossier_id=pk, agency_id=agency.pk, procedure_id=5, field_id=1, channel="counter",
                        received_at=received, due_at=due, resolved_at=resolved)


@pytest.fixture
def history(province):
    publish([(None, dossier(1, province["commune_desk"], 5)), (None, dossier(2, province["commune3"], 12)),
             (None, dossier(3, province["center"]))])
    return province


@pytest.mark.django_db
def test_a_commune_leader_sees_only_the_commune_in_form06(client, history, make_staff):
    client.force_login(make_staff(history["commune"], "unit_leader").user)
    page = client.get(reverse("reports:form06"), PERIOD).content.decode()
    assert "UBND phường Hồng Gai" in page and "Ka Long" not in page and "Quảng Ninh" not in page


@pytest.mark.django_db
def test_asking_for_an_agency_outside_ones_scope_is_refused(client, history, make_staff):
    client.force_login(make_staff(history["commune"], "unit_leader").user)
    response = client.get(reverse("reports:form06"), {**PERIOD, "agency": history["province"].pk})
    assert response.status_code == 403


@pytest.mark.django_db
def test_form06_downloads_xlsx_and_pdf(client, history, make_staff):
    client.force_login(make_staff(history["province"], "unit_leader").user)
    xlsx = client.get(reverse("reports:form06"), {**PERIOD, "format": "xlsx"})
    pdf = client.get(reverse("reports:form06"), {**PERIOD, "format": "pdf"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats") and xlsx.content[:2] == b"PK"
    assert pdf.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_dashboard_shows_levels_agencies_and_the_late_ones(client, history, make_staff):
    client.force_login(make_staff(history["province"], "unit_leader").user)
    page = client.get(reverse("reports:dashboard"), PERIOD).content.decode()
    assert "Cấp xã" in page and "UBND phường Ka Long" in page and "trend-data" in page
    assert reverse("reports:drilldown") + "?figure=late" in page


@pytest.mark.django_db
def test_dashboard_figures_equal_the_separate_reports(history, make_staff):
    """The dashboard builds its agency and level rows from one sum; they must equal the reports built apart."""
    first, last = dt.date(2017, 3, 1), dt.date(2017, 3, 31)
    board = dashboard_for(make_staff(history["province"], "unit_leader").user, date_from=first, date_to=last)
    by_agency = build_report(first, last, agency=board.root, by="agency")
    levels = build_report(first, last, agency=board.root, by="level")
    assert board.total == by_agency.total.figures() == levels.total.figures()
    assert board.by_level == [dict(r.figures(), ref=r.ref) for r in levels.rows]
    assert board.children == [dict(r.figures(), ref=r.ref, depth=r.depth) for r in by_agency.rows if r.depth == 1]
    own = sums(first, last, group="agency_id", agency=board.root)
    late = {f["ref"]: f for f in board.late_agencies}
    # Resolved on the 12th (due the 9th), and still open past its due day.
    assert set(late) == {history["commune3"].pk, history["center"].pk}
    for pk, f in late.items():
        assert {k: v for k, v in f.items() if k not in ("key", "name", "ref")} == \
            {k: v for k, v in own[pk].figures().items() if k not in ("key", "name")}


@pytest.mark.django_db
def test_index766_computes_progress_and_says_what_is_not_computable(client, history, make_staff):
    client.force_login(make_staff(history["province"], "unit_leader").user)
    page = client.get(reverse("reports:index766"), PERIOD).content.decode()
    assert "Không tính được" in page and "Tiến độ (/20)" in page


@pytest.mark.django_db
def test_public_page_needs_no_login_and_offers_open_data(client, history):
    page = client.get(reverse("reports:public"), {"month": "2017-03"})
    assert page.status_code == 200 and "UBND phường Ka Long" in page.content.decode()
    csv = client.get(reverse("reports:public_csv"), {"month": "2017-03"}).content.decode("utf-8-sig")
    lines = csv.splitlines()
    assert lines[0].startswith("ma_don_vi,ten_don_vi,thang")
    assert any(line.startswith("T22,UBND tỉnh Quảng Ninh,2017-03,3,2,0.5,2017,3,2,0.5") for line in lines)


@pytest.mark.django_db
def test_public_page_search_ignores_accents(client, history):
    page = client.get(reverse("reports:public"), {"month": "2017-03", "q": "ka long"}).content.decode()
    assert "UBND phường Ka Long" in page and "Hồng Gai" not in page


@pytest.mark.django_db
def test_staff_pages_need_a_login(client, history):
    for name in ("reports:dashboard", "reports:form06", "reports:index766", "reports:drilldown"):
        assert client.get(reverse(name)).status_code == 302


@pytest.mark.django_db
def test_an_archive_opens_on_its_last_year_of_activity(history):
    # History ends in March 2017 (open dossier 3 is carried on, but nothing happened after March).
    assert selectors.default_period() == (dt.date(2017, 1, 1), dt.date(2017, 3, 31))
    assert selectors.default_public_month() == dt.date(2017, 3, 1)


@pytest.mark.django_db
def test_a_live_system_opens_on_the_current_year(province):
    today = selectors.today()
    assert selectors.default_period() == (today.replace(month=1, day=1), today)
    now = dt.datetime.combine(today, dt.time(9), tzinfo=LOCAL)
    publish([(None, DossierFacts(dossier_id=9, agency_id=province["commune"].pk, procedure_id=5, field_id=1,
                                 channel="online", received_at=now, due_at=now + dt.timedelta(days=3),
                                 resolved_at=None))])
    assert selectors.default_period() == (today.replace(month=1, day=1), today)


@pytest.mark.django_db
def test_dashboard_without_a_period_shows_the_archive_year(client, history, make_staff):
    client.force_login(make_staff(history["province"], "unit_leader").user)
    body = client.get(reverse("reports:dashboard")).content.decode()
    assert "2017-01-01" in body and "2017-03-31" in body


@pytest.mark.django_db
def test_a_full_period_is_parsed_without_reading_the_default(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert period_or_default(dt.date(2017, 3, 1), dt.date(2017, 3, 31)) == (dt.date(2017, 3, 1), dt.date(2017, 3, 31))


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "rate"), [("vi", "50,00%"), ("en", "50.00%")])
def test_report_pages_write_numbers_in_the_readers_language(client, history, make_staff, lang, rate):
    """The reports had their own Vietnamese-only filters: an English page showed '50,00%'."""
    client.force_login(make_staff(history["province"], "unit_leader").user)
    client.cookies["django_language"] = lang
    for name in ("reports:form06", "reports:dashboard"):
        page = client.get(reverse(name), PERIOD).content.decode()
        assert rate in page, name


def rows_of(html: str) -> list[tuple[str, str]]:
    """(number, name) of each unit row of form 06 on screen."""
    return [(n, re.sub(r"<[^>]+>", "", name).strip())
            for n, name in re.findall(r'<tr data-pv-row="\d+"[^>]*>\s*<td[^>]*>([^<]*)</td>\s*<td[^>]*>(.*?)</td>', html, re.S)]


@pytest.mark.django_db
def test_form06_by_agency_shows_the_units_right_under_the_agency_folded(client, history, make_staff):
    """A whole province drawn at once was 1 MB of HTML: the page starts with one level of units."""
    client.force_login(make_staff(history["province"], "unit_leader").user)
    html = client.get(reverse("reports:form06"), PERIOD).content.decode()
    names = [name for _, name in rows_of(html)]
    assert names[0] == "UBND tỉnh Quảng Ninh" and "UBND thành phố Móng Cái" in names and "Sở Nội vụ" in names
    assert "UBND phường Ka Long" not in names and "UBND phường Hồng Gai" not in names
    district2 = history["district2"].pk
    assert f'data-pv-fold="{district2}"' in html and f"children_of={district2}" in html
    assert "Tổng cộng" in html  # the total still counts the whole province
    everything = [name for _, name in rows_of(client.get(reverse("reports:form06"), {**PERIOD, "tree": "all"})
                                               .content.decode())]
    assert "UBND phường Ka Long" in everything and "Bộ phận Một cửa phường Hồng Gai" in everything


@pytest.mark.django_db
def test_unfolding_a_unit_returns_its_children_numbered_under_it(client, history, make_staff):
    client.force_login(make_staff(history["province"], "unit_leader").user)
    district = history["district"]
    response = client.get(reverse("reports:form06"), {**PERIOD, "children_of": district.pk, "depth": 1, "n": "4"},
                          HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert rows_of(html) == [("4.1", "Trung tâm HCC thành phố Hạ Long"), ("4.2", "UBND phường Hồng Gai"),
                             ("4.3", "UBND phường Bạch Đằng")]
    assert f'data-pv-parent="{district.pk}"' in html
    assert f'data-pv-fold="{history["commune"].pk}"' in html  # Hồng Gai has its desk below it, folded
    assert "padding-left: 3em" in html  # one step deeper than the district's row


@pytest.mark.django_db
def test_unfolding_a_unit_outside_ones_scope_is_refused(client, history, make_staff):
    client.force_login(make_staff(history["commune"], "unit_leader").user)
    response = client.get(reverse("reports:form06"), {**PERIOD, "children_of": history["district2"].pk})
    assert response.status_code == 403 and "Ka Long" not in response.content.decode()
