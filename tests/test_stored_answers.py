"""The answers to requests waiting for a durable store (stored.py): each sender gets its own
answer once its request is committed, never before; the answers of one commit are given by
one callback of its future, in the order they were asked for; a commit that fails is a 503 to
each of them."""

from __future__ import annotations

import asyncio
from pathlib import Path

from inspector.models import ResponseRecord
from inspector.store.protocol import StoreBusy
from inspector.store.sqlite import SqliteStore
from inspector.stored import RETRY_HEADERS, Stored

from .conftest import make_capture

SENT = ResponseRecord(200, (("Content-Type", "application/json"),), b"", 0.5, "inspector")


def captured(store: SqliteStore, count: int) -> list[Stored]:
    """`count` requests stored this turn, each with the default answer numbered by its id."""
    made = []
    for _ in range(count):
        record = make_capture(id=store.next_id(), response=SENT, numbered=True)
        store.add(record)
        made.append(Stored(record, store.durable()))
    return made


def asked(stored: list[Stored]) -> list[asyncio.Future[ResponseRecord]]:
    """Each request's answer, which waits for its commit."""
    answers = [one.answer(SENT, numbered=True) for one in stored]
    waiting = [answer for answer in answers if isinstance(answer, asyncio.Future)]
    assert len(waiting) == len(answers)
    return waiting


async def test_each_sender_gets_its_own_answer_once_the_turn_is_committed(
        tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "history.db", 100, 10**9, asyncio.get_running_loop())
    for turn in range(3):
        stored = captured(store, 5)
        answers = asked(stored)
        assert not any(answer.done() for answer in answers)
        given = await asyncio.gather(*answers)
        ids = list(range(turn * 5 + 1, turn * 5 + 6))
        assert [answer.body for answer in given] == [b'{"ok": true, "id": %d}' % i for i in ids]
        assert all(store.get(request_id) is not None for request_id in ids)
    await store.close()


async def test_answers_are_given_in_the_order_they_were_asked_for(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "history.db", 100, 10**9, asyncio.get_running_loop())
    given: list[bytes] = []
    stored = captured(store, 8)
    for answer in asked(stored[::-1]):  # asked for in another order than stored
        answer.add_done_callback(lambda done: given.append(done.result().body))
    await asyncio.gather(*(one.kept() for one in stored))
    await asyncio.sleep(0)
    assert given == [b'{"ok": true, "id": %d}' % request_id for request_id in range(8, 0, -1)]
    await store.close()


async def test_an_answer_asked_for_after_its_commit_is_still_given(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "history.db", 100, 10**9, asyncio.get_running_loop())
    first, second = captured(store, 2)
    await asked([first])[0]
    later = asked([second])[0]  # the same commit, long done
    assert (await asyncio.wait_for(later, 10)).body == b'{"ok": true, "id": 2}'
    await store.close()


async def test_answers_waiting_for_two_commits_each_follow_their_own(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "history.db", 100, 10**9, asyncio.get_running_loop())
    early = captured(store, 1)[0]
    answers = asked([early])
    await early.kept()
    late = captured(store, 1)[0]  # the next turn's commit
    answers += asked([late, early])
    bodies = [answer.body for answer in await asyncio.gather(*answers)]
    assert bodies == [b'{"ok": true, "id": 1}', b'{"ok": true, "id": 2}',
                      b'{"ok": true, "id": 1}']
    await store.close()


async def test_a_commit_that_fails_is_a_503_to_each_sender(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    store = SqliteStore(path, 100, 10**9, asyncio.get_running_loop())
    stored = captured(store, 4)
    answers = asked(stored)
    path.rename(tmp_path / "away.db")  # noticed as it commits: nothing is written
    for answer in await asyncio.gather(*answers):
        assert (answer.status, answer.headers) == (503, RETRY_HEADERS)
    for one in stored:
        try:
            await one.kept()
        except StoreBusy:
            continue
        raise AssertionError("a request whose commit failed was kept")
    await store.close()
