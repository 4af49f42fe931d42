"""Searching the SQLite engine: the index answers for the rows up to its watermark (exactly,
or narrowing what the predicate then checks), the predicate for the rows above it and for the
writes not yet committed; the three id-ordered streams are merged."""

from __future__ import annotations

import heapq
import itertools
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import NamedTuple

from ..models import CapturedRequest
from ..query import Node, matcher
from .protocol import Window
from .sql_query import translate

Found = tuple[int, CapturedRequest | None]  # an id, with its record when it was read
FETCH = 200  # records read per statement


class View(NamedTuple):
    """What a search reads of the store: its connection, the ids it holds, its queued
    writes (None once deleted), whether it was cleared this turn, and the watermark."""

    db: sqlite3.Connection
    stored: Mapping[int, int]
    pending: Mapping[int, CapturedRequest | None]
    cleared: bool
    indexed: int
    columns: str
    decode: Callable[[tuple[int, str, bytes, bytes, bytes]], CapturedRequest]


def _bounds(window: Window, low: int, high: int | None = None
            ) -> tuple[str, tuple[object, ...]]:
    """Ids above `low` and the window's `after`, up to `high`, below the window's `before`."""
    sql: list[str] = ["id > ?"]
    params: list[object] = [max(window.after, low)]
    if high is not None:
        sql, params = [*sql, "id <= ?"], [*params, high]
    if window.before is not None:
        sql, params = [*sql, "id < ?"], [*params, window.before]
    return " AND ".join(sql), tuple(params)


def _wanted(view: View, request_id: int) -> bool:
    return request_id in view.stored and request_id not in view.pending and not view.cleared


def _records(view: View, sql: str, params: tuple[object, ...]) -> Iterator[CapturedRequest]:
    for row in view.db.execute(f"SELECT {view.columns} FROM requests WHERE {sql}", params):
        if _wanted(view, row[0]):
            yield view.decode(row)


def _indexed(view: View, query: Node, now: float, window: Window) -> Iterator[Found]:
    clause = translate(query, now)
    order = "DESC" if window.newest else "ASC"
    where, params = _bounds(window, 0, view.indexed)
    if clause is not None:
        where, params = f"({clause.sql}) AND {where}", (*clause.params, *params)
    ids = (request_id for (request_id,) in
           view.db.execute(f"SELECT id FROM facets WHERE {where} ORDER BY id {order}", params)
           if _wanted(view, request_id))
    if clause is not None and clause.exact:
        yield from ((request_id, None) for request_id in ids)
        return
    test = matcher(query, now)
    while chunk := list(itertools.islice(ids, FETCH)):
        marks = ",".join("?" * len(chunk))
        loaded = {r.id: r for r in _records(view, f"id IN ({marks})", tuple(chunk))}
        yield from ((i, loaded[i]) for i in chunk if i in loaded and test(loaded[i]))


def _above_watermark(view: View, query: Node, now: float, window: Window) -> Iterator[Found]:
    test = matcher(query, now)
    where, params = _bounds(window, view.indexed)
    order = "DESC" if window.newest else "ASC"
    for record in _records(view, f"{where} ORDER BY id {order}", params):
        if test(record):
            yield record.id, record


def _queued(view: View, query: Node, now: float, window: Window) -> list[Found]:
    test = matcher(query, now)
    found = [(request_id, record) for request_id, record in view.pending.items()
             if record is not None and request_id in view.stored and request_id > window.after
             and (window.before is None or request_id < window.before) and test(record)]
    return sorted(found, key=lambda item: item[0], reverse=window.newest)


def matches(view: View, query: Node, now: float, window: Window) -> Iterator[Found]:
    """Every match in id order (descending with `newest`), up to the window's limit."""
    streams: list[Iterable[Found]] = [_indexed(view, query, now, window),
                                      _above_watermark(view, query, now, window),
                                      _queued(view, query, now, window)]
    merged = heapq.merge(*streams, key=lambda item: item[0], reverse=window.newest)
    return itertools.islice(merged, window.limit)


def search(view: View, query: Node, now: float, window: Window) -> list[CapturedRequest]:
    found = list(matches(view, query, now, window))
    missing = [request_id for request_id, record in found if record is None]
    loaded: dict[int, CapturedRequest] = {}
    for start in range(0, len(missing), FETCH):
        chunk = tuple(missing[start:start + FETCH])
        loaded.update((r.id, r) for r in _records(view, f"id IN ({','.join('?' * len(chunk))})",
                                                  chunk))
    records = [record or loaded.get(request_id) for request_id, record in found]
    result = [record for record in records if record is not None]
    return result[::-1] if window.newest else result
