"""The citizen's status look-up: code + secret, plain words, a public timeline, no oracle, a throttle."""

from __future__ import annotations

import hmac
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.urls import reverse

from phucvu.dossiers import services as dossier_services
from phucvu.dossiers.pdf import lookup_url
from phucvu.dossiers.services import dossier_submit_online
from phucvu.portal import access, selectors
from phucvu.portal.models import PortalAttempt
from phucvu.portal.throttle import Throttled

from .conftest import local, resolve

pytestmark = pytest.mark.django_db


def url(code: str, secret: str) -> str:
    return f"{reverse('portal:lookup')}?{urlencode({'code': code, 'secret': secret})}"


def test_receipt_qr_address_opens_the_status_page(client, received):
    path = lookup_url(received.code, received.secret).split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Được tiếp nhận" in text
    assert "Đăng ký khai sinh" in text
    assert "Tiếp nhận hồ sơ" in text  # the timeline
    assert 'id="appointment"' in text


def test_status_page_needs_no_login(client, received):
    assert client.get(url(received.code, received.secret)).status_code == 200


def test_timeline_hides_internal_notes_and_staff_names(client, received, staff):
    dossier_services.dossier_assign(actor=staff["leader"], dossier_id=received.pk, version=received.version,
                                    assignee_id=staff["specialist"].pk, note="Ghi chú nội bộ bí mật",
                                    at=local(2026, 3, 9, 10, 0))
    text = client.get(url(received.code, received.secret)).content.decode()
    assert "Phân công cán bộ giải quyết" in text
    assert "Ghi chú nội bộ bí mật" not in text
    assert "Lê Văn Chuyên Viên" not in text
    assert "Trần Thị Một Cửa" not in text
    assert "022090001234" not in text  # the ID number is not repeated on a public page


def test_supplement_request_lists_the_missing_papers(client, received, staff):
    dossier_services.dossier_request_supplement(
        actor=staff["clerk"], dossier_id=received.pk, version=received.version,
        missing=["Giấy chứng sinh", "Bản sao giấy đăng ký kết hôn"], at=local(2026, 3, 9, 10, 0))
    text = client.get(url(received.code, received.secret)).content.decode()
    assert 'id="missing-papers"' in text
    assert "Bản sao giấy đăng ký kết hôn" in text
    assert "tạm dừng" in text


def test_result_ready_is_announced_with_where_to_collect(client, received, staff):
    resolve(received, staff, result="granted", at=local(2026, 3, 10, 9, 0))
    text = client.get(url(received.code, received.secret)).content.decode()
    assert 'id="result-ready"' in text
    assert "Bộ phận Một cửa phường Hồng Gai" in text


def test_refused_result_shows_its_reason(received, staff):
    resolve(received, staff, result="refused", reason="Không đủ điều kiện theo Luật Hộ tịch",
            at=local(2026, 3, 10, 9, 0))
    status = selectors.public_status(selectors.dossier_for_citizen(code=received.code, secret=received.secret))
    assert status.reason == "Không đủ điều kiện theo Luật Hộ tịch"
    assert any("Không đủ điều kiện" in e.detail for e in status.timeline)


def test_secret_is_read_without_case_or_spaces(received):
    found = selectors.dossier_for_citizen(code=f" {received.code} ", secret=f" {received.secret.lower()} ")
    assert found.pk == received.pk


def test_wrong_secret_and_unknown_code_give_the_same_answer(client, received):
    wrong_secret = client.get(url(received.code, "AAAAAAAA"))
    unknown_code = client.get(url("000.00.21.H41-260309-9999", received.secret))
    assert wrong_secret.status_code == unknown_code.status_code == 200

    def message(response):
        text = response.content.decode()
        start = text.index('id="lookup-error">')
        return text[start:text.index("</div>", start)]

    assert message(wrong_secret) == message(unknown_code) == f'id="lookup-error">{selectors.NOT_FOUND_MESSAGE}'
    assert "Được tiếp nhận" not in wrong_secret.content.decode()


def test_secret_is_compared_in_constant_time(received, monkeypatch):
    calls = []
    real = hmac.compare_digest
    monkeypatch.setattr(hmac, "compare_digest", lambda a, b: calls.append((a, b)) or real(a, b))
    selectors.dossier_for_citizen(code=received.code, secret=received.secret)
    with pytest.raises(Exception):  # noqa: B017 - NotFound
        selectors.dossier_for_citizen(code="no-such-code", secret=received.secret)
    assert len(calls) == 2  # compared even when the code does not exist


def test_failed_lookups_are_throttled_per_address_even_for_a_right_pair(received, settings):
    settings.PORTAL_LOOKUP_LIMIT = 3
    for _ in range(3):
        with pytest.raises(Exception):  # noqa: B017 - NotFound
            access.open_dossier(code=received.code, secret="WRONGWRG", address="203.0.113.7")
    with pytest.raises(Throttled):
        access.open_dossier(code=received.code, secret=received.secret, address="203.0.113.7")
    # Another address is not affected.
    assert access.open_dossier(code=received.code, secret=received.secret, address="198.51.100.1")


def test_a_right_lookup_does_not_clear_the_failures(received, settings):
    settings.PORTAL_LOOKUP_LIMIT = 2
    with pytest.raises(Exception):  # noqa: B017
        access.open_dossier(code=received.code, secret="WRONGWRG", address="203.0.113.8")
    access.open_dossier(code=received.code, secret=received.secret, address="203.0.113.8")
    with pytest.raises(Exception):  # noqa: B017
        access.open_dossier(code=received.code, secret="WRONGWRG", address="203.0.113.8")
    with pytest.raises(Throttled):
        access.open_dossier(code=received.code, secret=received.secret, address="203.0.113.8")


def test_throttled_page_says_so_and_counts_rows(client, received, settings):
    settings.PORTAL_LOOKUP_LIMIT = 1
    client.get(url(received.code, "WRONGWRG"))
    text = client.get(url(received.code, received.secret)).content.decode()
    assert "quá nhiều lần" in text
    assert PortalAttempt.objects.filter(kind=PortalAttempt.Kind.LOOKUP_FAILED).count() == 1


def test_online_submission_shows_waiting_for_the_desk(client, province, online_procedure):
    d = dossier_submit_online(agency_id=province["commune_desk"].pk, procedure_id=online_procedure.pk,
                              applicant_name="Phạm Thị Bình", at=local(2026, 3, 9, 20, 0))
    text = client.get(url(d.code, d.secret)).content.decode()
    assert "Mới đăng ký" in text
    assert "chờ Bộ phận Một cửa" in text


@pytest.mark.parametrize(("lang", "amount"), [("vi", "1.500.000\u00a0đ"), ("en", "1,500,000\u00a0VND")])
def test_the_amount_to_pay_is_written_in_the_readers_language(client, received, staff, lang, amount):
    dossier_services.dossier_request_payment(actor=staff["clerk"], dossier_id=received.pk, version=received.version,
                                             amount=1500000, at=local(2026, 3, 9, 10, 0))
    client.cookies["django_language"] = lang
    assert amount in client.get(url(received.code, received.secret)).content.decode()


def test_code_and_secret_typed_in_lower_case_with_spaces_open_the_dossier(received):
    code = received.code.lower().replace("-", " - ")
    secret = f"{received.secret[:4].lower()} {received.secret[4:]}"
    assert access.open_dossier(code=code, secret=secret, address="10.9.9.9") == received
    assert not PortalAttempt.objects.filter(address="10.9.9.9").exists()  # not a miss, nothing counted


def test_a_lower_case_code_from_the_status_page_form(client, received):
    page = client.get(url(received.code.lower(), received.secret.lower()))
    assert 'id="status-label"' in page.content.decode()
    assert not PortalAttempt.objects.exists()


def test_failed_lookups_are_counted_per_code_across_addresses(received, settings):
    # A guesser spreading one dossier's secret guesses over many addresses is stopped by the code's count.
    settings.PORTAL_LOOKUP_LIMIT = 100
    settings.PORTAL_LOOKUP_CODE_LIMIT = 3
    for i in range(3):
        with pytest.raises(Exception):  # noqa: B017 - NotFound
            access.open_dossier(code=received.code, secret="WRONGWRG", address=f"198.51.100.{i}")
    with pytest.raises(Throttled):
        access.open_dossier(code=received.code, secret=received.secret, address="203.0.113.50")
    with pytest.raises(Throttled):  # typed another way, the same code
        access.open_dossier(code=received.code.lower(), secret="WRONGWRG", address="203.0.113.51")
    assert PortalAttempt.objects.filter(code=received.code).count() == 3  # refusals write nothing


def test_a_right_lookup_gives_its_attempt_back(received, settings):
    settings.PORTAL_LOOKUP_CODE_LIMIT = 1
    for _ in range(3):
        assert access.open_dossier(code=received.code, secret=received.secret, address="203.0.113.60") == received
    assert not PortalAttempt.objects.exists()


def test_behind_a_trusted_proxy_each_citizen_has_their_own_count(client, received, settings):
    # nginx at 10.0.0.2 forwards every citizen: counting the proxy's address would block them all.
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.PORTAL_LOOKUP_LIMIT = 2
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(2):
        client.get(url(received.code, "WRONGWRG"), HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    blocked = client.get(url(received.code, received.secret), HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    assert "quá nhiều lần" in blocked.content.decode()
    other = client.get(url(received.code, received.secret), HTTP_X_FORWARDED_FOR="198.51.100.8", **proxy)
    assert 'id="status-label"' in other.content.decode()
    assert set(PortalAttempt.objects.values_list("address", flat=True)) == {"198.51.100.7"}


def test_a_spoofed_forwarded_header_from_an_untrusted_peer_does_not_escape_the_count(client, received, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.PORTAL_LOOKUP_LIMIT = 2
    for i in range(2):
        client.get(url(received.code, "WRONGWRG"), REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
    page = client.get(url(received.code, received.secret), REMOTE_ADDR="203.0.113.7",
                      HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert "quá nhiều lần" in page.content.decode()
    assert set(PortalAttempt.objects.values_list("address", flat=True)) == {"203.0.113.7"}


# The look-up is the busiest public request (docs/performance.md §13). Its queries on an open dossier: the
# throttle's (the attempt, ONE count of both windows; on PostgreSQL the two keys' locks besides), the dossier,
# the attempt given back in one statement, the timeline, the feedback about it; no vote is read before the
# result is handed back (none can exist). Before: 10 on SQLite (two counts, the attempt deleted in a
# transaction of its own, the vote read).
LOOKUP_QUERIES = 8
LOCKS = 2  # PostgreSQL's advisory locks on the address and the code (phucvu/core/throttle.py)


def test_a_look_up_stays_within_its_queries(client, received, django_assert_max_num_queries):
    client.get(url(received.code, received.secret))  # the session, the language: what a first visit sets up
    with django_assert_max_num_queries(LOOKUP_QUERIES + (LOCKS if connection.vendor == "postgresql" else 0)):
        page = client.get(url(received.code, received.secret))
    assert 'id="appointment"' in page.content.decode()
    assert not PortalAttempt.objects.exists()  # the right pair gave its attempt back
