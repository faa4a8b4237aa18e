import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import HttpResponse, QueryDict
from django.test import RequestFactory
from django.urls import reverse

from phucvu.core.exceptions import BadParameter, InvalidInput, NotAllowed, NotFound, StaleAction
from phucvu.core.web import (
    MAX_ID,
    DomainErrorMiddleware,
    check_date_range,
    form_date,
    query_choice,
    query_date,
    query_id,
    query_int,
    query_month,
    query_year,
    sane_date,
)


def q(text: str) -> QueryDict:
    return QueryDict(text)


def test_query_int_reads_a_number_or_the_default():
    assert query_int(q("n=12"), "n") == 12
    assert query_int(q("n= 7 "), "n") == 7
    assert query_int(q(""), "n", default=3) == 3
    assert query_int(q("n="), "n", default=3) == 3


@pytest.mark.parametrize(("text", "words"), [
    ("n=abc", ["“n”", "số nguyên", "“abc”"]),
    ("n=0", ["“n”", "từ 1 đến 10", "không phải 0"]),
    ("n=11", ["từ 1 đến 10", "11"]),
])
def test_query_int_refuses_with_a_vietnamese_message(text, words):
    with pytest.raises(InvalidInput) as refused:
        query_int(q(text), "n", minimum=1, maximum=10)
    for word in words:
        assert word in refused.value.message


def test_query_id_is_positive():
    assert query_id(q("agency=5"), "agency") == 5
    assert query_id(q(""), "agency") is None
    with pytest.raises(InvalidInput, match="số nguyên dương"):
        query_id(q("agency=-5"), "agency")


def test_query_date_reads_iso_dates_in_range():
    assert query_date(q("from=2017-03-01"), "from") == dt.date(2017, 3, 1)
    assert query_date(q(""), "from", default=dt.date(2020, 1, 1)) == dt.date(2020, 1, 1)
    with pytest.raises(InvalidInput, match="YYYY-MM-DD"):
        query_date(q("from=01/03/2017"), "from")
    with pytest.raises(InvalidInput, match="01/01/2000"):
        query_date(q("from=1900-01-01"), "from")
    with pytest.raises(InvalidInput, match="31/12/2017"):
        query_date(q("to=2018-01-01"), "to", maximum=dt.date(2017, 12, 31))


def test_query_year_and_choice():
    assert query_year(q("year=2025"), default=2000) == 2025
    assert query_year(q(""), default=2024) == 2024
    with pytest.raises(InvalidInput, match="từ 2000 đến 2100"):
        query_year(q("year=99999"), default=2024)
    assert query_choice(q("by=level"), "by", ["agency", "level"], default="agency") == "level"
    assert query_choice(q(""), "by", ["agency", "level"], default="agency") == "agency"
    with pytest.raises(InvalidInput, match="agency, level"):
        query_choice(q("by=x"), "by", ["agency", "level"])


@pytest.mark.django_db
@pytest.mark.parametrize(("error", "status", "title"), [
    (InvalidInput("Tham số sai."), 422, "Yêu cầu không hợp lệ"),
    (NotAllowed("Ngoài phạm vi."), 403, "Không có quyền truy cập"),
    (NotFound("Không có."), 404, "Không tìm thấy trang"),
    (StaleAction("Đã đổi."), 409, "Dữ liệu đã thay đổi"),
])
def test_a_domain_error_let_through_a_view_is_a_page_with_its_status(error, status, title):
    request = RequestFactory().get("/anything/")
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    middleware = DomainErrorMiddleware(lambda r: HttpResponse("ok"))
    response = middleware.process_exception(request, error)
    assert response is not None and response.status_code == status
    body = response.content.decode()
    assert title in body and error.message in body


def test_other_exceptions_are_not_the_middlewares():
    request = RequestFactory().get("/anything/")
    assert DomainErrorMiddleware(lambda r: HttpResponse("ok")).process_exception(request, ValueError()) is None


def test_query_month_is_the_first_day():
    assert query_month(q("month=2017-07"), "month") == dt.date(2017, 7, 1)
    assert query_month(q(""), "month") is None
    with pytest.raises(InvalidInput, match="YYYY-MM"):
        query_month(q("month=2017-13"), "month")


@pytest.mark.django_db
def test_pages_answer_bad_parameters_and_foreign_agencies_with_a_clear_page(client, province, make_staff):
    clerk = make_staff(province["commune_desk"], "desk_clerk")
    client.force_login(clerk.user)
    refused = client.get(reverse("catalog:procedure_picker"), {"agency": province["district2"].pk, "procedure_q": "a"})
    assert refused.status_code == 403 and 'data-code="not_allowed"' in refused.content.decode()
    bad_year = client.get(reverse("workcalendar:year"), {"year": "1800"})
    assert bad_year.status_code == 400 and "từ 2001 đến 2099" in bad_year.content.decode()
    bad_level = client.get(reverse("catalog:procedure_list"), {"level": "galaxy"})
    assert bad_level.status_code == 400 and "“galaxy”" in bad_level.content.decode()
    bad_month = client.get(reverse("reports:public"), {"month": "2017-13"})
    assert bad_month.status_code == 400 and "YYYY-MM" in bad_month.content.decode()


def test_query_id_stops_at_the_largest_id_a_table_holds():
    assert query_id(q(f"agency={MAX_ID}"), "agency") == MAX_ID
    with pytest.raises(BadParameter, match="tối đa 19 chữ số.*không phải 9223372036854775808"):
        query_id(q(f"agency={MAX_ID + 1}"), "agency")
    with pytest.raises(BadParameter):
        query_id(q("agency=" + "9" * 40), "agency")


def test_a_bad_parameter_is_a_400_page():
    assert BadParameter("x").http_status == 400 and BadParameter("x").code == "invalid_input"


def test_form_date_names_the_field_and_keeps_to_the_years():
    assert form_date(q("on=2026-03-09"), "on", "Ngày họp") == dt.date(2026, 3, 9)
    assert form_date(q(""), "on", "Ngày họp", required=False) is None
    with pytest.raises(InvalidInput, match="Cần nhập Ngày họp"):
        form_date(q(""), "on", "Ngày họp")
    with pytest.raises(InvalidInput, match="Ngày họp: ngày không hợp lệ"):
        form_date(q("on=2026-02-30"), "on", "Ngày họp")
    with pytest.raises(InvalidInput, match="Ngày họp phải từ 01/01/2000 đến 31/12/2100"):
        form_date(q("on=9199-03-09"), "on", "Ngày họp")
    # A form's refusal is a 422 beside the form, not the 400 page of a bad link.
    with pytest.raises(InvalidInput) as refused:
        form_date(q("on=0001-01-01"), "on", "Ngày họp")
    assert not isinstance(refused.value, BadParameter)


def test_sane_date_and_check_date_range():
    sane_date(dt.date(2026, 3, 9))
    sane_date(dt.datetime(2100, 12, 31, 23, 59, tzinfo=dt.UTC))
    for bad in (dt.date(9199, 1, 1), dt.date(1999, 12, 31), dt.datetime(9999, 12, 31, tzinfo=dt.UTC)):
        with pytest.raises(ValidationError, match="2000–2100"):
            sane_date(bad)
    with pytest.raises(InvalidInput, match="Hạn mới phải từ 01/01/2026"):
        check_date_range(dt.date(2025, 1, 1), "Hạn mới", minimum=dt.date(2026, 1, 1))


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/portal/lookup/?code=%00", "/reports/cong-khai/?q=a%00b",
                                 "/portal/procedures/?q%00=1", "/notifications/choice/a%00b/"])
def test_a_nul_character_is_refused_before_the_database(client, url):
    """PostgreSQL cannot store NUL in text and raises: the middleware answers first, in Vietnamese."""
    response = client.get(url)
    assert response.status_code == 400
    assert "ký tự NUL" in response.content.decode()


@pytest.mark.django_db
def test_a_nul_character_in_a_form_or_the_api(client):
    response = client.post("/portal/lookup/vote/", {"code": "HS\x00", "secret": "x"})
    assert response.status_code == 400 and "ký tự NUL" in response.content.decode()
    api = client.post("/api/portal/lookup", '{"code": "a\\u0000", "secret": "b"}', content_type="application/json")
    assert api.status_code == 422
    assert api.json()["code"] == "invalid_input" and "NUL" in api.json()["message"]
    # Without NUL the same call goes through to the look-up (not found).
    assert client.post("/api/portal/lookup", '{"code": "a", "secret": "b"}',
                       content_type="application/json").status_code == 404
