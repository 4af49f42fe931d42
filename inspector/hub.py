"""Fan-out of live messages to subscribers. Publishing never waits for a client and costs the
capture path the same whatever the number of subscribers: a message is appended once to one
shared log, and each subscriber reads the log from its own position.

The hub knows no wire format: each subscriber brings the function that frames a message's
JSON text for its connection, and a message is framed once per framing, however many listen;
subscribers that take the same stretch of the log with the same framing share one batch.
A subscriber with a sieve (a search) judges each message in its own writer, in order, when its
turn comes, and the sieves that see one message share a memo, so that subscribers searching
alike judge it once. Each subscriber may fall behind by a bounded number of messages and
bytes; past either it is dropped (it reconnects with after= and misses nothing stored). The
log is trimmed to the slowest live subscriber's position, so it never holds more than a bound.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Hashable, Iterator
from typing import Any

from .serialize import compact
from .steps import turns

Message = dict[str, Any]
Frame = Callable[[str], bytes]
NOT_KEPT: Message = {}  # a published message that no sieve will read (never mutated)

# Subscribers that keep up are looked at (to trim the log) once per this many messages or
# bytes published: publishing costs O(1) per message, amortised, and the log stays short.
TRIM_EVERY = 64
TRIM_EVERY_BYTES = 256 * 1024


class Published:
    """One message as every subscriber is handed it: its JSON text, made once; its frame, made
    once per framing; what it is about (the `subject`, opaque here), when it was published, and
    the judgements of the sieves that saw it (`memo`). With no sieve to read it, the message
    that follows it in the same change (a capture's eviction) may join it as `more`: logged
    and framed with it, each still its own frame, counted as two messages."""

    __slots__ = ("at", "frames", "memo", "message", "more", "subject", "text")

    def __init__(self, message: Message, subject: Any = None, text: str | None = None) -> None:
        self.message = message
        self.subject = subject
        self.at = time.time()
        # ASCII (the encoder escapes the rest): len is bytes
        self.text = compact(message) if text is None else text
        self.more: str | None = None
        self.frames: dict[Frame, bytes] = {}
        self.memo: dict[Hashable, Any] = {}

    def unsieved(self) -> None:
        """No sieve will read this message (a subscriber reads only what is published after
        it subscribed): keep its text while it waits in the log, not what it was made from."""
        self.message = NOT_KEPT
        self.subject = None

    @property
    def count(self) -> int:
        return 1 if self.more is None else 2

    @property
    def size(self) -> int:
        return len(self.text) if self.more is None else len(self.text) + len(self.more)

    def framed(self, frame: Frame) -> bytes:
        data = self.frames.get(frame)
        if data is None:
            more = self.more
            data = self.frames[frame] = \
                frame(self.text) if more is None else frame(self.text) + frame(more)
        return data


# A subscriber's choice: given a published message, the message to send (the same one, or
# another), or None to send nothing; awaited, so that a long judgement may be made elsewhere.
Sieve = Callable[[Published], Awaitable[Message | None]]


class Subscriber:
    """One client's place in the hub's log (`position`: the next message it takes) and, with a
    sieve, the frames judged to go that its writer has not taken yet."""

    def __init__(self, hub: Hub, frame: Frame, sieve: Sieve | None = None) -> None:
        self._hub = hub
        self.frame = frame
        self.sieve = sieve
        self.position = hub.end
        self.position_bytes = hub.end_bytes
        self.position_count = hub.end_count  # in messages (`position` is in entries)
        self._judged: list[bytes] = []  # with a sieve only
        self.judged_bytes = 0
        self._waiter: asyncio.Future[None] | None = None  # resolved by the next publish
        self.overflowed = False
        self.shutting_down = False
        self.on_overflow: Callable[[], object] | None = None

    @property
    def queued_bytes(self) -> int:
        """What waits for this client: its part of the log, and what it judged to send."""
        return self._hub.end_bytes - self.position_bytes + self.judged_bytes

    def fell_behind(self) -> bool:
        hub = self._hub
        return hub.end_count - self.position_count + len(self._judged) > hub.queue_limit or \
            self.queued_bytes > hub.queue_bytes

    def overflow(self) -> None:
        """The client fell behind: drop what waits; it reconnects with after= and misses
        nothing."""
        self.overflowed = True
        self._judged.clear()
        self.judged_bytes = 0
        if self.on_overflow is not None:
            self.on_overflow()
        self._wake()

    def shut_down(self) -> None:
        self.shutting_down = True
        self._wake()

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def judge(self) -> None:
        """With a sieve, judge what was published since this client's position, in order, in
        this subscriber's own task, never while it is published; the loop is given its turns
        (steps.turns), so that capture runs between judgements."""
        if self.sieve is None:
            return
        async for item in turns(self._arrived()):
            data = await self._frame_of(item)
            if self.overflowed:  # while it was judged
                return
            if data:
                self._judged.append(data)
                self.judged_bytes += len(data)
                if self.fell_behind():
                    self.overflow()
                    return

    def _arrived(self) -> Iterator[Published]:
        """What was published since this subscriber's position, oldest first, each passed as
        it is judged."""
        hub = self._hub
        while self.position < hub.end and not self.overflowed:
            item = hub.at(self.position)
            self.position += 1
            self.position_bytes += item.size
            self.position_count += item.count
            yield item

    async def _frame_of(self, published: Published) -> bytes:
        assert self.sieve is not None
        chosen = await self.sieve(published)
        if chosen is None:
            return b""
        if chosen is published.message:
            return published.framed(self.frame)
        return self.frame(compact(chosen))

    async def next_batch(self) -> bytes | None:
        """Every frame this client has not taken, to be written at once, or None once the
        client has overflowed or we shut down."""
        while True:
            if self.sieve is not None and self.position < self._hub.end:
                await self.judge()
            if self.overflowed or self.shutting_down:
                return None
            if self._judged:
                batch = b"".join(self._judged)
                self._judged.clear()
                self.judged_bytes = 0
                return batch
            hub = self._hub
            if self.sieve is None and self.position < hub.end:
                batch = hub.batch(self.frame, self.position)
                self.position, self.position_bytes, self.position_count = \
                    hub.end, hub.end_bytes, hub.end_count
                return batch
            # a future of its own (a cancelled pump cancels only its own), resolved by the
            # hub at the next publish (an Event's wait and set cost five calls more a wake)
            self._waiter = waiter = asyncio.get_running_loop().create_future()
            hub.waiting.append(waiter)
            await waiter


class Hub:
    """The subscribers and the log of what they have not all taken: `_log[0]` is the entry at
    position `_start`; positions, byte and message counts only grow. `_sealed`: the end when
    a subscriber last subscribed or took frames (the last entry then takes no more)."""

    def __init__(self, queue_limit: int = 2000, queue_bytes: int = 8 * 1024 * 1024) -> None:
        self.queue_limit = queue_limit
        self.queue_bytes = queue_bytes
        self._subscribers: set[Subscriber] = set()
        self.listeners = 0  # how many subscribe: read at each change the store announces
        self.sieved = 0  # subscribers with a sieve: they read the messages, not only texts
        self._log: list[Published] = []
        self._start = 0
        self._start_bytes = 0
        self.end_bytes = 0
        self._start_count = 0
        self.end_count = 0
        self._sealed = 0
        self.end = 0  # the position the next message published takes
        self._trim_at = (0, 0)
        self.waiting: list[asyncio.Future[None]] = []  # resolved at the next publish
        self._batches: dict[Frame, tuple[int, int, bytes]] = {}  # the last, per framing

    def at(self, position: int) -> Published:
        return self._log[position - self._start]

    def subscribe(self, frame: Frame, sieve: Sieve | None = None) -> Subscriber:
        subscriber = Subscriber(self, frame, sieve)
        self._sealed = self.end
        self._subscribers.add(subscriber)
        self.listeners = len(self._subscribers)
        self.sieved += sieve is not None
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        if subscriber in self._subscribers:
            self._subscribers.remove(subscriber)
            self.listeners = len(self._subscribers)
            self.sieved -= subscriber.sieve is not None
        if not self._subscribers:
            self._trim()

    def shut_down(self) -> None:
        """Let every client's pump finish so that its websocket can be closed."""
        for subscriber in self._subscribers:
            subscriber.shut_down()

    @property
    def queued_bytes(self) -> int:
        """What waits for the subscribers: the log, and what sieves judged to send."""
        return self.end_bytes - self._start_bytes + \
            sum(subscriber.judged_bytes for subscriber in self._subscribers)

    def publish(self, make_message: Callable[[], Message], subject: Any = None) -> None:
        """Serialise once, and only when somebody listens; append to the log, with its
        `subject` (the record it is about) for the sieves; wake the writers that wait."""
        if not self._subscribers:
            return
        published = Published(make_message(), subject)
        if not self.sieved:
            published.unsieved()
        self.publish_text(published.text, entry=published)

    def publish_text(self, text: str, joins: bool = False, entry: Published | None = None
                     ) -> None:
        """`publish` of a message's JSON text alone: for when no sieve listens (`sieved`), so
        that nobody reads the message. `joins`: the message follows the one just published,
        in the same change; it joins that one's entry while no subscriber has taken it or
        subscribed after it (`_sealed`). `entry`: `publish`'s, logged as it is."""
        if not self._subscribers:
            return
        log = self._log
        last = log[-1] if joins and log and self._sealed != self.end else None
        if last is not None and entry is None and last.more is None and \
                last.message is NOT_KEPT:
            last.more = text
        else:
            log.append(Published(NOT_KEPT, None, text) if entry is None else entry)
            self.end += 1
        self.end_bytes += len(text)
        self.end_count += 1
        if self.end_count - self._start_count > self._trim_at[0] or \
                self.end_bytes - self._start_bytes > self._trim_at[1]:
            self._trim()
        if self.waiting:
            for waiter in self.waiting:
                if not waiter.done():  # not cancelled with its pump
                    waiter.set_result(None)
            self.waiting.clear()

    def batch(self, frame: Frame, position: int) -> bytes:
        """The frames from `position` to the end, joined; made once for all the subscribers
        that take the same stretch with the same framing (the last entry takes no more)."""
        end = self._sealed = self.end
        last = self._batches.get(frame)
        if last is not None and last[0] == position and last[1] == end:
            return last[2]
        data = b"".join([published.framed(frame)
                         for published in self._log[position - self._start:]])
        self._batches[frame] = (position, end, data)
        return data

    def _trim(self) -> None:
        """Close the subscribers that fell behind, and drop what every other one has taken."""
        oldest = (self.end, self.end_bytes, self.end_count)
        for subscriber in self._subscribers:
            if not subscriber.overflowed and subscriber.fell_behind():
                subscriber.overflow()
            if not subscriber.overflowed:
                oldest = min(oldest, (subscriber.position, subscriber.position_bytes,
                                      subscriber.position_count))
        start, self._start_bytes, self._start_count = oldest
        del self._log[:start - self._start]
        self._start = start
        self._batches = {frame: batch for frame, batch in self._batches.items()
                         if batch[0] >= start}
        self._trim_at = (min(self.end_count - self._start_count + TRIM_EVERY, self.queue_limit),
                         min(self.end_bytes - self._start_bytes + TRIM_EVERY_BYTES,
                             self.queue_bytes))
