"""HAR 1.2 in: the requests of a HAR document as arrivals, checked field by field.

Pure: it takes the document's bytes as they arrive and the capture limits, and gives values,
or a HarError that names the entry and the field at fault. The document is read one entry at
a time (`har_stream`), in steps that run beside capture. The HAR's answer to each request is
kept apart (`har_answer`): what some other server said, never what this inspector answered.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any, NamedTuple
from urllib.parse import urlencode, urlsplit

from .har_answer import har_answer
from .har_stream import EntryStream
from .har_text import HarError
from .har_values import TOKEN, field, headers_of, plain, text_bytes, utf8
from .models import Arrival, ResponseRecord
from .steps import Steps

# The hooks listener's head limits (hooks/connection.py), which an import must not exceed either.
MAX_HEADERS = 256
MAX_HEAD_BYTES = 64 * 1024

_VERSION = re.compile(r"[A-Za-z0-9/.]{1,16}")  # HTTP/1.1, http/2.0, h3


class Imported(NamedTuple):
    arrival: Arrival
    note: str | None  # what the HAR left out (shown as the request's error)
    response: ResponseRecord | None = None  # what the HAR's server answered


class Limits(NamedTuple):
    max_body: int
    max_requests: int
    max_bytes: int
    max_document: int  # bytes of JSON, once a compressed `.zhar` is inflated


def entry_chars(max_body: int) -> int:
    """The most JSON one entry may take: its request's body as base64 or escaped text, as
    much again for the answer it carries, and a MiB for the rest."""
    return 4 * max_body + 1024 * 1024


class HarReader:
    """A document's requests as its bytes arrive: `feed` each piece, then `finish`; each gives
    the entries completed so far, checked (HarError at the first fault), and within the
    history's limits taken together."""

    def __init__(self, limits: Limits) -> None:
        self._limits = limits
        self._stream = EntryStream(entry_chars(limits.max_body), limits.max_document)
        self._count = self._bytes = 0

    def feed(self, data: bytes) -> Steps[list[Imported]]:
        return (yield from self._checked((yield from self._stream.feed(data))))

    def finish(self) -> Steps[list[Imported]]:
        return (yield from self._checked((yield from self._stream.finish())))

    def _checked(self, values: list[Any]) -> Steps[list[Imported]]:
        found, limits = [], self._limits
        for value in values:
            where = f"log.entries[{self._count}]"
            self._count += 1
            if self._count > limits.max_requests:
                raise HarError(f"log.entries: more than {limits.max_requests} entries exceed "
                               f"--max-requests {limits.max_requests}")
            entry = yield from _arrival(value, where, limits.max_body)
            self._bytes += len(entry.arrival.body) + len(entry.arrival.header_block)
            if self._bytes > limits.max_bytes:
                raise HarError(f"log.entries: {self._bytes} bytes of requests (to {where}) "
                               f"exceed --max-bytes {limits.max_bytes}")
            found.append(entry)
        return found


def _arrival(entry: Any, where: str, max_body: int) -> Steps[Imported]:
    if not isinstance(entry, dict):
        raise HarError(f"{where}: expected an object")
    request = field(entry, "request", dict, where)
    at = f"{where}.request"
    method = field(request, "method", str, at)
    if not TOKEN.fullmatch(method):
        raise HarError(f"{at}.method: not an HTTP method: {method[:40]!r}")
    path, query = _target(field(request, "url", str, at), f"{at}.url")
    body = yield from _body(request, at, max_body)
    header_block = _header_block(field(request, "headers", list, at, []), f"{at}.headers")
    version = request.get("httpVersion")
    if not isinstance(version, str) or not _VERSION.fullmatch(version):
        version = "HTTP/1.1"
    arrival = Arrival(_started(entry, where), method, path, query, version, None,
                      header_block, body, len(body), b"")
    answer = yield from har_answer(entry, where, max_body)
    notes = [note for note in (_missing_body(request, body), answer.note) if note]
    return Imported(arrival, "; ".join(notes) or None, answer.response)


def _missing_body(request: dict[str, Any], body: bytes) -> str | None:
    """DevTools leave out some bodies (uploads, large ones) but still give their size."""
    declared = request.get("bodySize")
    if not body and type(declared) is int and declared > 0:
        return f"the HAR holds no body for this request (bodySize {declared})"
    return None


def _started(entry: dict[str, Any], where: str) -> float:
    text = field(entry, "startedDateTime", str, where)
    try:
        started = datetime.fromisoformat(text)
    except ValueError:
        raise HarError(f"{where}.startedDateTime: not an ISO 8601 time: {text[:40]!r}") from None
    if started.tzinfo is None:  # HAR times carry an offset; one without is read as UTC
        started = started.replace(tzinfo=UTC)
    return started.timestamp()


def _target(url: str, where: str) -> tuple[str, str]:
    """The path and raw query of an absolute URL (or of an origin-form one)."""
    if any(char in url for char in " \r\n\t\x00"):
        raise HarError(f"{where}: whitespace or control characters in the URL")
    if not url.isascii():
        raise HarError(f"{where}: not ASCII (a request target is sent percent-encoded)")
    try:  # a `#` the capture kept stays in the path or query, as it was received
        parts = urlsplit(url, allow_fragments=False)
    except ValueError as error:
        raise HarError(f"{where}: {error}") from None
    path = parts.path or "/"
    if parts.scheme not in ("http", "https", "") or not path.startswith("/"):
        raise HarError(f"{where}: not an http(s) URL: {url[:80]!r}")
    return path, parts.query


def _header_block(headers: list[Any], where: str) -> bytes:
    """`name: value` lines ending in CRLF, as the hooks listener stores them."""
    lines = []
    for name, value, at in headers_of(headers, where):
        if any(char in value for char in "\r\n\x00"):
            raise HarError(f"{at}.value: CR, LF or NUL in the value of {name}")
        lines.append(f"{name}: ".encode() + utf8(value, f"{at}.value") + b"\r\n")
    block = b"".join(lines)
    if len(lines) > MAX_HEADERS or len(block) > MAX_HEAD_BYTES:
        raise HarError(f"{where}: {len(lines)} headers, {len(block)} bytes exceed the capture "
                       f"limits ({MAX_HEADERS} headers, {MAX_HEAD_BYTES} bytes)")
    return block


def _body(request: dict[str, Any], where: str, max_body: int) -> Steps[bytes]:
    post = request.get("postData")
    if post is None:
        return b""
    at = f"{where}.postData"
    if not isinstance(post, dict):
        raise HarError(f"{at}: expected an object")
    body = _from_params(post, at) if post.get("text") is None else \
        (yield from text_bytes(post, at))
    if len(body) > max_body:
        raise HarError(f"{at}: body of {len(body)} bytes exceeds --max-body {max_body}")
    return body


def _from_params(post: dict[str, Any], where: str) -> bytes:
    """A form given only as `params` (no `text`), as some exporters write it."""
    params = field(post, "params", list, where, [])
    if not params:
        return b""
    mime = str(plain(post.get("mimeType", "")))
    if not mime.startswith("application/x-www-form-urlencoded"):
        raise HarError(f"{where}: params without text can only be rebuilt for a urlencoded "
                       f"form, not {mime[:60]!r}")
    pairs = []
    for index, param in enumerate(params):
        at = f"{where}.params[{index}]"
        if not isinstance(param, dict):
            raise HarError(f"{at}: expected an object")
        pairs.append((field(param, "name", str, at), field(param, "value", str, at, "")))
    return urlencode(pairs).encode()
