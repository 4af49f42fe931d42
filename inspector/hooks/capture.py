"""Turns a request as parsed off the wire into plain values: the one place that does."""

from __future__ import annotations

from ..models import Arrival
from ..signatures import shared


def arrival(received_at: float, method: str, target: bytes, http_version: str,
            remote: str | None, header_block: bytes, body: bytes, body_size: int,
            trailer_block: bytes) -> Arrival:
    """`target` is the request target as sent: the parser refuses bytes that are not ASCII,
    and latin-1 would keep one that got through rather than fail. `header_block` is the
    header lines as sent, each ending in CRLF."""
    path, _, query = origin_form(target.decode("latin-1")).partition("?")
    return Arrival(received_at, method, shared(path), query, http_version,
                   shared(remote) if remote else None, header_block, body, body_size,
                   trailer_block)


def origin_form(target: str) -> str:
    """An absolute-form target (`http://host/x?y`) as its path and query; others as they are."""
    scheme, separator, rest = target.partition("://")
    if not separator or scheme.lower() not in ("http", "https"):
        return target
    cuts = [index for index in (rest.find("/"), rest.find("?")) if index >= 0]
    tail = rest[min(cuts):] if cuts else ""
    return tail if tail.startswith("/") else "/" + tail
