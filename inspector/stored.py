"""A captured request handed to the store, in one shape whatever the engine: the answer its
sender gets (now, or once the request is stored for good) and the record as stored. Which
engine gives ids when, and what "stored for good" means, stays below this."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

from .captured import CapturedRequest
from .models import JSON_HEADERS, ResponseRecord, error_body, numbered_body
from .store.protocol import StoreBusy

T = TypeVar("T")
Answering = ResponseRecord | asyncio.Future[ResponseRecord]  # now, or once stored


RETRY_HEADERS = (*JSON_HEADERS, ("Retry-After", "1"))


def retry_later(message: str) -> ResponseRecord:
    """The answer to a request the store cannot keep now: come back in a second."""
    return ResponseRecord(503, RETRY_HEADERS, error_body(message), 0.0, "inspector")


class Stored(NamedTuple):
    """`record`: as stored, when this process gave its id (a local store), else None until a
    shared store has written it. `durable`: done once it is stored for good (a commit; a
    shared store's write, whose result is the stored record, or None while the store is away
    and the record waits), None when it already is."""

    record: CapturedRequest | None
    durable: asyncio.Future[Any] | None

    def answer(self, sent: ResponseRecord, numbered: bool) -> Answering:
        """What the sender gets: `sent` (the stored response, with the id, where the store
        gave one), once the request is stored for good; 503 when it could not be kept."""
        record, durable = self  # read once: 3.11 does not specialise a NamedTuple's field reads
        if record is None:
            assert durable is not None  # a shared store answers as it writes
            return _once(durable, functools.partial(_shared_answer, sent, numbered))
        kept = record.response or sent
        return kept if durable is None else _once(durable, lambda _: kept)

    async def kept(self) -> CapturedRequest | None:
        """The record once stored for good (None while a shared store is away); StoreBusy
        when the store could not keep it."""
        if self.durable is None:
            return self.record
        written = await asyncio.shield(self.durable)
        return self.record if self.record is not None else written


Waiting = list[tuple[asyncio.Future[ResponseRecord], Callable[[Any], ResponseRecord]]]
# The store's future last waited for, with the answers waiting for it (most answers wait for
# the commit of their turn, one future for all of them).
_last_waited: list[tuple[asyncio.Future[Any] | None, Waiting]] = [(None, [])]


def _once(durable: asyncio.Future[T], answer_of: Callable[[T], ResponseRecord]
          ) -> asyncio.Future[ResponseRecord]:
    """The answer as a future done when the request is stored for good: the connection
    answers from its callback, without a task per request. The answers waiting for one
    commit are given by one callback of its future, in the order they were asked for."""
    answer: asyncio.Future[ResponseRecord] = durable.get_loop().create_future()
    last, waiting = _last_waited[0]
    if last is not durable:
        waiting = []
        _last_waited[0] = durable, waiting
        durable.add_done_callback(functools.partial(_given, waiting))
    waiting.append((answer, answer_of))
    return answer


def _given(waiting: Waiting, done: asyncio.Future[Any]) -> None:
    """Stored for good (or not): each answer waiting for it is given."""
    if _last_waited[0][1] is waiting:  # given: an answer asked for later needs a callback
        _last_waited[0] = None, []
    for answer, answer_of in waiting:
        if answer.done():
            continue
        if done.cancelled():
            answer.cancel()
        elif isinstance(failure := done.exception(), StoreBusy):
            answer.set_result(retry_later(str(failure)))
        elif failure is not None:
            answer.set_exception(failure)
        else:
            answer.set_result(answer_of(done.result()))


def _shared_answer(sent: ResponseRecord, numbered: bool,
                   record: CapturedRequest | None) -> ResponseRecord:
    """The response stored with the id the shared store gave, or, while the store is away and
    the record waits, the answer with a null id."""
    if record is not None and record.response is not None:
        return record.response
    return sent._replace(body=numbered_body(None)) if numbered else sent
