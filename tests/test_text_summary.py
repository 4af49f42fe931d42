"""The memory engine's text summaries: what a block's summary rules out, and a search that
passes over blocks finds what reading every block finds."""

from __future__ import annotations

import asyncio
import time

import pytest

import inspector.store.memory as memory_engine
from inspector.query import parse
from inspector.query.scan import Needle, needles
from inspector.store import text_summary
from inspector.store.memory import MemoryStore
from inspector.store.text_summary import may_hold, summarize

from .conftest import make_capture


def summary_of(*bodies: bytes, path: str = "/hooks", headers: list[tuple[bytes, bytes]]
               | None = None) -> text_summary.Summary:
    records = [make_capture(id=n + 1, body=body, path=path,
                            headers=headers or [(b"Content-Type", b"application/json")])
               for n, body in enumerate(bodies)]
    summary = summarize(records * 8)  # repeated: summed up, not too large to keep
    assert summary is not None
    return summary


@pytest.mark.parametrize(("needle", "where", "held"), [
    (b"refunded", "body", True),
    (b"refund", "body", True),            # a part of a word
    (b"unded amo", "body", True),         # the end of one word, the start of the next
    (b"zebra", "body", False),
    (b"caf\xc3\xa9", "body", True),       # UTF-8 letters are word bytes
    (b"evt_0042", "body", True),
    (b"evt_0043", "body", False),
    (b"://", "body", True),               # no word in it: nothing to rule out
    (b"application", "head", True),       # a header value
    (b"refunded", "head", False),         # only in the bodies
    (b"hooks", "head", True),             # the path is summed up with the headers
    (b"hooks", "any", True),
    (b"json", "any", True),               # a header value, for a bare word
    (b"charge", "any", False),
])
def test_a_summary_rules_out_only_what_no_record_holds(needle: bytes, where: str,
                                                      held: bool) -> None:
    summary = summary_of(b'{"note": "Refunded amount", "id": "evt_0042"}', "Café".encode())
    assert may_hold(summary, Needle(needle, where)) is held  # type: ignore[arg-type]


def test_words_are_folded_as_the_search_folds() -> None:
    summary = summary_of(b"CHARGE.Failed")
    assert may_hold(summary, Needle(b"charge.failed", "body"))
    assert may_hold(summary, Needle(b"ge.fa", "body"))


def test_a_block_of_words_that_never_repeat_is_not_summed_up() -> None:
    records = [make_capture(id=n + 1, body=b"%032x" % (n * 7919)) for n in range(4)]
    assert summarize(records) is None  # the summary would be as large as the text


def test_a_block_of_large_bodies_is_not_summed_up() -> None:
    """The loop would wait for it (and hold copies of it): such blocks are read instead."""
    body = b"the same words " * (text_summary.MAX_TEXT // 15 + 1)
    assert summarize([make_capture(body=body[:len(body) // 2])]) is not None
    assert summarize([make_capture(body=body)]) is None


async def filled(count: int) -> MemoryStore:
    store = MemoryStore(10_000, 10**9)
    for number in range(count):
        body = b'{"id": "evt_%05d", "note": "nothing to see"}' % number
        store.add(make_capture(id=store.next_id(), body=body, path=f"/p/{number % 7}"))
    deadline = time.monotonic() + 10
    while store.summaries_pending and time.monotonic() < deadline:
        await asyncio.sleep(0.005)
    return store


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text_summary, "BLOCK", 8)
    monkeypatch.setattr(memory_engine, "SUMMARY_WAIT_S", 0.0)


@pytest.mark.usefixtures("small_blocks")
async def test_blocks_are_summed_up_while_the_loop_is_quiet_and_searches_agree() -> None:
    store = await filled(100)
    assert store.summaries_pending == 0 and len(store._summaries) == 12  # 100 // 8 blocks
    reading_every_block = MemoryStore(10_000, 10**9)  # no loop when added: nothing summed up
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
async def test_summaries_follow_eviction_clear_and_a_changed_text() -> None:
    store = await filled(40)
    store.max_requests = 10
    store.add(make_capture(id=store.next_id()))  # evicts ids 1-31
    store._summarize_some(store.last_id)
    assert min(store._summaries) == text_summary.block_of(32)
    changed = store.get(35)
    assert changed is not None
    store.replace(changed._replace(body=b'{"id": "evt_zebra"}'))
    assert [r.id for r in store.search(parse("body:zebra"), 0.0)] == [35]
    store.clear()
    assert store._summaries == {} and store.summaries_pending == 0
    await store.close()


def test_the_needles_a_search_passes_blocks_by() -> None:
    assert needles(parse("body:refunded provider:stripe")) == [Needle(b"refunded", "body")]
