"""Fan-out of live messages to subscribers. Publishing never waits for a client, and costs the
capture path one small step per subscriber, whatever the subscribers filter.

The hub knows no wire format: each subscriber brings the function that frames a message's
JSON text for its connection, and a message is framed once per framing, however many listen.
A subscriber with a sieve (a search) is handed the message unjudged; its own writer judges it,
in order, when its turn comes, and the sieves that see one message share a memo, so that
subscribers searching alike judge it once. Each queue is bounded in messages and in bytes;
past either the subscriber is dropped (it reconnects with after= and misses nothing stored).
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable, Hashable, Iterator
from typing import Any

from .serialize import compact
from .steps import turns

Message = dict[str, Any]
Frame = Callable[[str], bytes]


class Published:
    """One message as every subscriber is handed it: its JSON text, made once; its frame, made
    once per framing; what it is about (the `subject`, opaque here), when it was published, and
    the judgements of the sieves that saw it (`memo`)."""

    __slots__ = ("at", "frames", "memo", "message", "subject", "text")

    def __init__(self, message: Message, subject: Any = None) -> None:
        self.message = message
        self.subject = subject
        self.at = time.time()
        self.text = compact(message)
        self.frames: dict[Frame, bytes] = {}
        self.memo: dict[Hashable, Any] = {}

    def framed(self, frame: Frame) -> bytes:
        data = self.frames.get(frame)
        if data is None:
            data = self.frames[frame] = frame(self.text)
        return data


# A subscriber's choice: given a published message, the message to send (the same one, or
# another), or None to send nothing; awaited, so that a long judgement may be made elsewhere.
Sieve = Callable[[Published], Awaitable[Message | None]]


class Subscriber:
    """One client's bounded queue: messages as published (a sieved one not judged yet), then
    the frames judged to go, in order."""

    def __init__(self, limit: int, byte_limit: int, frame: Frame,
                 sieve: Sieve | None = None) -> None:
        self._limit = limit
        self._byte_limit = byte_limit
        self.frame = frame
        self.sieve = sieve
        self._queue: deque[Published] = deque()  # to judge (with a sieve only)
        self._judged: list[bytes] = []
        self.queued_bytes = 0
        self._ready = asyncio.Event()
        self.overflowed = False
        self.shutting_down = False
        self.on_overflow: Callable[[], object] | None = None

    def offer(self, item: bytes | Published) -> None:
        """A frame, ready to go (for a subscriber without a sieve: nothing to judge), or a
        message its sieve judges later."""
        if self.overflowed:
            return
        size = len(item) if isinstance(item, bytes) else len(item.text)
        if len(self._queue) + len(self._judged) >= self._limit or \
                self.queued_bytes + size > self._byte_limit:
            # The client fell behind: drop its queue; it reconnects with after= and misses nothing.
            self.overflowed = True
            self._queue.clear()
            self._judged.clear()
            self.queued_bytes = 0
            if self.on_overflow is not None:
                self.on_overflow()
        else:
            if isinstance(item, bytes):
                self._judged.append(item)
            else:
                self._queue.append(item)
            self.queued_bytes += size
        self._ready.set()

    def shut_down(self) -> None:
        self.shutting_down = True
        self._ready.set()

    async def judge(self) -> None:
        """Turn what arrived into frames, in order: each sieved message judged here, in this
        subscriber's own task, never while it is published; the loop is given its turns
        (steps.turns), so that capture runs between judgements."""
        async for item in turns(self._arrived()):
            data = await self._frame_of(item)
            if self.overflowed:  # while it was judged
                return
            if data:
                self._judged.append(data)
                self.queued_bytes += len(data)

    def _arrived(self) -> Iterator[Published]:
        """What arrived, oldest first, each taken off the queue as it is judged."""
        while self._queue and not self.overflowed:
            item = self._queue.popleft()
            self.queued_bytes -= len(item.text)
            yield item

    async def _frame_of(self, published: Published) -> bytes:
        chosen = published.message if self.sieve is None else await self.sieve(published)
        if chosen is None:
            return b""
        if chosen is published.message:
            return published.framed(self.frame)
        return self.frame(compact(chosen))

    async def next_batch(self) -> bytes | None:
        """The frames queued so far, to be written at once, or None once the client has
        overflowed or we shut down."""
        while True:
            while not self._queue and not self._judged and not self.overflowed and \
                    not self.shutting_down:
                self._ready.clear()
                await self._ready.wait()
            if self._queue:
                await self.judge()
            if self.overflowed or self.shutting_down:
                return None
            if self._judged:
                batch = b"".join(self._judged)
                self._judged.clear()
                self.queued_bytes -= len(batch)
                return batch


class Hub:
    def __init__(self, queue_limit: int = 2000, queue_bytes: int = 8 * 1024 * 1024) -> None:
        self.queue_limit = queue_limit
        self.queue_bytes = queue_bytes
        self._subscribers: set[Subscriber] = set()

    def subscribe(self, frame: Frame, sieve: Sieve | None = None) -> Subscriber:
        subscriber = Subscriber(self.queue_limit, self.queue_bytes, frame, sieve)
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

    @property
    def queued_bytes(self) -> int:
        """What waits in every subscriber's queue."""
        return sum(subscriber.queued_bytes for subscriber in self._subscribers)

    def publish(self, make_message: Callable[[], Message], subject: Any = None) -> None:
        """Serialise once, frame once per framing, and only when somebody listens; a
        subscriber with a sieve gets the message to judge later, with its `subject` (the
        record it is about)."""
        if not self._subscribers:
            return
        published = Published(make_message(), subject)
        for subscriber in self._subscribers:
            subscriber.offer(published if subscriber.sieve is not None
                             else published.framed(subscriber.frame))
