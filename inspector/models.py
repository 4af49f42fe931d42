"""Plain values that flow from capture to the store, the API and the websocket.

Immutable NamedTuples rather than frozen dataclasses: several are built for every captured
request, and a tuple is built several times faster (see bench/README.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import repeat
from operator import itemgetter
from typing import Any, Literal, NamedTuple

HeaderPairs = tuple[tuple[str, str], ...]

VerdictStatus = Literal["valid", "invalid", "stale", "missing", "malformed", "unverified"]
# Worst first: the summary shows the worst verdict of a request.
VERDICT_SEVERITY: tuple[VerdictStatus, ...] = (
    "invalid",
    "malformed",
    "stale",
    "missing",
    "unverified",
    "valid",
)


class Verdict(NamedTuple):
    provider: str
    status: VerdictStatus
    reason: str
    header: str | None = None
    received: str | None = None
    expected: str | None = None
    timestamp_age_s: float | None = None
    # False while the likely cause of a mismatch has not been searched for (done on reading).
    complete: bool = True


JSON_HEADERS: HeaderPairs = (("Content-Type", "application/json"),)


def error_body(message: str) -> bytes:
    """The body of every error the hooks listener answers itself: `{"error": message}`."""
    return json.dumps({"error": message}).encode()


class ResponseRecord(NamedTuple):
    """What the hooks listener answered to the sender."""

    status: int
    headers: HeaderPairs
    body: bytes
    duration_ms: float
    source: Literal["inspector", "forward", "error", "har"]  # har: what a HAR recorded


@dataclass(frozen=True, slots=True)
class Replay:
    """One replay: what was sent (for the diff against the original) and what came back."""

    at: float
    target: str
    method: str
    status: int | None
    headers: HeaderPairs
    body: bytes
    duration_ms: float
    error: str | None
    request_headers: HeaderPairs = ()
    request_body: bytes = b""
    edited: bool = False  # sent with a method, path, headers or body of the user's
    resigned: bool = False  # signed again with the configured secret
    note: str | None = None  # e.g. a held delivery's attempt, and whether it was re-signed


_NAME_AND_VALUE = itemgetter(0, 2)  # of a line's partition at ": "


def decode_header_block(block: bytes) -> HeaderPairs:
    """(name, value) pairs, each line split at its first ": ": names Latin-1, values UTF-8.
    An ASCII block (the usual one) is decoded once and split by C loops: no line by line."""
    if not block:
        return ()
    if block.isascii():  # Latin-1 and UTF-8 read ASCII alike
        lines = block[:-2].decode("ascii").split("\r\n")
        return tuple(map(_NAME_AND_VALUE, map(str.partition, lines, repeat(": "))))
    pairs = []
    for line in block[:-2].split(b"\r\n"):
        name, _, value = line.partition(b": ")
        pairs.append((name.decode("latin-1"), value.decode("utf-8", "replace")))
    return tuple(pairs)


class Arrival(NamedTuple):
    """A request as it arrived, before anything is learnt about it (cheap: a tuple)."""

    received_at: float
    method: str
    path: str
    query: str
    http_version: str
    remote: str | None
    header_block: bytes
    body: bytes
    body_size: int
    trailer_block: bytes  # chunked trailers, kept apart from the headers

    def record(self, request_id: int, **learnt: Any) -> CapturedRequest:
        """The stored value, built once with everything known about the request."""
        return CapturedRequest(request_id, *self, **learnt)


class CapturedRequest(NamedTuple):
    """One request exactly as it arrived on the hooks listener, plus what was learnt about it.
    Its fields after `id` begin with Arrival's, in Arrival's order (checked below)."""

    id: int
    received_at: float
    method: str
    path: str
    query: str
    http_version: str
    remote: str | None
    header_block: bytes
    body: bytes
    body_size: int
    trailer_block: bytes
    error: str | None = None
    provider: str | None = None
    event: str | None = None
    delivery_id: str | None = None
    duplicate_of: int | None = None
    signatures: tuple[Verdict, ...] = ()
    response: ResponseRecord | None = None
    replays: tuple[Replay, ...] = ()
    imported: bool = False  # loaded from a HAR file, not received by the hooks listener
    route: tuple[int, str] | None = None  # the route that took it: its index and `to`
    mirrored: tuple[Replay, ...] = ()  # what its route's mirrors answered (never returned)
    # Held by its route while the app was down: "waiting" in the queue, then "delivered"
    # (or "dropped" from the queue by the user).
    held: Literal["waiting", "delivered", "dropped"] | None = None

    @property
    def headers(self) -> HeaderPairs:
        return decode_header_block(self.header_block)

    @property
    def trailers(self) -> HeaderPairs:
        return decode_header_block(self.trailer_block)

    @property
    def stored_bytes(self) -> int:
        """What the byte cap counts: the body and both header blocks."""
        return len(self.body) + len(self.header_block) + len(self.trailer_block)

    @property
    def content_type(self) -> str | None:
        # Every summary shows it: found in the block without decoding every header.
        block = self.header_block
        start = (b"\r\n" + block.lower()).find(b"\r\ncontent-type: ")
        if start < 0:
            return None
        start += len(b"content-type: ")
        return block[start:block.index(b"\r\n", start)].decode("utf-8", "replace")

    @property
    def signature_status(self) -> VerdictStatus | None:
        if len(self.signatures) == 1:
            return self.signatures[0].status
        if not self.signatures:
            return None
        statuses = {verdict.status for verdict in self.signatures}
        return next(status for status in VERDICT_SEVERITY if status in statuses)


if CapturedRequest._fields[1:len(Arrival._fields) + 1] != Arrival._fields:
    # Arrival.record joins the two positionally, for speed: they must not drift apart.
    raise TypeError("CapturedRequest's fields must begin with Arrival's, in the same order")


def header_value(headers: HeaderPairs, name: str) -> str | None:
    """The first value of a header, looked up case-insensitively."""
    wanted = name.lower()
    for key, value in headers:
        if key.lower() == wanted:
            return value
    return None
