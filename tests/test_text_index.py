"""The memory engine's text index: which records of a block may hold a piece of text, and a
search that reads only those finds what reading every record finds."""

from __future__ import annotations

import asyncio
import time

import pytest

import inspector.store.memory as memory_engine
from inspector.query import parse
from inspector.query.scan import Needle, needles
from inspector.store import text_index
from inspector.store.memory import MemoryStore
from inspector.store.text_index import holding, index_block

from .conftest import make_capture


@pytest.fixture(autouse=True)
def kept_however_small(monkeypatch: pytest.MonkeyPatch) -> None:
    """These blocks are tiny: their index is kept whatever share of their text it is."""
    monkeypatch.setattr(text_index, "MAX_SHARE", float("inf"))


BODIES = [b'{"note": "Refunded amount", "id": "evt_0042"}', "Café".encode(),
          b'{"note": "refunded", "id": "evt_0043"}']


def index_of(bodies: list[bytes]) -> text_index.BlockIndex:
    """Records 1, 2, 3... with these bodies, then as many again with the same words (so that
    the index is small enough to keep)."""
    records = [make_capture(id=n + 1, body=body, path="/hooks", headers=[
        (b"Content-Type", b"application/json")]) for n, body in enumerate(bodies * 8)]
    index = index_block(1, records)
    assert index is not None
    return index


def held_by(needle: bytes, where: str) -> set[int] | None:
    """Which of BODIES (1, 2, 3) the index says may hold the needle."""
    found = holding(index_of(BODIES), Needle(needle, where))  # type: ignore[arg-type]
    return None if found is None else {offset % len(BODIES) + 1 for offset in found}


@pytest.mark.parametrize(("needle", "where", "bodies"), [
    (b"refunded", "body", {1, 3}),
    (b"refund", "body", {1, 3}),          # a part of a word
    (b"unded amo", "body", {1}),          # the end of one word, the start of the next
    (b"zebra", "body", set()),
    ("café".encode(), "body", {2}),       # UTF-8 letters are word bytes
    (b"evt_0042", "body", {1}),
    (b"evt_004", "body", {1, 3}),
    (b"://", "body", None),               # no word in it: every record may hold it
    (b"application", "head", {1, 2, 3}),  # a header value
    (b"refunded", "head", set()),         # only in the bodies
    (b"hooks", "head", {1, 2, 3}),        # the path is indexed with the headers
    (b"json", "any", {1, 2, 3}),          # a header value, for a bare word
    (b"charge", "any", set()),
])
def test_the_index_finds_the_records_whose_words_may_hold_the_text(
        needle: bytes, where: str, bodies: set[int] | None) -> None:
    assert held_by(needle, where) == bodies


def test_a_word_every_record_holds_is_listed_once_not_per_record() -> None:
    """Most header words are every record's: their holders are the block's records, kept once
    (a 1 KB request's index was ~55 B of its RSS, most of it these offsets)."""
    index = index_of([b'{"note": "same"}', b'{"note": "other"}'])
    assert index.head.holders == b"" and index.head.everyone == bytes(range(16))
    # "note" is every record's; "same" and "other" are half of them each
    assert index.body.holders == bytes(range(0, 16, 2)) + bytes(range(1, 16, 2))
    assert holding(index, Needle(b"application", "head")) == set(range(16))
    assert holding(index, Needle(b"other", "body")) == set(range(1, 16, 2))
    assert index.size == sum(len(part) for words in (index.body, index.head) for part in (
        words.text, words.holders, words.everyone)) + 4 * sum(
        len(words.starts) + len(words.holder_starts) for words in (index.body, index.head))


def test_words_are_folded_as_the_search_folds() -> None:
    index = index_of([b"CHARGE.Failed", b"charge paid"])
    assert holding(index, Needle(b"charge.failed", "body")) == set(range(0, 16, 2))
    assert holding(index, Needle(b"ge.fa", "body")) == set(range(0, 16, 2))


def test_a_block_of_words_that_never_repeat_is_not_indexed(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text_index, "MAX_SHARE", 0.25)
    repeated = [make_capture(id=n + 1, body=b"the same few words, again") for n in range(64)]
    assert index_block(1, repeated) is not None
    unique = [make_capture(id=n + 1, body=b"%064x" % (n * 7919)) for n in range(64)]
    assert index_block(1, unique) is None  # the index would be a large share of the text


def test_a_block_of_large_bodies_is_not_indexed() -> None:
    """The loop would wait for it (and hold copies of it): such blocks are read instead."""
    body = b"the same words " * (text_index.MAX_TEXT // 15 + 1)
    assert index_block(1, [make_capture(body=body[:len(body) // 2])]) is not None
    assert index_block(1, [make_capture(body=body)]) is None


async def filled(count: int) -> MemoryStore:
    store = MemoryStore(10_000, 10**9)
    for number in range(count):
        body = b'{"id": "evt_%05d", "note": "nothing to see"}' % number
        store.add(make_capture(id=store.next_id(), body=body, path=f"/p/{number % 7}"))
    deadline = time.monotonic() + 10
    while store.blocks_unindexed and time.monotonic() < deadline:
        await asyncio.sleep(0.005)
    return store


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text_index, "BLOCK", 8)
    monkeypatch.setattr(memory_engine, "INDEX_WAIT_S", 0.0)


@pytest.mark.usefixtures("small_blocks")
async def test_blocks_are_indexed_while_the_loop_is_quiet_and_searches_agree() -> None:
    store = await filled(100)
    assert store.blocks_unindexed == 0 and len(store._block_index) == 12  # 100 // 8 blocks
    reading_every_block = MemoryStore(10_000, 10**9)  # no loop when added: nothing indexed
    for record in store.after(0):
        reading_every_block.add(record)
    for text in ["evt_00042", "body:evt_00097", "body:zebra", "path:/p/3 evt_0004",
                 "-body:nothing", "nothing see", '"to see"', "evt_000 OR zebra"]:
        query = parse(text)
        expected = [r.id for r in reading_every_block.search(query, 0.0)]
        assert [r.id for r in store.search(query, 0.0)] == expected, text
        assert store.count(query, 0.0) == len(expected), text
    assert [r.id for r in store.search(parse("body:evt_00042"), 0.0)] == [43]
    await store.close()


@pytest.mark.usefixtures("small_blocks")
async def test_the_index_follows_eviction_clear_and_a_changed_text() -> None:
    store = await filled(40)
    store.max_requests = 10
    store.add(make_capture(id=store.next_id()))  # evicts ids 1-31
    store._index_some(store.last_id)
    assert min(store._block_index) == text_index.block_of(32)
    changed = store.get(35)
    assert changed is not None
    store.replace(changed._replace(body=b'{"id": "evt_zebra"}'))
    assert [r.id for r in store.search(parse("body:zebra"), 0.0)] == [35]
    store.clear()
    assert store._block_index == {} and store.blocks_unindexed == 0
    await store.close()


def test_the_needles_a_search_passes_blocks_by() -> None:
    assert needles(parse("body:refunded provider:stripe")) == [Needle(b"refunded", "body")]


@pytest.mark.usefixtures("small_blocks")
async def test_the_text_index_counts_in_max_bytes() -> None:
    """--max-bytes bounds the records' bytes and the index made of them: once blocks are
    indexed, the next capture evicts the oldest to make room for both."""
    store = await filled(40)
    index_bytes = sum(index.size for index in store._block_index.values())
    assert index_bytes > 0
    record_bytes = sum(record.stored_bytes for record in store.after(0))
    newest = make_capture(id=store.next_id(), body=b'{"id": "evt_99999"}')
    store.max_bytes = record_bytes + newest.stored_bytes  # room for the records alone
    evicted = store.add(newest)
    assert evicted, "the index's bytes made no room"
    held = sum(record.stored_bytes for record in store.after(0)) + \
        sum(index.size for index in store._block_index.values())
    assert held == store.held_bytes <= store.max_bytes
    store.max_requests = 20
    store.add(make_capture(id=store.next_id()))  # ids 1-22 go: blocks 1 and 2 whole
    assert min(store._block_index) == text_index.block_of(24)  # their words went with them
    await store.close()
