"""Fan-out of live messages to subscribers. Publishing never waits for a client.

The hub knows no wire format: each subscriber brings the function that frames a message's
JSON text for its connection, and a message is framed once per framing, however many listen.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from typing import Any

from .serialize import compact

Message = dict[str, Any]
Frame = Callable[[str], bytes]
# A subscriber's choice among messages: given a message and what it is about (opaque here),
# the message to send (the same one, or another), or None to send nothing.
Sieve = Callable[[Message, Any], Message | None]


class Subscriber:
    """One client's bounded queue of framed messages."""

    def __init__(self, limit: int, frame: Frame, sieve: Sieve | None = None) -> None:
        self._limit = limit
        self.frame = frame
        self.sieve = sieve
        self._queue: deque[bytes] = deque()
        self._ready = asyncio.Event()
        self.overflowed = False
        self.shutting_down = False
        self.on_overflow: Callable[[], object] | None = None

    def offer(self, frame: bytes) -> None:
        if self.overflowed:
            return
        if len(self._queue) >= self._limit:
            # The client fell behind: drop its queue; it reconnects with after= and misses nothing.
            self.overflowed = True
            self._queue.clear()
            if self.on_overflow is not None:
                self.on_overflow()
        else:
            self._queue.append(frame)
        self._ready.set()

    def shut_down(self) -> None:
        self.shutting_down = True
        self._ready.set()

    async def next_batch(self) -> bytes | None:
        """The frames queued so far, to be written at once, or None once the client has
        overflowed or we shut down."""
        while not self._queue and not self.overflowed and not self.shutting_down:
            self._ready.clear()
            await self._ready.wait()
        if self.overflowed or self.shutting_down:
            return None
        batch = b"".join(self._queue)
        self._queue.clear()
        return batch


class Hub:
    def __init__(self, queue_limit: int = 2000) -> None:
        self.queue_limit = queue_limit
        self._subscribers: set[Subscriber] = set()

    def subscribe(self, frame: Frame, sieve: Sieve | None = None) -> Subscriber:
        subscriber = Subscriber(self.queue_limit, frame, sieve)
        self._subscribers.add(subscriber)
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        self._subscribers.discard(subscriber)

    def shut_down(self) -> None:
        """Let every client's pump finish so that its websocket can be closed."""
        for subscriber in self._subscribers:
            subscriber.shut_down()

    @property
    def listeners(self) -> int:
        return len(self._subscribers)

    def publish(self, make_message: Callable[[], Message], subject: Any = None) -> None:
        """Serialise once, frame once per framing, and only when somebody listens; a
        subscriber's sieve sees the message with its `subject` (the record it is about)."""
        if not self._subscribers:
            return
        message = make_message()
        text: str | None = None
        framed: dict[Frame, bytes] = {}
        for subscriber in self._subscribers:
            chosen = message if subscriber.sieve is None else subscriber.sieve(message, subject)
            if chosen is None:
                continue
            if chosen is not message:
                subscriber.offer(subscriber.frame(compact(chosen)))
                continue
            data = framed.get(subscriber.frame)
            if data is None:
                text = compact(message) if text is None else text
                data = framed[subscriber.frame] = subscriber.frame(text)
            subscriber.offer(data)
