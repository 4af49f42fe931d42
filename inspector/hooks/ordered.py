"""Answers to pipelined requests, written in the order the requests came.

An answer may be ready at once (the configured response), later (a durable store's commit, a
forward, a delay) or never (a hang rule): the queue holds each with its framing and writes them
strictly in turn, whatever order they become ready in.
"""

from __future__ import annotations

import asyncio
import enum
from collections import deque
from collections.abc import Awaitable
from typing import Any, NamedTuple, Protocol

from ..models import JSON_HEADERS, ResponseRecord, error_body


class Fault(enum.Enum):
    CLOSE = "close"  # drop the connection without answering
    HANG = "hang"  # hold it until the sender gives up or the server stops


Reply = ResponseRecord | Fault | Awaitable[ResponseRecord]


class Framing(NamedTuple):
    """How the answer to one request is framed: it belongs to that request, not to the one
    being read when the answer is ready."""

    keep_alive: bool
    head: bool  # a HEAD request: no body
    http10: bool


# Every framing there is, made once: a request takes its own from here (a plain tuple of its
# three facts finds it) rather than constructing one.
FRAMINGS: dict[tuple[bool, bool, bool], Framing] = {
    (keep_alive, head, http10): Framing(keep_alive, head, http10)
    for keep_alive in (False, True) for head in (False, True) for http10 in (False, True)}


class AnswerWriter(Protocol):
    """The connection, as the queue of answers sees it."""

    def send(self, reply: ResponseRecord | Fault, framing: Framing) -> None: ...
    def owed_changed(self) -> None: ...
    def all_answered(self) -> None: ...


def _failed(failure: str) -> ResponseRecord:
    """Every request gets an answer: a failure while one was made must not leave the sender
    waiting forever."""
    return ResponseRecord(502, JSON_HEADERS,
                          error_body(f"the inspector could not answer: {failure}"), 0.0, "error")


async def _settled(reply: Awaitable[ResponseRecord]) -> ResponseRecord:
    try:
        return await reply
    except Exception as error:
        return _failed(type(error).__name__)


def _outcome(future: asyncio.Future[ResponseRecord]) -> ResponseRecord:
    if future.cancelled():
        return _failed("cancelled")
    failure = future.exception()
    return future.result() if failure is None else _failed(type(failure).__name__)


class OrderedAnswers:
    """The answers one connection owes, written in request order."""

    def __init__(self, writer: AnswerWriter) -> None:
        self._writer = writer
        self._owed: deque[tuple[Reply, Framing]] = deque()
        self.count = self._owed.__len__  # how many are owed: asked on every read, so no frame
        # What answers the owed replies now: a task, or the future whose callback will.
        self._answering: asyncio.Future[Any] | None = None
        self._gone = asyncio.get_running_loop().create_future()
        self.hanging = False  # a hang rule holds the connection until the sender leaves

    @property
    def idle(self) -> bool:
        """Nothing owed and nothing being answered."""
        return self._answering is None and not self._owed

    @property
    def busy(self) -> bool:
        """An answer is being made (a hang rule's is not: it is never made)."""
        return self._answering is not None and not self.hanging

    def add(self, reply: Reply, framing: Framing) -> bool:
        """Owe `reply`; True when it was written at once (nothing before it, and ready)."""
        if self._answering is None and not self._owed and (
                isinstance(reply, ResponseRecord) or reply is Fault.CLOSE):
            self._writer.send(reply, framing)
            return True
        self._owed.append((reply, framing))
        self._writer.owed_changed()
        if self._answering is None:
            self._answer_next()
        return False

    def abandon(self) -> None:
        """The sender is gone: nothing owed will be written."""
        if not self._gone.done():
            self._gone.set_result(None)
        for reply, _ in self._owed:
            if asyncio.iscoroutine(reply):
                reply.close()  # never started
        self._owed.clear()

    def _answer_next(self) -> None:
        """A future at the head is answered from its callback (a durable store's commit: no
        task per request); anything else is awaited in order by a task."""
        head, _ = self._owed[0]
        if isinstance(head, asyncio.Future):
            self._answering = head
            head.add_done_callback(self._future_answered)
        else:
            self._answering = asyncio.get_running_loop().create_task(self._answer_in_order())

    def _future_answered(self, future: asyncio.Future[ResponseRecord]) -> None:
        self._answering = None
        if not self._owed or self._owed[0][0] is not future:
            if not future.cancelled():
                future.exception()  # the connection was lost meanwhile: nobody to answer
            return
        _, framing = self._owed.popleft()
        self._writer.owed_changed()
        self._writer.send(_outcome(future), framing)
        if self._owed:
            self._answer_next()
        else:
            self._writer.all_answered()

    async def _answer_in_order(self) -> None:
        try:
            while self._owed:
                reply, framing = self._owed.popleft()
                self._writer.owed_changed()
                if reply is Fault.HANG:
                    self.hanging = True
                    await self._gone
                elif not isinstance(reply, ResponseRecord | Fault):
                    reply = await _settled(reply)
                self._writer.send(reply, framing)
        finally:
            self._answering = None
        self._writer.all_answered()
