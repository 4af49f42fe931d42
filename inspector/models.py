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

# A NamedTuple made from its fields in order, without its constructor's frame, where every
# request makes one; bound once, as looking `__new__` up on `tuple` costs more than its call.
new_tuple = tuple.__new__

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


class HeaderShown(Verdict):
    """A valid verdict (the keyed shortcut's) whose `received` and `expected` are its header's
    value cut by `short`, as sent and stripped: a stored request keeps neither (captured.py)."""

    __slots__ = ()

    def _replace(self, **changes: Any) -> Verdict:  # type: ignore[override]
        """A changed verdict no longer vouches for what the header gives."""
        return Verdict(*self)._replace(**changes)


def short(value: str | None, keep: int = 16) -> str | None:
    if value is None or len(value) <= keep:
        return value
    return value[:keep] + "…"


JSON_HEADERS: HeaderPairs = (("Content-Type", "application/json"),)


def error_body(message: str) -> bytes:
    """The body of every error the hooks listener answers itself: `{"error": message}`."""
    return json.dumps({"error": message}).encode()


NUMBERED_BODY = b'{"ok": true, "id": %d}'


def numbered_body(request_id: int | None) -> bytes:
    """The default answer's body; a null id while the store cannot give one (Redis away)."""
    if request_id is None:
        return b'{"ok": true, "id": null}'
    return NUMBERED_BODY % request_id


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


def block_value(block: bytes, name: str) -> str | None:
    """`header_value(decode_header_block(block), name)`, found in the block without decoding
    every header: the first line whose name is `name` in any case (a line without ": " is all
    name)."""
    if not name.isascii() or ": " in name or not name.isprintable() or \
            not block.endswith(b"\r\n"):
        return header_value(decode_header_block(block), name)
    lowered, line = b"\r\n" + block.lower(), b"\r\n" + name.lower().encode()
    start, bare = lowered.find(line + b": "), lowered.find(line + b"\r\n")
    if bare >= 0 and not 0 <= start < bare:
        return ""
    if start < 0:
        return None
    start += len(line)  # the value's start in `block`: `lowered` has two bytes more
    return block[start:block.index(b"\r\n", start)].decode("utf-8", "replace")


def content_type_in(block: bytes, lowered: bytes) -> str | None:
    """A header block's Content-Type (`lowered`: a CRLF and the block, lowered). Every summary
    shows it: found in the block without decoding every header."""
    start = lowered.find(b"\r\ncontent-type: ")
    if start < 0:
        return None
    start += len(b"content-type: ")
    return block[start:block.index(b"\r\n", start)].decode("utf-8", "replace")


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


def header_value(headers: HeaderPairs, name: str) -> str | None:
    """The first value of a header, looked up case-insensitively."""
    wanted = name.lower()
    for key, value in headers:
        if key.lower() == wanted:
            return value
    return None


