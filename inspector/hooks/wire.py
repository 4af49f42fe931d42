"""HTTP/1.1 responses as bytes, for the hooks listener to write straight to its socket."""

from __future__ import annotations

import functools
from email.utils import formatdate
from http import HTTPStatus

from ..models import HeaderPairs

_REASONS = {status.value: status.phrase for status in HTTPStatus}
# The server frames each response itself; a configured or forwarded value would contradict it.
_FRAMING = frozenset({"content-length", "transfer-encoding", "connection", "keep-alive"})
_BODYLESS = frozenset({204, 304})
CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"


def _writable(text: str) -> bool:
    return "\r" not in text and "\n" not in text and "\0" not in text


@functools.lru_cache(maxsize=64)
def head_of(status: int, headers: HeaderPairs) -> tuple[bytes, bool]:
    """The status line and the headers that are not framing (a header that would split the
    head is left out), and whether they carry a Date."""
    lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Unknown')}\r\n"]
    lines += [f"{name}: {value}\r\n" for name, value in headers
              if name.lower() not in _FRAMING and _writable(name) and _writable(value)]
    has_date = any(name.lower() == "date" for name, _ in headers)
    return "".join(lines).encode("utf-8"), has_date


# The last head made, by its headers' identity: a listener gives one configured answer again
# and again, and head_of's cache would hash and compare its key each time.
_last_head: list[tuple[int, HeaderPairs, tuple[bytes, bool]]] = [(0, (), head_of(0, ()))]


def date_line(second: int) -> bytes:
    return b"Date: %s\r\n" % formatdate(second, usegmt=True).encode("ascii")


_last_date = [(0, date_line(0))]  # the second answers were last dated, and its line


def response_bytes(status: int, headers: HeaderPairs, body: bytes, *, now: float,
                   keep_alive: bool, http10: bool, head: bool) -> bytes:
    """One complete response. HEAD, 1xx, 204 and 304 answers carry no body."""
    last_status, last_headers, made = _last_head[0]
    if headers is not last_headers or status != last_status:
        made = head_of(status, headers)
        _last_head[0] = (status, headers, made)
    start, has_date = made
    parts = [start]
    if not has_date:
        second = int(now)
        dated, line = _last_date[0]
        if second != dated:
            line = date_line(second)
            _last_date[0] = (second, line)
        parts.append(line)
    if not keep_alive:
        parts.append(b"Connection: close\r\n")
    elif http10:
        parts.append(b"Connection: keep-alive\r\n")
    if status in _BODYLESS or status < 200:
        parts.append(b"\r\n")
    elif head:  # no body, and the length a GET would get, as the app said it
        parts.append(b"Content-Length: %s\r\n\r\n" % _declared_length(headers, len(body)))
    else:
        parts.append(b"Content-Length: %d\r\n\r\n" % len(body))
        parts.append(body)
    return b"".join(parts)


def _declared_length(headers: HeaderPairs, default: int) -> bytes:
    for name, value in headers:
        if name.lower() == "content-length" and value.isdigit():
            return value.encode("ascii")
    return b"%d" % default
