"""Turns a request as parsed off the wire into plain values: the one place that does."""

from __future__ import annotations

import functools

from ..models import Arrival, new_tuple
from ..signatures import Headers, shared
from .cycle import PARTS_PER_LINE

# Targets up to this long are split once and remembered (senders post to a few paths, again
# and again); the memo holds at most TARGETS_KEPT of them, whatever senders choose.
SHORT_TARGET = 256
TARGETS_KEPT = 1024
# A head's header names as sent, decoded and lowered once (a sender sends the same names in
# the same order again and again), for heads of up to LINES_KEPT lines and HEAD_KEPT_UP_TO
# bytes: the last HEADS_KEPT such heads are remembered (a few MB at most), the least recently
# seen forgotten first, so that heads a sender makes up cannot push out those that come again.
HEADS_KEPT = 256
LINES_KEPT = 32
HEAD_KEPT_UP_TO = 1024


def arrival(received_at: float, method: str, target: bytes, http_version: str,
            remote: str | None, header_block: bytes, body: bytes, body_size: int,
            trailer_block: bytes) -> Arrival:
    """`target` is the request target as sent: the parser refuses bytes that are not ASCII,
    and latin-1 would keep one that got through rather than fail. `remote` is the peer's
    address as `peer_address` gives it. `header_block` is the header lines as sent, each
    ending in CRLF."""
    last_target, last_split = _last_split[0]  # most requests are to the last one's target
    if target == last_target:
        path, query = last_split
    elif len(target) <= SHORT_TARGET:
        path, query = found = _remembered_split(target)
        _last_split[0] = (target, found)
    else:
        path, query = split(target)
    # Arrival's fields in order, made at once: no NamedTuple constructor frame a request
    return new_tuple(Arrival, (received_at, method, path, query, http_version, remote,
                               header_block, body, body_size, trailer_block))


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


_last_split = [(b"/", split(b"/"))]  # the last short target split, and its path and query


def received_headers(lines: list[bytes], block_size: int) -> Headers | None:
    """The headers as the schemes read them, from the parser's pieces (`RequestInProgress.lines`:
    name, ": ", value, CRLF a line; `block_size` the bytes they join to): the pairs
    `decode_header_block` gives for the joined lines (names Latin-1, values UTF-8 with
    replacement), without splitting the block again. None where the pieces would not split
    back into the same lines (a name holding ": " or CRLF, a value holding CRLF: the parser
    gives neither): the block is decoded then."""
    raw_names = lines[0::PARTS_PER_LINE]
    if block_size <= HEAD_KEPT_UP_TO and len(raw_names) <= LINES_KEPT:
        known = _remembered_names(b"\0".join(raw_names))
        if known is not None and len(known[0]) != len(raw_names):
            known = names_of(tuple(raw_names))  # a name held NUL: these are not those names
    else:
        known = names_of(tuple(raw_names))
    if known is None:
        return None
    names, lowered, repeated = known
    joined = b"\r\n".join(lines[2::PARTS_PER_LINE])
    # UTF-8 with replacement resynchronises at every ASCII byte: decoding the values joined by
    # CRLF is decoding each alone (tests/test_received_headers.py holds this for any bytes).
    values = (joined.decode("ascii") if joined.isascii() else
              joined.decode("utf-8", "replace")).split("\r\n")
    if len(values) != len(names):
        return None  # a value held CRLF
    return Headers.received(names, lowered, values, repeated)


def names_of(raw_names: tuple[bytes, ...]
             ) -> tuple[tuple[str, ...], tuple[str, ...], bool] | None:
    """A head's names decoded, the same lowered, and whether a lowered name repeats; None for a
    name that is not one line's name."""
    if any(b": " in raw or b"\r\n" in raw for raw in raw_names):
        return None
    names = tuple(raw.decode("latin-1") for raw in raw_names)
    lowered = tuple(name.lower() for name in names)
    return names, lowered, len(set(lowered)) != len(lowered)


@functools.lru_cache(maxsize=HEADS_KEPT)
def _remembered_names(joined: bytes) -> tuple[tuple[str, ...], tuple[str, ...], bool] | None:
    """`names_of` the names joined by NUL: one bytes object's hash and compare a head, not one
    a name. Names holding NUL join as more names would, whose count then differs from theirs
    (the caller's check); a name holding ": " or CRLF still holds it once split here."""
    return names_of(tuple(joined.split(b"\0")))
