"""Holding (SPEC 14): while a `hold = true` route's app is down, its requests wait in the
route's queue and are redelivered in arrival order, with backoff, until the app answers.

The queue is the route's records marked `held = "waiting"`, in id (arrival) order: the mark is
written with the record, in the store's own commit, so a durable store resumes the queue after
a restart (even a `kill -9`) with nothing to reconcile, and a delivery is marked `delivered`
(committed) before the next one goes. With Redis every instance resumes what it finds, and a
claim with a lease decides which one delivers a route's queue; every LOOK_S each instance also
looks in its replica for held requests it has not queued (another instance held them), so that
when that instance dies its queue is delivered by another once the claim's lease lapses.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from .analysis import ConfiguredSecret
from .captured import CapturedRequest
from .client import Client
from .config import Config
from .models import Replay, ResponseRecord
from .outbound import without_hop_by_hop
from .replay import ReplayError, ReplayPlan, resign, send_replay
from .routing import Route
from .serialize import rfc3339
from .steps import turns
from .store.protocol import Store, StoreBusy, records_after

BACKOFF_FIRST_S = 1.0
BACKOFF_MOST_S = 60.0
MAX_ATTEMPTS_KEPT = 50  # per request, as replays are
CLAIM_MARGIN_S = 10.0  # a queue's claim (Redis) outlasts an attempt by this much
LOOK_S = 2.0  # with a shared store, how often a queue is looked for in the replica


def backoff_s(failures: int) -> float:
    """The wait before the next attempt after `failures` in a row: 1 s, doubling, 60 s at most."""
    return min(BACKOFF_MOST_S, BACKOFF_FIRST_S * 2.0 ** min(failures - 1, 16))


class Clock(Protocol):
    """When it is, and waiting (until `wake` is set, at most `seconds`): injected, so that a
    test does not wait out real backoff."""

    def now(self) -> float: ...
    async def wait(self, seconds: float, wake: asyncio.Event) -> None: ...


class LoopClock:
    def now(self) -> float:
        return time.time()

    async def wait(self, seconds: float, wake: asyncio.Event) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(wake.wait(), seconds)


class Keeper(Protocol):
    """What holding needs of the shared state (state.SharedState)."""

    config: Config
    store: Store
    secrets: list[ConfiguredSecret]

    def update(self, record: CapturedRequest) -> None: ...
    async def written(self) -> None: ...


@dataclass
class HeldQueue:
    route: Route
    waiting: deque[int] = field(default_factory=deque)
    failures: int = 0
    next_attempt: float | None = None
    last_error: str | None = None
    look_at: float = 0.0  # when the replica is next looked at for this route's held requests
    wake: asyncio.Event = field(default_factory=asyncio.Event)

    def json(self) -> dict[str, Any]:
        return {"waiting": len(self.waiting), "ids": list(self.waiting),
                "failures": self.failures, "last_error": self.last_error,
                "next_attempt": None if self.next_attempt is None or not self.waiting
                else rfc3339(self.next_attempt)}


class Holding:
    """Every hold route's queue, and one delivering task per queue."""

    def __init__(self, keeper: Keeper, routes: Sequence[Route], session: Client,
                 clock: Clock | None = None) -> None:
        self.keeper = keeper
        self.session = session
        self.clock: Clock = clock or LoopClock()
        self.queues = {route.index: HeldQueue(route) for route in routes if route.spec.hold}
        self.shared = keeper.store.shared  # another instance may hold a request too
        self._task: asyncio.Task[None] | None = None

    @property
    def held(self) -> int:
        return sum(len(queue.waiting) for queue in self.queues.values())

    def queue_for(self, route: Route) -> HeldQueue | None:
        """The route's queue while it has room (--max-held over every queue), else None."""
        if self.held >= self.keeper.config.max_held:
            return None
        return self.queues.get(route.index)

    def hold(self, queue: HeldQueue, record: CapturedRequest, answer: ResponseRecord) -> None:
        if not queue.waiting:  # forwarding it was the first attempt: the next in 1 s
            queue.failures = 1
            queue.next_attempt = self.clock.now() + backoff_s(1)
        queue.waiting.append(record.id)
        self.keeper.update(record._replace(held="waiting", response=answer))
        queue.wake.set()

    def deliver_now(self, index: int) -> HeldQueue | None:
        queue = self.queues.get(index)
        if queue is not None:
            queue.next_attempt = None
            queue.wake.set()
        return queue

    def drop(self, index: int, request_id: int) -> bool:
        """Take a request out of its queue (it is not delivered); False when not there."""
        queue = self.queues.get(index)
        if queue is None or request_id not in queue.waiting:
            return False
        queue.waiting.remove(request_id)
        record = self.keeper.store.get(request_id)
        if record is not None:
            self.keeper.update(record._replace(held="dropped"))
        return True

    def start(self) -> None:
        if self.queues and self._task is None:
            self._task = asyncio.ensure_future(self._run())

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        await self._resume()
        await asyncio.gather(*(self._deliver(queue) for queue in self.queues.values()))

    async def _resume(self) -> None:
        """The queues a durable store kept."""
        for queue in self.queues.values():
            await self._look(queue)

    async def _look(self, queue: HeldQueue) -> None:
        """The route's requests the store marks waiting join its queue, in id order (whichever
        instance held them); those it marks delivered or dropped leave it. What the store
        holds here is read (a shared store's replica), a slice at a time."""
        marked: dict[str, set[int]] = {"waiting": set(), "delivered": set(), "dropped": set()}
        async for record in turns(records_after(self.keeper.store, 0)):
            if record.held is not None and record.route == queue.route.taken:
                marked[record.held].add(record.id)
        queue.waiting = deque(sorted(
            ({*queue.waiting} | marked["waiting"]) - marked["delivered"] - marked["dropped"]))
        queue.look_at = self.clock.now() + LOOK_S

    async def _deliver(self, queue: HeldQueue) -> None:
        while True:
            queue.wake.clear()
            if self.shared and queue.look_at <= self.clock.now():
                await self._look(queue)
            if not queue.waiting and self.shared:  # another instance may hold some meanwhile
                await self.clock.wait(queue.look_at - self.clock.now(), queue.wake)
            elif not queue.waiting:
                await queue.wake.wait()
            elif queue.next_attempt is not None and queue.next_attempt > self.clock.now():
                await self.clock.wait(queue.next_attempt - self.clock.now(), queue.wake)
            elif await self._claimed(queue):
                try:
                    await self._attempt(queue, queue.waiting[0])
                except Exception as error:  # the queue's task lives on: tried again later
                    queue.failures += 1
                    queue.next_attempt = self.clock.now() + backoff_s(queue.failures)
                    queue.last_error = f"attempt failed: {type(error).__name__}"
            else:  # another instance delivers this queue: look again in a while
                queue.next_attempt = self.clock.now() + BACKOFF_FIRST_S
                queue.last_error = "another instance delivers this queue"

    async def _claimed(self, queue: HeldQueue) -> bool:
        """With a shared store (Redis), the one instance that delivers the route's queue is
        the one holding its claim, renewed at every attempt: each held request is delivered
        by one instance, in order, once (the others' queues find it delivered)."""
        lease = self.keeper.config.forward_timeout + CLAIM_MARGIN_S
        name = f"route:{queue.route.index}:{queue.route.shown_to}"
        return await self.keeper.store.claim(name, lease)

    async def _attempt(self, queue: HeldQueue, request_id: int) -> None:
        record = self.keeper.store.get(request_id)
        if record is None or record.held != "waiting":  # gone, dropped, or another delivered it
            _forget(queue, request_id)
            if record is None:
                queue.last_error = f"#{request_id} left the history (deleted, or evicted past " \
                                   "--max-requests) before it was delivered"
            return
        attempt = await self._send(queue.route, record, queue.failures + 1)
        if attempt.status is None:  # not answered: the head waits, and so do the rest
            queue.failures += 1
            queue.next_attempt = self.clock.now() + backoff_s(queue.failures)
            queue.last_error = attempt.error
        else:  # the app answered (a 5xx too: that is its answer)
            queue.failures, queue.next_attempt, queue.last_error = 0, None, None
            _forget(queue, request_id)
        current = self.keeper.store.get(request_id)
        if current is not None:
            delivered = attempt.status is not None and current.held == "waiting"
            self.keeper.update(current._replace(
                replays=(*current.replays, attempt)[-MAX_ATTEMPTS_KEPT:],
                held="delivered" if delivered else current.held))
        await self.kept()  # delivered is kept before the next one goes

    async def kept(self) -> None:
        """Once the marks made so far are stored for good (a commit; Redis: written)."""
        with contextlib.suppress(StoreBusy):
            await self.keeper.written()
        await self.keeper.store.drained()

    async def _send(self, route: Route, record: CapturedRequest, attempt: int) -> Replay:
        """One attempt, signed again where the provider's secret is configured (a held
        delivery would otherwise arrive with a stale timestamp)."""
        assert route.upstream is not None  # a drop route holds nothing
        plan = ReplayPlan(record.method, str(route.upstream.url(record.path, record.query)),
                          without_hop_by_hop(record.headers), record.body)
        note = f"held delivery, attempt {attempt}"
        if record.provider or record.signatures:
            try:
                plan = resign(plan, record, self.keeper.secrets, self.clock.now())
                note += ", signed again"
            except ReplayError:
                note += ", sent as captured: its signature may be stale"
        sent = await send_replay(self.session, plan, self.keeper.config.forward_timeout,
                                 self.keeper.secrets)
        return replace(sent, note=note)


def _forget(queue: HeldQueue, request_id: int) -> None:
    with contextlib.suppress(ValueError):
        queue.waiting.remove(request_id)
