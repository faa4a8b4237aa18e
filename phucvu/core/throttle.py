"""Throttles that hold: the client's address behind trusted proxies, and atomic "take one attempt" on rows.

**The client's address** (`client_address`): the direct peer (`REMOTE_ADDR`) unless that peer is one of the
reverse proxies named in `settings.TRUSTED_PROXIES` (CIDRs, from `PHUCVU_TRUSTED_PROXIES`; none by default).
Behind a trusted proxy, `X-Forwarded-For` is read from the right: each proxy appends the address it was
reached from, so the right-most entry that is not itself a trusted proxy is the client. Entries to its left
were written by the client and are not believed. Without a trusted peer the header is ignored: anyone can
send it.

**Taking an attempt** (`take`): a throttle counts rows of attempts in a sliding window. "Count, then act,
then record" lets parallel requests all see the same count and all pass. Here the attempt is written FIRST,
in its own short transaction, and the count (which includes it) is read under a lock on the throttle's
keys; past the limit the transaction rolls back and the caller is refused. On PostgreSQL the lock is a
transaction-scoped advisory lock per key (`pg_advisory_xact_lock`), taken in a fixed order; on SQLite the
first write of a transaction takes the database's one write lock, so writing the row before counting is
enough. The throttle does not use the cache, so it holds the same with or without Redis, across worker
processes and restarts. The caller then does its work and, when the attempt turns out not to count (a
right look-up, a successful login), `release`s the row.
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model

M = TypeVar("M", bound=Model)
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.lru_cache(maxsize=8)
def _networks(cidrs: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(c, strict=False) for c in cidrs)


def trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1:text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        return ip.ipv4_mapped
    return ip


def _trusted(ip, networks: tuple[Network, ...]) -> bool:
    return any(ip.version == n.version and ip in n for n in networks)


def client_address(request) -> str:
    """The address the request came from, believed only as far as trusted proxies vouch for it."""
    if request is None:
        return ""
    peer_text = request.META.get("REMOTE_ADDR", "")
    networks = trusted_networks()
    peer = _ip(peer_text)
    if peer is None or not networks or not _trusted(peer, networks):
        return peer_text[:64]
    forwarded = ",".join(request.headers.get("X-Forwarded-For", "").split(",")[-20:])
    client = peer
    for entry in reversed([e for e in forwarded.split(",") if e.strip()]):
        ip = _ip(entry)
        if ip is None:
            break  # a malformed entry: the hop that wrote it is the last one we can vouch for
        client = ip
        if not _trusted(ip, networks):
            break
    return str(client)[:64]


def address_in(address: str, cidrs: Iterable[str]) -> bool:
    """Whether an address (as `client_address` gives it) lies in one of the networks."""
    ip = _ip(address)
    return ip is not None and _trusted(ip, _networks(tuple(cidrs)))


class Refused(Exception):
    """`take` found the window full: nothing was written."""


def _lock_id(key: str) -> int:
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)


def _lock(keys: Iterable[str]) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for key in sorted(set(keys)):  # one order for everyone: no deadlock between two throttles' keys
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_lock_id(key)])


def take(*, keys: Iterable[str], write: Callable[[], M], full: Callable[[M], bool]) -> M:
    """Write one attempt and keep it only if the window still has room for it.

    `write()` creates the attempt's row; `full(row)` counts the window (the new row included) and says
    whether it is over a limit. Raises `Refused` (and keeps nothing) when it is.
    """
    with transaction.atomic():
        _lock(keys)
        row = write()
        if full(row):
            raise Refused  # leaving the block rolls the row back
        return row
