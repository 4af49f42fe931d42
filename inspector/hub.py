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


class Subscriber:
    """One client's bounded queue of framed messages."""

    def __init__(self, limit: int, frame: Frame) -> None:
        self._limit = limit
        self.frame = frame
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

    def subscribe(self, frame: Frame) -> Subscriber:
        subscriber = Subscriber(self.queue_limit, frame)
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

    def publish(self, make_message: Callable[[], Message]) -> None:
        """Serialise once, frame once per framing, and only when somebody listens."""
        if not self._subscribers:
            return
        text = compact(make_message())
        framed: dict[Frame, bytes] = {}
        for subscriber in self._subscribers:
            data = framed.get(subscriber.frame)
            if data is None:
                data = framed[subscriber.frame] = subscriber.frame(text)
            subscriber.offer(data)
