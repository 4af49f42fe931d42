"""Turns a request as parsed off the wire into plain values: the one place that does."""

from __future__ import annotations

import functools

from ..models import Arrival
from ..signatures import shared

# Targets up to this long are split once and remembered (senders post to a few paths, again
# and again); the memo holds at most TARGETS_KEPT of them, whatever senders choose.
SHORT_TARGET = 256
TARGETS_KEPT = 1024


def arrival(received_at: float, method: str, target: bytes, http_version: str,
            remote: str | None, header_block: bytes, body: bytes, body_size: int,
            trailer_block: bytes) -> Arrival:
    """`target` is the request target as sent: the parser refuses bytes that are not ASCII,
    and latin-1 would keep one that got through rather than fail. `remote` is the peer's
    address as `peer_address` gives it. `header_block` is the header lines as sent, each
    ending in CRLF."""
    path, query = _remembered_split(target) if len(target) <= SHORT_TARGET else split(target)
    return Arrival(received_at, method, path, query, http_version, remote, header_block, body,
                   body_size, trailer_block)


def peer_address(peer: object) -> str | None:
    """The sender's address (one copy, shared by its requests), from asyncio's `peername`."""
    address = str(peer[0]) if isinstance(peer, tuple) else None
    return shared(address) if address else None


def split(target: bytes) -> tuple[str, str]:
    """The path (one copy, shared by the requests that name it) and the query."""
    path, _, query = origin_form(target.decode("latin-1")).partition("?")
    return shared(path), query


_remembered_split = functools.lru_cache(maxsize=TARGETS_KEPT)(split)


def origin_form(target: str) -> str:
    """An absolute-form target (`http://host/x?y`) as its path and query; others as they are."""
    scheme, separator, rest = target.partition("://")
    if not separator or scheme.lower() not in ("http", "https"):
        return target
    cuts = [index for index in (rest.find("/"), rest.find("?")) if index >= 0]
    tail = rest[min(cuts):] if cuts else ""
    return tail if tail.startswith("/") else "/" + tail
