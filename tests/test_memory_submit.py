"""The memory store's `submit` and eviction with their calls spelt out (`given_here`,
`next_id`, `durable`; `closes_block` and `_compact_if_needed`'s first condition) keep what the
calls kept: the same ids, records, evictions, bytes, dedupe originals and announcements, for
any run of captures and deletes, with blocks and the compaction's threshold made small."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.hooks.capture import arrival
from inspector.store import memory, text_index
from inspector.store.memory import MemoryStore
from inspector.store.protocol import Submitted, given_here
from inspector.store.text_index import block_of, closes_block


class Before(MemoryStore):
    """The store as it was at 84ca3b4: each step through its call."""

    def submit(self, *args: Any) -> Submitted:
        return given_here(self, *args)

    def _pop_oldest(self) -> int:
        while True:
            request_id = self._order[self._head]
            self._head += 1
            if closes_block(request_id):
                self._drop_index(block_of(request_id))
            if self._forget(request_id):
                self._compact_if_needed()
                return request_id


def _state(store: MemoryStore) -> tuple[Any, ...]:
    return (store.last_id, store._order, store._head, store._records, store._bytes,
            store._first_by_key, store._key_by_id, sorted(store._block_index),
            store._next_block, store.held_bytes)


_STEPS = st.lists(st.one_of(
    st.tuples(st.just("capture"), st.integers(0, 300), st.sampled_from([None, "k:1", "k:2"])),
    st.tuples(st.just("delete"), st.integers(1, 40), st.none())), max_size=60)


@pytest.fixture(autouse=True)
def _small(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text_index, "BLOCK", 4)
    monkeypatch.setattr(memory, "COMPACT_PAST", 6)
    monkeypatch.setattr(memory, "INDEX_SLICE_S", 60.0)  # each step indexes every full block


@settings(max_examples=300, deadline=None)
@given(_STEPS, st.integers(1, 12), st.integers(200, 6000))
def test_captures_and_deletes_leave_what_the_calls_left(
        steps: list[tuple[str, int, str | None]], max_requests: int, max_bytes: int) -> None:
    now, before = MemoryStore(max_requests, max_bytes), Before(max_requests, max_bytes)
    heard: tuple[list[Any], list[Any]] = ([], [])
    for store, log in zip((now, before), heard, strict=True):
        store.announce = lambda kind, change, log=log: log.append((kind, change))
    for kind, number, key in steps:
        if kind == "capture":
            body = b"same words " * number  # text the index keeps
            incoming = arrival(1.0, "POST", b"/p", "HTTP/1.1", None, b"A: b\r\n", body,
                               len(body), b"")
            made = [store.submit(incoming, {"event": "e"}, key, None, False)
                    for store in (now, before)]
            assert made[0] == made[1]
        else:
            assert now.delete([number]) == before.delete([number])
        assert _state(now) == _state(before)
        for store in (now, before):
            store._index_some(store.last_id)  # as its timer would, between captures
    assert heard[0] == heard[1]
