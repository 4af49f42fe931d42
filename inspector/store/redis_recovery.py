"""The Redis store's recovery: noticing that the store failed or changed under us, and agreeing
with the other instances on where ids go on before any of them gives one again.

Every instance runs JOIN (`redis_scripts.py`) at start, every CHECK_S while ok, and until the
epoch is agreed after a loss: it says the highest id the instance has given or seen (its
floor), raises `next` to it, and answers the epoch in force. A Redis restarted (whatever it
loaded), flushed, or with `next` below an instance's floor begins a new epoch; ADD refuses any
instance that is not in the agreed epoch, so a paused instance that wakes up recovers before it
gives an id. See docs/architecture.md for why.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Mapping
from typing import Any, NamedTuple, TextIO

from redis.backoff import EqualJitterBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from .redis_follower import Follower, read_history
from .redis_records import FAILURES, KEYS, SCHEMA_VERSION, Standing
from .redis_writer import Writer

CHECK_S = 1.0  # how often an instance checks the store's epoch and says its floor
SILENT_S = 5.0  # an instance not heard from for this long is not waited for
AGREE_WAIT_S = 3.0  # an agreement waits at most this long for the instances it expects
AGREE_POLL_S = 0.1
LEAVE_WAIT_S = 1.0
BACKOFF = EqualJitterBackoff(cap=2.0, base=0.1)  # between attempts, while failing in a row
JOIN_KEYS = [KEYS[name] for name in ("meta", "next", "floors", "expected", "log")]
CONNECTION_FAILURES = (RedisConnectionError, RedisTimeoutError, OSError, asyncio.TimeoutError)


class Joined(NamedTuple):
    """What JOIN answered: the store's meta, each instance's floor (highest id, when said),
    `next` as found, the newest log entry, whether the caller's log position is still in the
    log, and Redis's clock."""

    meta: dict[str, str]
    floors: dict[str, tuple[int, float]]
    found_next: int
    newest: str
    kept: bool
    now: float

    @property
    def epoch(self) -> str:
        return self.meta.get("epoch", "")

    @property
    def agreed(self) -> bool:
        return self.meta.get("agreed") == "1"

    def heard_lately(self, besides: str) -> list[str]:
        return [name for name, (_, said_at) in self.floors.items()
                if name != besides and self.now - said_at < SILENT_S]


def _text_pairs(flat: list[bytes]) -> dict[str, str]:
    return {flat[i].decode(): flat[i + 1].decode() for i in range(0, len(flat), 2)}


def joined(reply: list[Any]) -> Joined:
    meta, floors, found_next, newest, kept, now = reply
    said = {name: value.partition(":") for name, value in _text_pairs(floors).items()}
    return Joined(_text_pairs(meta),
                  {name: (int(highest), float(at)) for name, (highest, _, at) in said.items()},
                  int(found_next), newest.decode(), kept == 1, float(now))


def describe(error: BaseException) -> str:
    """The cause, without the command a pipeline adds to it (which carries captured data)."""
    text = str(error)
    text = text.partition(" of pipeline caused error: ")[2] or text
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


class Recovery:
    """Watches the store, and brings this instance back into an agreed epoch after a loss."""

    def __init__(self, client: Any, scripts: Mapping[str, Any], standing: Standing,
                 writer: Writer, follower: Follower, err: TextIO) -> None:
        self._client = client
        self._scripts = scripts
        self._standing = standing
        self._writer = writer
        self._follower = follower
        self._err = err
        self._peers: list[str] = []  # the instances heard from lately: an agreement waits
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._joined = False  # this instance has said its floor: it leaves when it closes
        self.closed = False

    async def join(self) -> Joined:
        standing = self._standing
        arguments = [standing.epoch, standing.name, standing.highest, self._follower.position,
                     uuid.uuid4().hex, SILENT_S, AGREE_WAIT_S,
                     standing.instance or uuid.uuid4().hex, uuid.uuid4().hex, SCHEMA_VERSION,
                     standing.max_requests, standing.max_bytes, *self._peers]
        found = joined(await self._scripts["join"](keys=JOIN_KEYS, args=arguments))
        self._peers = found.heard_lately(besides=standing.name)
        self._joined = True
        return found

    def watch(self) -> None:
        self._tasks["watch"] = asyncio.create_task(self._watch(), name="redis-watch")

    def lost(self, error: BaseException) -> None:
        """Redis failed a command: unreachable, too slow, or answering an error."""
        if isinstance(error, CONNECTION_FAILURES):
            said = f"Redis unreachable ({error}); requests wait in memory until it is back"
        else:
            said = f"Redis answered an error ({describe(error)}); requests wait in memory " \
                   "until it takes them"
        self._begin(describe(error), said)

    def changed(self) -> None:
        """The store left this instance's epoch (restarted, restored, flushed)."""
        self._begin("the store changed (Redis restarted, restored or flushed): agreeing with "
                    "the other instances on where ids go on", None)

    async def close(self) -> None:
        self.closed = True
        for task in self._tasks.values():
            task.cancel()
        await asyncio.gather(*self._tasks.values(), return_exceptions=True)
        if self._joined and not self._recovering():  # the others need not wait for us
            with contextlib.suppress(*FAILURES):
                await asyncio.wait_for(self._client.hdel(KEYS["floors"], self._standing.name),
                                       LEAVE_WAIT_S)

    def _begin(self, cause: str, said: str | None) -> None:
        standing = self._standing
        if self.closed or self._recovering():
            return
        if standing.state == "ok" and said is not None:  # draining: the same outage goes on
            self._say(said)
        standing.state, standing.cause = "unreachable", cause
        standing.failures += 1
        self._follower.pause()
        self._writer.hold()
        self._tasks["recover"] = asyncio.create_task(self._recover(), name="redis-recover")

    async def _watch(self) -> None:
        while not self.closed:
            await asyncio.sleep(CHECK_S)
            if self._recovering():
                continue
            try:
                found = await self.join()
            except FAILURES as error:
                self.lost(error)
                continue
            if self._recovering():  # it began meanwhile
                continue
            if found.epoch != self._standing.epoch or not found.agreed:
                self.changed()
            elif self._standing.state == "ok":
                self._standing.failures = 0  # a second of health ends a run of failures

    async def _recover(self) -> None:
        standing = self._standing
        lost_data = False
        delay = BACKOFF.compute(standing.failures)
        while not self.closed:
            await asyncio.sleep(delay)
            try:
                found = await self.join()
                lost_data = lost_data or not found.kept or \
                    found.meta.get("generation") != standing.generation
                if not found.agreed:
                    delay = AGREE_POLL_S
                    continue
                await self._settle(found, lost_data)
                return
            except FAILURES as error:
                standing.cause = describe(error)
                standing.failures += 1
                delay = BACKOFF.compute(standing.failures)

    async def _settle(self, found: Joined, lost_data: bool) -> None:
        """Agreed: the history is read again if Redis lost some of what we hold, and the
        queue goes out under the new epoch."""
        standing = self._standing
        if lost_data:
            replica = await read_history(self._client)
            await self._follower.adopt(replica, found.newest).close()
            self._writer.forget_written()
            emptied = found.meta.get("generation") != standing.generation
            standing.generation = found.meta.get("generation", "")
            floor = max(found.found_next, standing.highest)
            what = "came back empty (restarted without its data, or flushed): the history " \
                   "before it is gone" if emptied else "came back with an older copy of the " \
                   "history: what was written after that copy is gone"
            reason = f"Redis {what}; ids go on above {floor}"
            self._say(reason)
            self._follower.announce("clear", reason)
        standing.epoch = found.epoch
        standing.state = "draining" if self._writer.queued_records() else "ok"
        if standing.state == "ok":
            standing.cause = None
        self._follower.resume()
        self._writer.flush()

    def _recovering(self) -> bool:
        return self._standing.state == "unreachable"

    def _say(self, line: str) -> None:
        print(f"webhook-inspector: {line}", file=self._err, flush=True)
