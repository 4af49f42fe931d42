"""Searching the SQLite engine a span of ids at a time: each span's SQL costs a couple of
milliseconds (the next span's width follows what this one cost), then the predicate reads
what it found in chunks of bounded bytes. The index answers for the rows up to its watermark
(exactly, or narrowing what the predicate then checks), the predicate for the rows above it
and for the writes not yet committed. The event loop may run between any two pieces (SPEC 3:
a search never holds capture), and each piece reads the store as it is when it runs."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping
from typing import NamedTuple

from ..captured import CapturedRequest
from ..conformance.judged import Judge
from ..query import Node
from ..query.evaluate import Tester
from .protocol import Scanned, Window
from .sql_query import Clause, translate

FETCH = 32  # records read per statement (well under 1 ms to decode),
FETCH_BYTES = 256 * 1024  # holding no more than this unless one record alone does
SPAN_S = 0.001  # what finding a span's ids should cost: below half, the next is twice as wide
FIRST_SPAN = 64
WIDEST_SPAN = 1 << 20


class View(NamedTuple):
    """What a search reads of the store: its connection, the ids it holds (with their sizes)
    and its queued writes (None once deleted), both as they are at each piece; the watermark
    and the highest id when the search began."""

    db: sqlite3.Connection
    stored: Mapping[int, int]
    pending: Mapping[int, CapturedRequest | None]
    indexed: int
    last_id: int
    columns: str
    decode: Callable[[tuple[int, str, bytes, bytes, bytes]], CapturedRequest]


def _ids(view: View, sql: str, params: tuple[object, ...]) -> set[int]:
    return {request_id for (request_id,) in view.db.execute(sql, params)}


def _candidates(view: View, clause: Clause | None, low: int, high: int
                ) -> tuple[set[int], set[int]]:
    """The ids above `low` up to `high` known to match, and those the predicate must check."""
    every = "SELECT id FROM requests WHERE id > ? AND id <= ?"
    if clause is None:
        return set(), _ids(view, every, (low, high))
    indexed_high = min(high, view.indexed)
    chosen: set[int] = set()
    if low < indexed_high:
        chosen = _ids(view, f"SELECT id FROM facets WHERE ({clause.sql}) AND id > ? AND id <= ?",
                      (*clause.bound(low, indexed_high), low, indexed_high))
    above = _ids(view, every, (max(low, view.indexed), high)) if high > view.indexed else set()
    return (chosen, above) if clause.exact else (set(), chosen | above)


def _chunks(view: View, ids: list[int]) -> Iterator[list[int]]:
    """FETCH ids at a time, fewer when their records hold over FETCH_BYTES."""
    chunk: list[int] = []
    size = 0
    for request_id in ids:
        chunk.append(request_id)
        size += view.stored.get(request_id, 0)
        if len(chunk) == FETCH or size >= FETCH_BYTES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _load(view: View, ids: list[int]) -> dict[int, CapturedRequest]:
    if not ids:
        return {}
    rows = view.db.execute(f"SELECT {view.columns} FROM requests WHERE id IN "
                           f"({','.join('?' * len(ids))})", ids).fetchall()
    return {row[0]: view.decode(row) for row in rows}


def _checked(view: View, ids: list[int], known: set[int], tester: Tester,
             load: bool) -> Iterator[Scanned]:
    """Each id that matches, with its record (unless known to match and not `load`); None for
    each that does not. A chunk's rows are read at once; what is stored and queued is read
    again for each id (a record deleted since is dropped, one queued since is tested)."""
    for chunk in _chunks(view, ids):
        rows = _load(view, [i for i in chunk if i in view.stored and i not in view.pending
                            and (load or i not in known)])
        for request_id in chunk:
            if request_id not in view.stored:
                yield None
                continue
            if request_id in view.pending:
                record = view.pending[request_id]
                matched = record is not None and (yield from tester.steps(record))
            else:
                record = rows.get(request_id)
                matched = request_id in known if record is None else \
                    request_id in known or (yield from tester.steps(record))
            yield (request_id, record) if matched and (record is not None or not load) else None
        yield None


def _next_width(width: int, cost: float) -> int:
    if cost < SPAN_S / 2:
        return min(width * 2, WIDEST_SPAN)
    return max(width // 2, 1) if cost > SPAN_S else width


def matches(view: View, query: Node, now: float, window: Window, load: bool, judge: Judge
            ) -> Iterator[Scanned]:
    """Every match in the window's id order (descending with `newest`), with None after each
    piece of work (and the verdicts it wants made); the caller stops at its limit."""
    clause, tester = translate(query, now), Tester(query, now, judge)
    oldest = next(iter(view.stored), view.last_id + 1)
    low = max(window.after, oldest - 1)
    high = view.last_id if window.before is None else min(window.before - 1, view.last_id)
    width = FIRST_SPAN
    while low < high:
        span_low, span_high = (max(high - width, low), high) if window.newest else \
            (low, min(low + width, high))
        started = time.perf_counter()
        known, unknown = _candidates(view, clause, span_low, span_high)
        queued = {i for i in view.pending if span_low < i <= span_high}
        ids = sorted(known | unknown | queued, reverse=window.newest)
        width = _next_width(width, time.perf_counter() - started)
        yield None
        yield from _checked(view, ids, known, tester, load)
        low, high = (low, span_low) if window.newest else (span_high, high)
