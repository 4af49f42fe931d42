"""The Redis store's writer: changes travel in batches, in order, and wait in a bounded queue
while the store is not ok.

The requests captured during one turn of the event loop travel in one script call (ADD),
which gives their ids; the other changes travel as scripts of their own in the same pipeline,
before the adds that follow them. A request's answer waits until its record is written and
applied here (the follower says when). While the store is not ok the records wait, in order,
and are answered at once with a null id; when the queue is full a sender is told to retry.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from redis.exceptions import NoScriptError, ResponseError

from ..captured import CapturedRequest
from .protocol import StoreBusy
from .redis_records import (
    CHANGE_KEYS,
    FAILURES,
    KEYS,
    LOG_LENGTH,
    PREFIX,
    RECORDS,
    Standing,
    fields,
    given,
    numbered,
)

QUEUE_RECORDS = 10_000  # waiting while the store is not ok
QUEUE_BYTES = 64 * 1024 * 1024
BATCH_RECORDS = 500  # records in one script call at most


@dataclass
class _Add:
    """A captured request waiting for its id; `numbered`: its answer carries the id."""

    record: CapturedRequest
    dedupe_key: str | None
    numbered: bool
    done: asyncio.Future[CapturedRequest | None]

    def answer_without_id(self) -> None:
        """The store is not ok: the sender is answered now, and the record says what it got."""
        if self.numbered:
            self.record = numbered(self.record, None)
        self.numbered = False
        if not self.done.done():
            self.done.set_result(None)


@dataclass
class _Batch:
    """Writes sent together, in order; a batch sent again after a lost reply is not applied
    twice (its adds carry a marker)."""

    adds: list[_Add] = field(default_factory=list)
    others: list[tuple[str, list[str], list[Any]]] = field(default_factory=list)
    marker: str = field(default_factory=lambda: f"{PREFIX}batch:{uuid.uuid4().hex}")
    sent: bool = False  # once sent it is never added to: a resend must be the same batch


class Writer:
    """Batches to Redis, in order. `last_applied`: the newest id the follower has applied
    here; `on_failure` hears an error of Redis, `on_refused` that the store left this
    instance's epoch: both start the recovery."""

    def __init__(self, client: Any, scripts: dict[str, Any], standing: Standing,
                 last_applied: Callable[[], int], on_failure: Callable[[BaseException], None],
                 on_refused: Callable[[], None]) -> None:
        self._client = client
        self._scripts = scripts
        self._standing = standing
        self._last_applied = last_applied
        self._on_failure = on_failure
        self._on_refused = on_refused
        self._queue: list[_Batch] = []
        self._queued_bytes = 0
        self._sending: asyncio.Task[None] | None = None
        self._flush_planned = False
        self.closed = False
        self._applied_waiters: list[tuple[int, _Add, CapturedRequest]] = []
        # Records this instance wrote, until read back from the log: not fetched again.
        self.written: dict[int, CapturedRequest] = {}
        self.batch_answered: asyncio.Future[None] | None = None  # the batch being sent

    def submit(self, record: CapturedRequest, dedupe_key: str | None,
               is_numbered: bool) -> asyncio.Future[CapturedRequest | None]:
        if self.queued_records() >= QUEUE_RECORDS or self._queued_bytes >= QUEUE_BYTES:
            raise StoreBusy("the queue of requests waiting for Redis is full")
        add = _Add(record, dedupe_key, is_numbered, asyncio.get_running_loop().create_future())
        self._open_batch().adds.append(add)
        self._queued_bytes += record.stored_bytes
        if self._standing.state != "ok":
            add.answer_without_id()
        return add.done

    def change(self, script: str, arguments: list[Any], keys: list[str] = CHANGE_KEYS) -> None:
        batch = self._open_batch()
        if batch.adds:  # keep order: adds travel before the changes that follow them
            batch = _Batch()
            self._queue.append(batch)
        batch.others.append((script, keys, [RECORDS, LOG_LENGTH, *arguments]))

    def queued_records(self) -> int:
        return sum(len(batch.adds) for batch in self._queue)

    async def drained(self) -> None:
        while self._queue and self._standing.state != "unreachable":
            self.flush()
            if self._sending is not None:
                await asyncio.shield(self._sending)

    def hold(self) -> None:
        """The store is not ok: every sender still waiting is answered now."""
        for batch in self._queue:
            for add in batch.adds:
                add.answer_without_id()
        self.release_applied()

    def forget_written(self) -> None:
        """The history was read again from Redis: what this instance wrote is there, or lost."""
        self.written.clear()

    def release_applied(self) -> None:
        """An add is answered once this instance has applied it from the log (or at once
        when the store is not ok)."""
        waiting = []
        last_applied = self._last_applied()
        for request_id, add, stored in self._applied_waiters:
            if request_id <= last_applied or self._standing.state != "ok":
                if not add.done.done():
                    add.done.set_result(stored)
            else:
                waiting.append((request_id, add, stored))
        self._applied_waiters = waiting

    async def close(self) -> None:
        self.closed = True  # nothing new is sent from here on
        if self._sending is not None:
            await asyncio.gather(self._sending, return_exceptions=True)
        self.hold()

    def _open_batch(self) -> _Batch:
        """The batch still being filled (one that was sent is not)."""
        if not self._queue or self._queue[-1].sent or \
                len(self._queue[-1].adds) >= BATCH_RECORDS:
            self._queue.append(_Batch())
        if not self._flush_planned:
            self._flush_planned = True
            asyncio.get_running_loop().call_soon(self.flush)
        return self._queue[-1]

    def flush(self) -> None:
        self._flush_planned = False
        if self.closed or self._sending is not None or not self._queue:
            return
        if self._standing.state != "unreachable":
            self._sending = asyncio.create_task(self._send_queue(), name="redis-write")

    async def _send_queue(self) -> None:
        try:
            while self._queue and self._standing.state != "unreachable":
                batch = self._queue[0]
                try:
                    accepted = await self._send(batch)
                except FAILURES as error:
                    self._on_failure(error)
                    return
                if not accepted:
                    batch.others.clear()  # they were applied: only the adds go again
                    self._on_refused()
                    return
                self._queue.pop(0)
                self._queued_bytes -= sum(add.record.stored_bytes for add in batch.adds)
            if not self._queue and self._standing.state == "draining":
                self._standing.state, self._standing.cause = "ok", None
        finally:
            self._sending = None

    async def _send(self, batch: _Batch) -> bool:
        batch.sent = True
        self.batch_answered = asyncio.get_running_loop().create_future()
        try:
            return await self._send_batch(batch)
        finally:
            self.batch_answered.set_result(None)
            self.batch_answered = None

    async def _send_batch(self, batch: _Batch) -> bool:
        """False: the store refused the adds (it left this instance's epoch)."""
        standing = self._standing
        calls = list(batch.others)
        if batch.adds:
            records: list[Any] = [RECORDS, LOG_LENGTH, standing.highest,
                                  standing.max_requests, standing.max_bytes, standing.epoch]
            for add in batch.adds:
                records += [*fields(add.record), add.dedupe_key or "",
                            "1" if add.numbered else "0"]
            calls.append(("add", [*CHANGE_KEYS, KEYS["next"], batch.marker, KEYS["meta"]],
                          records))
        results = await self._call_scripts(calls)
        if not batch.adds:
            return True
        answer = results[-1]
        if not isinstance(answer, list):
            return False
        for index, add in enumerate(batch.adds):
            request_id, original = int(answer[2 * index]), answer[2 * index + 1]
            standing.saw(request_id)
            stored = given(add.record, request_id, original, add.numbered)
            self._applied_waiters.append((request_id, add, stored))
            self.written[request_id] = stored
        self.release_applied()
        return True

    async def _call_scripts(self, calls: list[tuple[str, list[str], list[Any]]]) -> list[Any]:
        """The scripts' answers, in one round trip. By their digest (EVALSHA): redis-py's own
        script calls in a pipeline ask Redis first whether it has them, a second round trip
        for every batch. A Redis without them (restarted, SCRIPT FLUSH) refuses every call
        (NOSCRIPT, nothing applied): they are loaded and the calls sent again once."""
        for attempt in (1, 2):
            async with self._client.pipeline(transaction=False) as pipe:
                for script, keys, arguments in calls:
                    pipe.evalsha(self._scripts[script].sha, len(keys), *keys, *arguments)
                results: list[Any] = await pipe.execute(raise_on_error=False)
            if attempt == 1 and any(isinstance(result, NoScriptError) for result in results):
                for script in {script for script, _, _ in calls}:
                    await self._client.script_load(self._scripts[script].script)
                continue
            break
        for result in results:
            if isinstance(result, ResponseError):
                raise result
        return results
