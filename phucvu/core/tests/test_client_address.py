"""The client's address: X-Forwarded-For believed only from a configured trusted proxy."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from phucvu.core.throttle import address_in, client_address

rf = RequestFactory()


def request(peer: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return rf.get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_a_spoofed_header_from_an_untrusted_peer_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_behind_a_trusted_proxy_the_forwarded_client_is_read(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(request("10.0.0.2", "198.51.100.1")) == "198.51.100.1"


def test_the_right_most_untrusted_entry_wins_over_what_the_client_wrote(settings):
    # The client sent "X-Forwarded-For: 1.2.3.4" itself; nginx appended the address it really came from.
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(request("10.0.0.2", "1.2.3.4, 198.51.100.1")) == "198.51.100.1"


def test_a_chain_of_trusted_proxies_is_walked(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "192.168.0.0/16"]
    assert client_address(request("10.0.0.2", "1.2.3.4, 198.51.100.1, 192.168.1.1")) == "198.51.100.1"


def test_a_malformed_entry_stops_at_the_last_vouched_hop(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(request("10.0.0.2", "198.51.100.1, <script>")) == "10.0.0.2"


@pytest.mark.parametrize(("forwarded", "client"), [("[2001:db8::1]:4711", "2001:db8::1"),
                                                   ("198.51.100.1:4711", "198.51.100.1")])
def test_ports_and_ipv6_are_read(settings, forwarded, client):
    settings.TRUSTED_PROXIES = ["127.0.0.1/32"]
    assert client_address(request("127.0.0.1", forwarded)) == client


def test_no_header_behind_a_proxy_gives_the_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(request("10.0.0.2")) == "10.0.0.2"


def test_address_in_networks():
    assert address_in("10.1.2.3", ["10.0.0.0/8"])
    assert not address_in("11.1.2.3", ["10.0.0.0/8"])
    assert not address_in("", ["10.0.0.0/8"])
