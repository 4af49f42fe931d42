"""One behavioural suite for every store engine: bounds, order, dedupe, durability, paging."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from inspector.store.memory import MemoryStore
from inspector.store.protocol import Store, records_before
from inspector.store.sqlite import SqliteStore

from .conftest import make_capture

MakeStore = Callable[..., Awaitable[Store]]


@pytest.fixture(params=["memory", "sqlite"])
async def make_store(request: Any, tmp_path: Path) -> AsyncIterator[MakeStore]:
    opened: list[Store] = []

    async def make(max_requests: int = 100, max_bytes: int = 10**9,
                   name: str = "history.db") -> Store:
        store: Store
        if request.param == "memory":
            store = MemoryStore(max_requests, max_bytes)
        else:
            store = SqliteStore(tmp_path / name, max_requests, max_bytes,
                                asyncio.get_running_loop())
        opened.append(store)
        return store

    yield make
    for store in opened:
        await store.close()


def fill(store: Store, count: int, body: bytes = b"x") -> list[list[int]]:
    evictions = []
    for _ in range(count):
        request_id = store.next_id()
        evictions.append(store.add(make_capture(id=request_id, body=body, headers=[])))
    return evictions


def ids(records: list[Any]) -> list[int]:
    return [record.id for record in records]


async def settled(store: Store) -> None:
    """Everything written so far is durable (a no-op for memory)."""
    waiter = store.durable()
    if waiter is not None:
        await waiter


async def test_count_cap_evicts_oldest_first(make_store: MakeStore) -> None:
    store = await make_store(max_requests=3)
    assert fill(store, 5) == [[], [], [], [1], [2]]
    for _ in range(2):  # before and after the writes are committed
        assert ids(store.after(0)) == [3, 4, 5]
        assert store.get(1) is None and store.get(5) is not None
        await settled(store)


async def test_byte_cap_counts_stored_bytes(make_store: MakeStore) -> None:
    store = await make_store(max_bytes=25)
    fill(store, 4, body=b"0123456789")
    assert ids(store.after(0)) == [3, 4]


async def test_a_single_oversized_body_is_still_kept(make_store: MakeStore) -> None:
    store = await make_store(max_bytes=5)
    fill(store, 2, body=b"0123456789")
    assert ids(store.after(0)) == [2]


async def test_after_and_newest_skip_deleted_and_evicted(make_store: MakeStore) -> None:
    store = await make_store(max_requests=4)
    fill(store, 6)
    assert store.delete(4)
    assert not store.delete(4)
    for _ in range(2):
        assert ids(store.after(0)) == [3, 5, 6]
        assert ids(store.after(3)) == [5, 6]
        assert ids(store.after(0, limit=2)) == [3, 5]
        assert ids(store.newest(2)) == [5, 6]
        assert ids(store.newest(10)) == [3, 5, 6]
        await settled(store)


async def test_order_stays_correct_across_compaction(make_store: MakeStore) -> None:
    store = await make_store(max_requests=10)
    fill(store, 3000)
    await settled(store)
    assert ids(store.after(0)) == list(range(2991, 3001))
    assert ids(store.after(2995)) == list(range(2996, 3001))


async def test_dedupe_index_follows_eviction(make_store: MakeStore) -> None:
    store = await make_store(max_requests=2)
    store.add(make_capture(id=store.next_id()), dedupe_key="k")
    assert store.original_of("k") == 1
    store.add(make_capture(id=store.next_id()), dedupe_key="k")
    await settled(store)
    assert store.original_of("k") == 1
    store.add(make_capture(id=store.next_id()))
    assert store.original_of("k") is None


async def test_clear_keeps_ids_growing(make_store: MakeStore) -> None:
    store = await make_store(max_requests=10)
    fill(store, 3)
    store.clear()
    assert len(store) == 0 and store.after(0) == []
    await settled(store)
    assert store.after(0) == []
    assert store.next_id() == 4


async def test_replace_keeps_the_newest_version(make_store: MakeStore) -> None:
    store = await make_store()
    fill(store, 2)
    store.replace(store.get(1)._replace(error="changed"))  # type: ignore[union-attr]
    assert not store.replace(make_capture(id=99))
    for _ in range(2):
        assert [r.error for r in store.after(0)] == ["changed", None]
        await settled(store)


async def test_the_byte_cap_counts_header_blocks_and_trailers(make_store: MakeStore) -> None:
    store = await make_store(max_bytes=120)
    for _ in range(3):
        store.add(make_capture(id=store.next_id(), body=b"", headers=[(b"X-A", b"a" * 40)],
                               trailer_block=b"X-T: " + b"t" * 5 + b"\r\n"))
    assert ids(store.after(0)) == [2, 3]  # 47 + 12 bytes each: two fit in 120, not three


async def test_newest_before_pages_back_through_the_history(make_store: MakeStore) -> None:
    store = await make_store(max_requests=2000)
    fill(store, 1200)
    store.delete(600)
    for _ in range(2):
        assert ids(store.newest(3, before=602)) == [598, 599, 601]
        assert ids(store.newest(3, before=2)) == [1]
        assert [r.id for r in records_before(store)] == [i for i in range(1200, 0, -1)
                                                          if i != 600]
        await settled(store)


async def test_search_windows_in_every_engine(make_store: MakeStore) -> None:
    from inspector.query import parse
    from inspector.store.protocol import Window

    store = await make_store()
    for number in range(1, 11):
        store.add(make_capture(id=store.next_id(), method="POST" if number % 2 else "GET",
                               body=b'{"n": %d, "tag": "needle"}' % number))
    await settled(store)
    posts = parse("method:post")
    assert ids(store.search(posts, 0.0)) == [1, 3, 5, 7, 9]
    assert ids(store.search(posts, 0.0, Window(limit=2))) == [1, 3]
    assert ids(store.search(posts, 0.0, Window(limit=2, newest=True))) == [7, 9]
    assert ids(store.search(posts, 0.0, Window(after=3, before=9))) == [5, 7]
    assert ids(store.search(posts, 0.0, Window(before=7, limit=2, newest=True))) == [3, 5]
    assert store.count(parse("needle -json.n:>8"), 0.0) == 8
    store.delete(5)
    store.add(make_capture(id=store.next_id(), body=b"needle"))  # not yet durable
    assert ids(store.search(parse("needle method:post"), 0.0)) == [1, 3, 7, 9, 11]
