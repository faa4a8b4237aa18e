import datetime as dt

import pytest
from django.http import HttpResponse, QueryDict
from django.test import RequestFactory
from django.urls import reverse

from phucvu.core.exceptions import InvalidInput, NotAllowed, NotFound, StaleAction
from phucvu.core.web import (
    DomainErrorMiddleware,
    query_choice,
    query_date,
    query_id,
    query_int,
    query_month,
    query_year,
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
    with pytest.raises(InvalidInput, match="từ 1 trở lên"):
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
    assert bad_year.status_code == 422 and "từ 2001 đến 2099" in bad_year.content.decode()
    bad_level = client.get(reverse("catalog:procedure_list"), {"level": "galaxy"})
    assert bad_level.status_code == 422 and "“galaxy”" in bad_level.content.decode()
    bad_month = client.get(reverse("reports:public"), {"month": "2017-13"})
    assert bad_month.status_code == 422 and "YYYY-MM" in bad_month.content.decode()
