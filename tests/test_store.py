"""One behavioural suite for every store engine: bounds, order, dedupe, durability, paging.
Memory and SQLite give ids in this process; Redis gives them as it writes (a real
redis-server, see tests/redis_server.py)."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any, cast

import pytest

from inspector.captured import CapturedRequest
from inspector.models import Arrival
from inspector.store import open_store
from inspector.store.memory import MemoryStore
from inspector.store.protocol import Change, Store, records_before
from inspector.store.sqlite import SqliteStore

from .conftest import eventually, make_capture
from .redis_server import RedisServer


def arrived(record: CapturedRequest) -> tuple[Arrival, dict[str, Any]]:
    """A record as the hooks listener hands it to the store: what arrived, what was learnt."""
    fields = record._asdict()
    arrival = Arrival(*(fields.pop(name) for name in Arrival._fields))
    del fields["id"]
    return arrival, fields


def heard(kind: str, change: Change) -> tuple[str, object]:
    """An announcement as the tests compare it: a record by its id."""
    return kind, change.id if isinstance(change, CapturedRequest) else change


class Engine:
    """Writes to any engine the way SharedState does, and hears what it announces."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.heard: list[tuple[str, object]] = []
        store.announce = lambda kind, change: self.heard.append(heard(kind, change))

    async def put(self, dedupe_key: str | None = None, **fields: Any) -> CapturedRequest:
        arrival, learnt = arrived(make_capture(id=0, **fields))
        response = learnt.pop("response")
        learnt["duplicate_of"] = self.store.original_of(dedupe_key) if dedupe_key else None
        record, durable = self.store.submit(arrival, learnt, dedupe_key, response, False)
        if record is None:  # the store gives the id as it writes
            assert durable is not None
            record = await durable
            assert record is not None
        return record


MakeStore = Callable[..., Awaitable[Engine]]


@pytest.fixture(params=["memory", "sqlite", "redis"])
async def make_store(request: Any, tmp_path: Path) -> AsyncIterator[MakeStore]:
    opened: list[Store] = []
    server = RedisServer(tmp_path) if request.param == "redis" else None
    if server is not None:
        server.start()

    async def make(max_requests: int = 100, max_bytes: int = 10**9,
                   name: str = "history.db") -> Engine:
        store: Store
        if request.param == "memory":
            store = MemoryStore(max_requests, max_bytes)
        elif request.param == "sqlite":
            store = SqliteStore(tmp_path / name, max_requests, max_bytes,
                                asyncio.get_running_loop())
        else:
            assert server is not None
            store = await open_store(f"{server.url[:-1]}{len(opened)}", max_requests,
                                     max_bytes, err=io.StringIO())
        opened.append(store)
        return Engine(store)

    yield make
    for store in opened:
        await store.close()
    if server is not None:
        server.stop()


async def fill(engine: Engine, count: int, body: bytes = b"x") -> None:
    for _ in range(count):
        await engine.put(body=body, headers=[])


def ids(records: list[Any]) -> list[int]:
    return [record.id for record in records]


async def settled(store: Store) -> None:
    """Everything written so far is durable (a no-op for memory) and, for a shared store,
    written and read back from its log."""
    waiter = store.durable()
    if waiter is not None:
        await waiter
    if store.engine == "redis":
        await cast(Any, store).drained()


async def test_count_cap_evicts_oldest_first(make_store: MakeStore) -> None:
    engine = await make_store(max_requests=3)
    store = engine.store
    await fill(engine, 5)
    for _ in range(2):  # before and after the writes are committed
        assert ids(store.after(0)) == [3, 4, 5]
        assert store.get(1) is None and store.get(5) is not None
        await settled(store)
    assert engine.heard == [("request", 1), ("request", 2), ("request", 3), ("request", 4),
                            ("delete", [1]), ("request", 5), ("delete", [2])]


async def test_every_engine_announces_each_change_once_it_takes_effect(
        make_store: MakeStore) -> None:
    """One way down and out: whoever stores, the engine announces (added, evicted, replaced,
    deleted, cleared); a durable engine once committed, a shared one from its log."""
    engine = await make_store(max_requests=2)
    store = engine.store

    async def announced(*changes: tuple[str, object]) -> None:
        if store.engine == "sqlite":
            assert engine.heard == []  # nothing is announced before it is committed
        await settled(store)
        await eventually(lambda: asyncio.sleep(0, len(engine.heard) >= len(changes)))
        assert engine.heard == list(changes)
        engine.heard.clear()

    await fill(engine, 3)
    await announced(("request", 1), ("request", 2), ("request", 3), ("delete", [1]))
    changed = store.get(2)
    assert changed is not None and store.replace(changed._replace(error="changed"))
    assert not store.replace(make_capture(id=99))
    await announced(("update", 2))
    assert store.replace(changed._replace(error="no summary shows it"), quiet=True)
    # Quiet where this process holds the history; a shared one's instances each learn it
    # from the log, and announce it.
    await announced(*[("update", 2)] * (store.engine == "redis"))
    assert store.delete([3, 1, 99]) == [3]
    await announced(("delete", [3]))
    store.clear()
    await announced(("clear", None))


async def test_byte_cap_counts_stored_bytes(make_store: MakeStore) -> None:
    engine = await make_store(max_bytes=25)
    await fill(engine, 4, body=b"0123456789")
    assert ids(engine.store.after(0)) == [3, 4]


async def test_a_single_oversized_body_is_still_kept(make_store: MakeStore) -> None:
    engine = await make_store(max_bytes=5)
    await fill(engine, 2, body=b"0123456789")
    assert ids(engine.store.after(0)) == [2]


async def test_after_and_newest_skip_deleted_and_evicted(make_store: MakeStore) -> None:
    engine = await make_store(max_requests=4)
    store = engine.store
    await fill(engine, 6)
    assert store.delete([4]) == [4]
    assert store.delete([4]) == []
    for _ in range(2):
        assert ids(store.after(0)) == [3, 5, 6]
        assert ids(store.after(3)) == [5, 6]
        assert ids(store.after(0, limit=2)) == [3, 5]
        assert ids(store.newest(2)) == [5, 6]
        assert ids(store.newest(10)) == [3, 5, 6]
        await settled(store)


async def test_order_stays_correct_across_compaction(make_store: MakeStore) -> None:
    engine = await make_store(max_requests=10)
    store = engine.store
    await fill(engine, 3000)
    await settled(store)
    assert ids(store.after(0)) == list(range(2991, 3001))
    assert ids(store.after(2995)) == list(range(2996, 3001))


async def test_dedupe_index_follows_eviction(make_store: MakeStore) -> None:
    engine = await make_store(max_requests=2)
    first = await engine.put(dedupe_key="k")
    again = await engine.put(dedupe_key="k")
    await settled(engine.store)
    assert (first.id, first.duplicate_of, again.duplicate_of) == (1, None, 1)
    await engine.put()  # evicts the original: the key has no original any more
    await settled(engine.store)
    assert (await engine.put(dedupe_key="k")).duplicate_of is None


async def test_clear_keeps_ids_growing(make_store: MakeStore) -> None:
    engine = await make_store(max_requests=10)
    store = engine.store
    await fill(engine, 3)
    store.clear()
    assert len(store) == 0 and store.after(0) == []
    await settled(store)
    assert store.after(0) == []
    assert (await engine.put()).id == 4


async def test_replace_keeps_the_newest_version(make_store: MakeStore) -> None:
    engine = await make_store()
    store = engine.store
    await fill(engine, 2)
    store.replace(store.get(1)._replace(error="changed"))  # type: ignore[union-attr]
    assert not store.replace(make_capture(id=99))
    for _ in range(2):
        assert [r.error for r in store.after(0)] == ["changed", None]
        await settled(store)


async def test_the_byte_cap_counts_header_blocks_and_trailers(make_store: MakeStore) -> None:
    engine = await make_store(max_bytes=120)
    for _ in range(3):
        await engine.put(body=b"", headers=[(b"X-A", b"a" * 40)],
                         trailer_block=b"X-T: " + b"t" * 5 + b"\r\n")
    assert ids(engine.store.after(0)) == [2, 3]  # 47 + 12 bytes each: two fit in 120, not three


async def test_newest_before_pages_back_through_the_history(make_store: MakeStore) -> None:
    engine = await make_store(max_requests=2000)
    store = engine.store
    await fill(engine, 1200)
    store.delete([600])
    for _ in range(2):
        assert ids(store.newest(3, before=602)) == [598, 599, 601]
        assert ids(store.newest(3, before=2)) == [1]
        assert [r.id for r in records_before(store)] == [i for i in range(1200, 0, -1)
                                                          if i != 600]
        await settled(store)


async def test_a_record_comes_back_exactly_as_it_was_stored(make_store: MakeStore) -> None:
    engine = await make_store(name="exact.db")
    stored = await engine.put(body=b"\x00\xff raw", query="a=1&a=2", error="kept",
                              headers=[(b"X-Case", b"Mixed"), (b"x-case", b"again")])
    await settled(engine.store)
    assert engine.store.get(stored.id) == stored


async def test_search_windows_in_every_engine(make_store: MakeStore) -> None:
    from inspector.query import parse
    from inspector.store.protocol import Window

    engine = await make_store()
    store = engine.store
    for number in range(1, 11):
        await engine.put(method="POST" if number % 2 else "GET",
                         body=b'{"n": %d, "tag": "needle"}' % number)
    await settled(store)
    posts = parse("method:post")
    assert ids(store.search(posts, 0.0)) == [1, 3, 5, 7, 9]
    assert ids(store.search(posts, 0.0, Window(limit=2))) == [1, 3]
    assert ids(store.search(posts, 0.0, Window(limit=2, newest=True))) == [7, 9]
    assert ids(store.search(posts, 0.0, Window(after=3, before=9))) == [5, 7]
    assert ids(store.search(posts, 0.0, Window(before=7, limit=2, newest=True))) == [3, 5]
    assert store.count(parse("needle -json.n:>8"), 0.0) == 8
    store.delete([5])
    await engine.put(body=b"needle")  # a local engine has not committed it yet
    if store.engine == "redis":
        await settled(store)
    assert ids(store.search(parse("needle method:post"), 0.0)) == [1, 3, 7, 9, 11]


async def test_a_scan_resumed_after_writes_reads_the_store_as_it_is_then(
        make_store: MakeStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """A search runs in slices with the loop turning between them (SPEC 3): what is deleted
    or changed meanwhile is seen as it is when the search reaches it."""
    from inspector.query import parse
    from inspector.store import sqlite_search
    from inspector.store.protocol import Window

    monkeypatch.setattr(sqlite_search, "FIRST_SPAN", 2)  # SQLite reads ids two at a time
    monkeypatch.setattr(sqlite_search, "SPAN_S", 0.0)
    monkeypatch.setattr(sqlite_search, "FETCH", 2)
    engine = await make_store()
    store = engine.store
    for number in range(1, 11):
        await engine.put(body=b"needle %d" % number)
    await settled(store)
    # ascending: 4 deleted, 6 changed; then newest first: 9 deleted, 2 changed (11 is new)
    for newest, first, gone, moved, rest in ((False, 1, 4, 6, [2, 3, 5, 7, 8, 9, 10]),
                                            (True, 11, 9, 2, [10, 8, 7, 5, 3, 1])):
        scanned = store.scan(parse("needle"), 0.0, Window(newest=newest))
        assert next(item for item in scanned if item is not None)[0] == first
        store.delete([gone])
        changed = store.get(moved)
        assert changed is not None
        store.replace(changed._replace(body=b"moved"))
        await engine.put(body=b"needle, after the search began")
        await settled(store)
        assert [found[0] for found in scanned if found is not None] == rest
