"""Every engine finds what a plain reference evaluator finds (hypothesis): generated records
(some indexed, some above SQLite's watermark, some not yet committed, some updated or deleted
after indexing) and generated queries, rendered as text for the engines and judged directly
on the records by the reference below, which shares no code with inspector.query."""

from __future__ import annotations

import asyncio
import datetime
import gzip
import json
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import inspector.store.memory as memory_engine
from inspector.captured import CapturedRequest
from inspector.conformance.judged import Judge
from inspector.models import Replay, ResponseRecord, Verdict
from inspector.query import parse, scan
from inspector.store import sqlite_index, sqlite_search, text_index
from inspector.store.memory import MemoryStore
from inspector.store.protocol import Store, Window
from inspector.store.sqlite import SqliteStore

from .conftest import make_capture

NOW = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.UTC).timestamp()
WORDS = ["ab", "abc", "Abc", "xyz", "café", "CAFÉ"]
Test = Callable[[CapturedRequest], bool]


def fold(text: str) -> str:
    return "".join(chr(ord(c) + 32) if "A" <= c <= "Z" else c for c in text)


# ---- records ----

def header_pairs(record: CapturedRequest) -> list[tuple[str, str]]:
    pairs = []
    for line in record.header_block.decode().split("\r\n"):
        if line:
            name, _, value = line.partition(": ")
            pairs.append((name, value))
    return pairs


def headers_named(record: CapturedRequest, name: str) -> list[str]:
    return [value for key, value in header_pairs(record) if key.lower() == name]


def shown(record: CapturedRequest) -> bytes:
    """The body as the page shows it: gzip undone (issue 26.5)."""
    return gzip.decompress(record.body) if headers_named(record, "content-encoding") == [
        "gzip"] else record.body


def body_json(record: CapturedRequest) -> dict[str, Any]:
    try:
        value = json.loads(shown(record))
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    word = st.sampled_from(WORDS)
    kind = draw(st.sampled_from(["json", "form", "text"]))
    body = {"json": lambda: json.dumps({"k": draw(word), "n": draw(st.integers(0, 50))},
                                       ensure_ascii=False),
            "form": lambda: f"k={draw(word)}", "text": lambda: " ".join(draw(st.lists(
                word, max_size=3)))}[kind]().encode()
    content_type = {"json": b"application/json", "form": b"application/x-www-form-urlencoded",
                    "text": b"text/plain"}[kind]
    headers = [(b"Host", draw(st.sampled_from([b"abc.test", b"xyz.test"])))]
    if draw(st.booleans()):
        headers.append((b"Content-Type", content_type))
    if draw(st.booleans()):
        headers.append((b"X-A", draw(word).encode()))
    if draw(st.booleans()):
        headers.append((b"X-Forwarded-For", b"203.0.113.9"))
    if draw(st.integers(0, 3)) == 0:  # searched as the page shows it, decoded
        body = gzip.compress(body, mtime=0)
        headers.append((b"Content-Encoding", b"gzip"))
    verdict = draw(st.sampled_from([None, "valid", "invalid", "stale"]))
    status = draw(st.sampled_from([None, 200, 404, 503]))
    return {
        "method": draw(st.sampled_from(["GET", "POST", "put"])),
        "path": draw(st.sampled_from(["/hooks/abc", "/x", "/Abc/xyz"])),
        "query": draw(st.sampled_from(["", "a=ok", "a=abc&b=xyz"])),
        "headers": headers, "body": body,
        "provider": draw(st.sampled_from([None, "stripe", "github"])),
        "event": draw(st.sampled_from([None, "auth.ok", "abc.created"])),
        "delivery_id": draw(st.sampled_from([None, "evt_abc", "d1"])),
        "signatures": () if verdict is None else (Verdict("github", verdict, "r"),),
        "response": None if status is None else ResponseRecord(status, (), b"", 1.0,
                                                               "inspector"),
        "replays": draw(st.sampled_from([(), (Replay(0.0, "http://t", "POST", 200, (), b"",
                                                     1.0, None),)])),
        "duplicate_of": draw(st.sampled_from([None, 1])),
        "received_at": NOW - draw(st.sampled_from([10, 600, 7200, 90000])),
        "remote": draw(st.sampled_from(["127.0.0.1", "10.0.0.7"])),
    }


# ---- queries: (text, reference test) ----

def contains(text: str, values: Callable[[CapturedRequest], list[str]]) -> Test:
    return lambda r: any(fold(text) in fold(v) for v in values(r))


def exact(text: str, values: Callable[[CapturedRequest], list[str]]) -> Test:
    return lambda r: any(fold(text) == fold(v) for v in values(r))


def optional(value: str | None) -> list[str]:
    return [] if value is None else [value]


def bare_values(r: CapturedRequest) -> list[str]:
    return [r.path, r.query, *(v for _, v in header_pairs(r)), shown(r).decode()]


def json_numbers(r: CapturedRequest) -> list[int]:
    value = body_json(r).get("n")
    return [value] if isinstance(value, int) else []


def worst(r: CapturedRequest) -> str:
    return r.signatures[0].status if r.signatures else "none"


def status_of(r: CapturedRequest) -> int | None:
    return None if r.response is None else r.response.status


def iso(seconds_before_now: int) -> str:
    moment = datetime.datetime.fromtimestamp(NOW - seconds_before_now, datetime.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M")


def leaves(draw: st.DrawFn) -> tuple[str, Test]:  # noqa: C901 - one table of cases
    word = draw(st.sampled_from(WORDS))
    number = draw(st.integers(0, 60))
    case = draw(st.integers(0, 27))
    if case == 0:
        return word, contains(word, bare_values)
    if case == 1:
        return f'"{word} {word}"', contains(f"{word} {word}", bare_values)
    if case == 2:
        return f"path:{word}", contains(word, lambda r: [r.path])
    if case == 3:
        glob = draw(st.sampled_from(["/hooks/*", "*xyz", "/x*", "*b*"]))
        pattern = re.compile(".*".join(re.escape(p) for p in fold(glob).split("*")), re.S)
        return f"path:{glob}", lambda r: pattern.fullmatch(fold(r.path)) is not None
    if case == 4:
        regex = draw(st.sampled_from(["^/x", "Abc", "abc$"]))
        return f"path:/{regex}/", lambda r: re.search(regex, r.path) is not None
    if case == 5:
        method = draw(st.sampled_from(["get", "POST", "PUT"]))
        return f"method:{method}", exact(method, lambda r: [r.method])
    if case == 6:
        provider = draw(st.sampled_from(["stripe", "github"]))
        return f"provider:{provider}", exact(provider, lambda r: optional(r.provider))
    if case == 7:
        return f"event:{word}", contains(word, lambda r: optional(r.event))
    if case == 8:
        return f"delivery:={word}", exact(word, lambda r: optional(r.delivery_id))
    if case == 9:
        return f"header.x-a:{word}", contains(word, lambda r: headers_named(r, "x-a"))
    if case == 10:
        return f"query.a:={word}", exact(word, lambda r: [v.partition("=")[2] for v in
                                                        r.query.split("&") if
                                                        v.startswith("a=")])
    if case == 11:
        return f"json.k:{word}", contains(word, lambda r: [body_json(r)["k"]]
                                          if "k" in body_json(r) else [])
    if case == 12:
        return f"json.n:>{number}", lambda r: any(n > number for n in json_numbers(r))
    if case == 13:
        return f"json.n:{number}..{number + 10}", \
            lambda r: any(number <= n <= number + 10 for n in json_numbers(r))
    if case == 14:
        return f"body:{word}", contains(word, lambda r: [shown(r).decode()])
    if case == 15:
        sig = draw(st.sampled_from(["valid", "invalid", "none"]))
        return f"sig:{sig}", lambda r: worst(r) == sig
    if case == 16:
        truth = draw(st.booleans())
        return f"dup:{str(truth).lower()}", lambda r: (r.duplicate_of is not None) is truth
    if case == 17:
        truth = draw(st.booleans())
        return f"replayed:{str(truth).lower()}", lambda r: bool(r.replays) is truth
    if case == 18:
        code = draw(st.sampled_from(["5xx", "404", ">=400", "2xx..4xx"]))
        low, high = {"5xx": (500, 599), "404": (404, 404), ">=400": (400, 10**6),
                     "2xx..4xx": (200, 499)}[code]
        return f"status:{code}", lambda r: (s := status_of(r)) is not None and low <= s <= high
    if case == 19:
        return f"size:>{number}", lambda r: r.body_size > number
    if case == 20:
        return "size:<1kb", lambda r: r.body_size < 1024
    if case == 21:
        minutes = draw(st.sampled_from([5, 15, 180, 2000]))
        return f"time:>now-{minutes}m", lambda r: r.received_at > NOW - minutes * 60
    if case == 22:
        start, end = sorted(draw(st.lists(st.sampled_from([10, 600, 7200, 90000]),
                                          min_size=2, max_size=2)), reverse=True)
        low, high = NOW - start - (NOW - start) % 60, NOW - end - (NOW - end) % 60 + 60
        return f"time:{iso(start)}..{iso(end)}", lambda r: low <= r.received_at < high
    if case == 23:
        return f"id:{number // 10}..{number // 5}", \
            lambda r: number // 10 <= r.id <= number // 5
    if case == 24:
        field, values = draw(st.sampled_from([
            ("provider", lambda r: optional(r.provider)),
            ("header.x-a", lambda r: headers_named(r, "x-a")),
            ("json.k", lambda r: [body_json(r).get("k") or ""]),
            ("status", lambda r: [] if status_of(r) is None else ["x"])]))
        present = draw(st.booleans())
        return f"{'has' if present else 'missing'}:{field}", \
            lambda r: any(v != "" for v in values(r)) is present
    if case == 25:
        host = draw(st.sampled_from(["abc", "xyz.test"]))
        return f"host:{host}", contains(host, lambda r: headers_named(r, "host"))
    if case == 26:
        return "ct:form", contains("form", lambda r: headers_named(r, "content-type"))
    return "ip:203.0.113", contains("203.0.113", lambda r: [r.remote or "", *headers_named(
        r, "x-forwarded-for")])


@st.composite
def queries(draw: st.DrawFn, depth: int = 0) -> tuple[str, Test, bool]:
    """(text, test, compound): a compound query is parenthesised where it is nested."""
    shape = draw(st.sampled_from(["leaf", "leaf", "and", "or", "not"] if depth < 3 else
                                 ["leaf"]))
    if shape == "leaf":
        text, test = leaves(draw)
        return text, test, False
    if shape == "not":
        text, test, compound = draw(queries(depth + 1))
        inner = f"({text})" if compound else text
        prefix = draw(st.sampled_from(["NOT ", "-"]))
        return prefix + inner, lambda r: not test(r), False
    parts = draw(st.lists(queries(depth + 1), min_size=2, max_size=3))
    texts = [f"({t})" if compound else t for t, _, compound in parts]
    tests = [test for _, test, _ in parts]
    if shape == "and":
        joiner = draw(st.sampled_from([" ", " AND "]))
        return joiner.join(texts), lambda r: all(t(r) for t in tests), True
    return " OR ".join(texts), lambda r: any(t(r) for t in tests), True


# ---- the engines ----

# The pieces a search is cut into (SQLite's spans of ids and its reads, the text pass's
# chunks), at their smallest in half the examples.
PIECES: list[tuple[Any, str, float]] = [(sqlite_search, "FIRST_SPAN", 1),
                                        (sqlite_search, "SPAN_S", 0.0),  # never widen
                                        (sqlite_search, "FETCH", 2), (scan, "CHUNK", 2)]
DEFAULT_PIECES = [getattr(module, name) for module, name, _ in PIECES]

async def caught_up(store: Store) -> None:
    """SQLite's index caught up, or the memory engine's made for every full block."""
    def behind() -> bool:
        if isinstance(store, SqliteStore):
            return store.indexed_through < store.last_id
        return isinstance(store, MemoryStore) and store.blocks_unindexed > 0
    while behind():
        await asyncio.sleep(0.001)


async def stored(store: Store, fields: list[dict[str, Any]], updates: list[int],
                 deletes: list[int]) -> list[CapturedRequest]:
    """A third of the records indexed, a third committed above SQLite's watermark (in memory:
    in a block not indexed yet), a third still queued; then some updated (a new answer) and
    some deleted."""
    thirds = [fields[: len(fields) // 3], fields[len(fields) // 3: 2 * len(fields) // 3],
              fields[2 * len(fields) // 3:]]
    for third, settle in zip(thirds, ("index", "commit", None), strict=True):
        for values in third:
            store.add(make_capture(id=store.next_id(), **values))
        if settle is not None and (waiter := store.durable()) is not None:
            await waiter
        if settle == "index":
            await caught_up(store)
    for request_id in updates:
        record = store.get(request_id)
        if record is not None:
            store.replace(record._replace(response=ResponseRecord(503, (), b"", 1.0, "error")))
    for request_id in deletes:
        store.delete([request_id])
    return [record for i in range(1, len(fields) + 1) if (record := store.get(i)) is not None]


async def results(engine: str, directory: str, fields: list[dict[str, Any]], updates: list[int],
                  deletes: list[int], texts: list[str], judge: Judge | None = None
                  ) -> tuple[list[CapturedRequest], list[tuple[list[int], list[int], int]]]:
    loop = asyncio.get_running_loop()
    store: Store = MemoryStore(1000, 10**9) if engine == "memory" else \
        SqliteStore(Path(directory) / "h.db", 1000, 10**9, loop)
    if judge is not None:
        store.judge = judge
    try:
        kept = await stored(store, fields, updates, deletes)
        answers = []
        for text in texts:
            query = parse(text)
            answers.append(([r.id for r in store.search(query, NOW)],
                            [r.id for r in store.search(query, NOW, Window(limit=3,
                                                                           newest=True))],
                            store.count(query, NOW)))
        return kept, answers
    finally:
        await store.close()


@pytest.mark.parametrize("engine", ["memory", "sqlite"])
@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(fields=st.lists(records(), min_size=3, max_size=15),
       updates=st.lists(st.integers(1, 15), max_size=3),
       deletes=st.lists(st.integers(1, 15), max_size=2),
       generated=st.lists(queries(), min_size=8, max_size=8),
       narrow=st.booleans())
def test_every_engine_finds_what_the_reference_finds(
        engine: str, monkeypatch: pytest.MonkeyPatch, fields: list[dict[str, Any]],
        updates: list[int], deletes: list[int],
        generated: list[tuple[str, Test, bool]], narrow: bool) -> None:
    monkeypatch.setattr(sqlite_index, "INDEX_QUIET_S", 0.0)  # index as soon as it may
    monkeypatch.setattr(memory_engine, "INDEX_WAIT_S", 0.0)  # so does memory,
    monkeypatch.setattr(text_index, "BLOCK", 2)  # two records a block
    monkeypatch.setattr(text_index, "MAX_SHARE", float("inf"))  # kept however large
    for (module, name, small), default in zip(PIECES, DEFAULT_PIECES, strict=True):
        monkeypatch.setattr(module, name, small if narrow else default)
    with tempfile.TemporaryDirectory() as directory:
        kept, answers = asyncio.run(results(engine, directory, fields, updates, deletes,
                                            [text for text, _, _ in generated]))
    for (text, test, _), (found, newest, count) in zip(generated, answers, strict=True):
        expected = [record.id for record in kept if test(record)]
        assert (text, found) == (text, expected)
        assert (text, newest) == (text, expected[-3:])
        assert (text, count) == (text, len(expected))
