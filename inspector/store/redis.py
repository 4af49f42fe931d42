"""One history in Redis, shared by every instance that names the same store.

Four rooms, joined here: the writer (`redis_writer.py`: batches of Lua scripts, which give ids
as they store), the follower (`redis_follower.py`: the log stream applied to a local replica,
which serves every read), the recovery (`redis_recovery.py`: noticing a loss, agreeing on where
ids go on), and what they share (`redis_records.py`: keys, records, this instance's standing).
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TextIO

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from ..captured import CapturedRequest
from ..conformance.judged import Judge
from ..models import Arrival, ResponseRecord
from ..query import Node
from . import redis_scripts
from .protocol import Announce, Scanned, Submitted, Window, record_of
from .redis_follower import Follower, read_history
from .redis_records import (
    CLAIMS,
    FAILURES,
    KEYS,
    NotOurs,
    Standing,
    check_layout,
    fields,
)
from .redis_recovery import CONNECTION_FAILURES, Joined, Recovery, describe
from .redis_url import RedisUnavailable, split_password
from .redis_writer import Writer

CLOSE_WAIT_S = 3.0
SCRIPTS = {"add": redis_scripts.ADD, "replace": redis_scripts.REPLACE,
           "delete": redis_scripts.DELETE, "clear": redis_scripts.CLEAR,
           "meta": redis_scripts.META, "join": redis_scripts.JOIN, "claim": redis_scripts.CLAIM}


def clients(url: str, environ: Mapping[str, str]) -> tuple[Any, Any]:
    """A client for writes and one for the blocking log reads. No silent retries: a failure
    must be seen, to hold the queue and to notice a Redis that changed."""
    address, password = split_password(url, environ)
    try:
        return (aioredis.Redis.from_url(address, password=password, socket_connect_timeout=2,
                                        socket_timeout=5, retry=Retry(NoBackoff(), 0)),
                aioredis.Redis.from_url(address, password=password, socket_connect_timeout=2,
                                        retry=Retry(NoBackoff(), 0)))
    except (ValueError, TypeError) as error:
        raise RedisUnavailable(f"not a Redis URL this client takes ({error})") from None


class RedisStore:
    """The Store protocol over a shared Redis (see the module's docstring)."""

    engine = "redis"
    shared = True

    def __init__(self, client: Any, reader: Any, max_requests: int, max_bytes: int,
                 err: TextIO) -> None:
        self._client = client
        self._reader = reader
        self._err = err
        self._standing = Standing(uuid.uuid4().hex, max_requests, max_bytes)
        self._scripts = {name: client.register_script(source)
                         for name, source in SCRIPTS.items()}
        self._writer = Writer(client, self._scripts, self._standing, lambda: self.last_id,
                              lambda error: self._recovery.lost(error),
                              lambda: self._recovery.changed())
        self._follower = Follower(reader, self._writer, self._standing,
                                  lambda error: self._recovery.lost(error))
        self._recovery = Recovery(client, self._scripts, self._standing, self._writer,
                                  self._follower, err)
        self._following: asyncio.Task[None] | None = None
        self._meta: dict[str, str] = {}
        self.instance = ""  # names the history: kept in the store's meta

    @classmethod
    async def open(cls, url: str, max_requests: int, max_bytes: int,
                   environ: Mapping[str, str], err: TextIO) -> RedisStore:
        client, reader = clients(url, environ)
        store = cls(client, reader, max_requests, max_bytes, err)
        try:
            await store._start()
        except NotOurs as error:
            await store.close()
            raise RedisUnavailable(str(error)) from None
        except CONNECTION_FAILURES as error:
            await store.close()
            raise RedisUnavailable(f"cannot reach Redis: {error}") from None
        except FAILURES as error:
            await store.close()
            raise RedisUnavailable(f"Redis answered an error: {describe(error)}") from None
        return store

    async def _start(self) -> None:
        """Whatever is under our keys is checked before anything is written to them."""
        await check_layout(self._client)
        newest = await self._client.xrevrange(KEYS["log"], count=1)
        replica = await read_history(self._client)
        self._standing.saw(int(await self._client.get(KEYS["next"]) or 0))
        self._follower.adopt(replica, newest[0][0].decode() if newest else "0-0")
        found = await self._recovery.join()
        self._adopt_meta(found)
        self._follower.resume()
        self._following = asyncio.create_task(self._follower.run(), name="redis-follow")
        self._recovery.watch()
        if not found.agreed:
            self._recovery.changed()

    def _adopt_meta(self, found: Joined) -> None:
        """The first instance wrote the history's name and bounds; a later one adopts them
        (and says so when its own differ)."""
        standing = self._standing
        self.instance = standing.instance = found.meta["instance"]
        standing.generation = found.meta["generation"]
        standing.epoch = found.epoch
        self._meta = found.meta
        bounds = int(found.meta["max_requests"]), int(found.meta["max_bytes"])
        if bounds != (standing.max_requests, standing.max_bytes):
            print(f"webhook-inspector: the Redis store keeps --max-requests {bounds[0]} and "
                  f"--max-bytes {bounds[1]} (set by the first instance); using those",
                  file=self._err, flush=True)
            standing.max_requests, standing.max_bytes = bounds

    async def close(self) -> None:
        """What waits is written if Redis takes it within a few seconds."""
        if self._writer.queued_records() and self._standing.state != "unreachable":
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._writer.drained(), CLOSE_WAIT_S)
        await self._recovery.close()
        await self._writer.close()
        # The log reader ends by itself within one blocking read: cancelling redis-py in the
        # middle of a blocking XREAD can leave the task waiting for good.
        self._follower.closed = True
        self._follower.resume()
        if self._following is not None:
            _, late = await asyncio.wait([self._following], timeout=CLOSE_WAIT_S + 1)
            for task in late:
                task.cancel()
        await self._follower.replica.close()  # its text index stops being made
        for client in (self._client, self._reader):
            with contextlib.suppress(*FAILURES):
                await client.aclose()

    def health(self) -> dict[str, object]:
        standing = self._standing
        found: dict[str, object] = {"engine": self.engine, "state": standing.state,
                                    "queued": self._writer.queued_records()}
        if standing.state != "ok":
            found["cause"] = standing.cause
        return found

    def durable(self) -> None:
        """Adds are answered through `submit`'s future; nothing else waits."""
        return None

    @property
    def announce(self) -> Announce:
        """Every change, this instance's own included, is announced as the follower applies
        it from the log."""
        return self._follower.announce

    @announce.setter
    def announce(self, announce: Announce) -> None:
        self._follower.announce = announce

    @property
    def judge(self) -> Judge:
        return self._follower.replica.judge  # the replica is what searches

    @judge.setter
    def judge(self, judge: Judge) -> None:
        self._follower.replica.judge = judge

    @property
    def max_requests(self) -> int:
        return self._standing.max_requests

    @property
    def max_bytes(self) -> int:
        return self._standing.max_bytes

    # ---- writes: through the writer, in order ----

    def submit(self, arrival: Arrival, learnt: dict[str, Any], dedupe_key: str | None,
               response: ResponseRecord | None, numbered: bool) -> Submitted:
        """Its id is given by Redis (and its original found there): the future resolves with
        the stored record once it is written and applied here, or with None at once while
        the store is not ok (the record waits in the queue). StoreBusy when that queue is
        full."""
        record = record_of(arrival, 0, learnt, response, False)
        return None, self._writer.submit(record, dedupe_key, numbered)

    async def drained(self) -> None:
        await self._writer.drained()

    def replace(self, record: CapturedRequest, quiet: bool = False) -> bool:
        if not self._follower.replica.replace(record):
            return False
        original = "" if record.duplicate_of is None else str(record.duplicate_of)
        self._writer.change("replace", [record.id, *fields(record), original])
        return True

    def delete(self, ids: Iterable[int]) -> list[int]:
        deleted = self._follower.replica.delete(ids)
        for request_id in deleted:
            self._writer.change("delete", [request_id])
        return deleted

    def clear(self) -> None:
        self._follower.replica.clear()
        self._writer.change("clear", [])

    async def claim(self, name: str, lease_s: float) -> bool:
        """This instance's claim on `name` for `lease_s` (taken, or renewed); False when
        another instance holds it, or when Redis cannot say (nobody acts on it then)."""
        try:
            taken = await self._scripts["claim"](keys=[CLAIMS + name],
                                                 args=[self._standing.name, int(lease_s * 1000)])
        except FAILURES:
            return False
        return bool(taken)

    def swap_meta(self, key: str, value: str) -> str | None:
        old = self._meta.get(f"user:{key}")
        self._meta[f"user:{key}"] = value
        self._writer.change("meta", [f"user:{key}", value], keys=[KEYS["meta"]])
        return old

    # ---- reads: from the replica ----

    @property
    def last_id(self) -> int:
        return self._follower.replica.last_id

    def __len__(self) -> int:
        return len(self._follower.replica)

    def original_of(self, dedupe_key: str) -> int | None:
        """Decided in Redis when the request is stored (the original may be another
        instance's)."""
        return None

    def get(self, request_id: int) -> CapturedRequest | None:
        return self._follower.replica.get(request_id)

    def after(self, after_id: int, limit: int = 1_000_000) -> list[CapturedRequest]:
        return self._follower.replica.after(after_id, limit)

    def newest(self, limit: int, before: int | None = None) -> list[CapturedRequest]:
        return self._follower.replica.newest(limit, before)

    def scan(self, query: Node, now: float, window: Window, load: bool = True
             ) -> Iterator[Scanned]:
        return self._follower.replica.scan(query, now, window, load)  # the memory engine's

    def search(self, query: Node, now: float, window: Window | None = None
               ) -> list[CapturedRequest]:
        return self._follower.replica.search(query, now, window)  # the memory engine's search

    def count(self, query: Node, now: float) -> int:
        return self._follower.replica.count(query, now)
