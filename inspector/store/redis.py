"""One history in Redis, shared by every instance that names the same store.

Writes go to Redis as Lua scripts (`redis_scripts.py`): the requests captured during one turn
of the event loop travel in one script call, which gives their ids, finds their originals by
dedupe key, evicts past the bounds and appends each change to a log stream. Every instance
follows that stream and applies it to a local replica (a MemoryStore, unbounded itself: the
bounds are enforced in Redis and arrive as deletes), which serves all reads; so every instance
announces the same changes in the same, ascending order, its own included.

A request's answer waits until its record is written and applied here. While Redis cannot be
reached the records wait in a bounded queue, in order, and are answered at once (with a null
id, since no id can be given without Redis); the queue is written when Redis is back. When
the queue is full a sender is told to retry (the hooks listener answers 503).
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TextIO
from urllib.parse import urlsplit, urlunsplit

from ..answers import numbered_body
from ..models import CapturedRequest
from ..query import Node
from . import codec, redis_scripts
from .memory import MemoryStore
from .protocol import Announce, Found, StoreBusy, Window

try:
    import redis.asyncio as aioredis
    from redis.asyncio.retry import Retry
    from redis.backoff import NoBackoff
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError
except ImportError:  # pragma: no cover - the extra is not installed
    aioredis = None  # type: ignore[assignment]
    RedisConnectionError = RedisTimeoutError = OSError  # type: ignore[assignment,misc]

PREFIX = "webhook-inspector:"
SCHEMA_VERSION = "1"
LOG_LENGTH = 100_000  # changes kept in the log stream (approximately)
QUEUE_RECORDS = 10_000  # waiting while Redis is unreachable
QUEUE_BYTES = 64 * 1024 * 1024
BATCH_RECORDS = 500  # records in one script call at most
RETRY_S = 0.2
BLOCK_MS = 500  # a log read waits this long for news (and closing waits for it at most)
CLOSE_WAIT_S = 3.0
# Redis away or too slow; anything else (a script's error) is a bug and is not retried.
FAILURES = (RedisConnectionError, RedisTimeoutError, OSError, asyncio.TimeoutError)
KEYS = {name: PREFIX + name for name in ("meta", "next", "ids", "bytes", "dedupe", "log")}
RECORDS = PREFIX + "req:"
CHANGE_KEYS = [KEYS["ids"], KEYS["bytes"], KEYS["dedupe"], KEYS["log"]]


class RedisUnavailable(Exception):
    """Redis cannot be used at start; the message says why (one line, exit 2)."""


def resolve_password(url: str, environ: Mapping[str, str]) -> str:
    """`redis://:env:NAME@host/0` takes the password from the environment."""
    split = urlsplit(url)
    password = split.password or ""
    if not password.startswith("env:"):
        return url
    value = environ.get(password[4:])
    if value is None:
        raise RedisUnavailable(f"the environment variable {password[4:]} is not set")
    user = split.username or ""
    host = split.hostname or "localhost"
    netloc = f"{user}:{value}@{host}" + (f":{split.port}" if split.port else "")
    return urlunsplit(split._replace(netloc=netloc))


def without_password(url: str) -> str:
    split = urlsplit(url)
    if split.password is None:
        return url
    netloc = f"{split.username or ''}:***@{split.hostname}" + \
        (f":{split.port}" if split.port else "")
    return urlunsplit(split._replace(netloc=netloc))


def _fields(record: CapturedRequest) -> list[bytes | str | int]:
    document, blobs = codec.encode(record)
    return [document, *blobs.values(), record.stored_bytes]


def _numbered(record: CapturedRequest, request_id: int | None) -> CapturedRequest:
    """The record whose response is the default answer, naming this id (None: not given)."""
    if record.response is None:
        return record
    return record._replace(response=record.response._replace(body=numbered_body(request_id)))


def _given(record: CapturedRequest, request_id: int, original: bytes | str,
           numbered: bool) -> CapturedRequest:
    """The record with what the store gave it: its id, its original, the id in its answer."""
    record = record._replace(id=request_id, duplicate_of=int(original) if original else None)
    return _numbered(record, request_id) if numbered else record


def _decode(request_id: int, stored: dict[bytes, bytes]) -> CapturedRequest:
    blobs = {name: stored[name.encode()] for name in codec.BLOBS}
    return _given(codec.decode(stored[b"doc"], blobs), request_id, stored.get(b"dup", b""),
                  stored.get(b"numbered") == b"1")


@dataclass
class _Add:
    """A captured request waiting for its id; `numbered`: its answer carries the id."""

    record: CapturedRequest
    dedupe_key: str | None
    numbered: bool
    done: asyncio.Future[CapturedRequest | None]

    def answer_without_id(self) -> None:
        """Redis is away: the sender is answered now, and the record says what it got."""
        if self.numbered:
            self.record = _numbered(self.record, None)
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


class RedisStore:
    """The Store protocol over a shared Redis (see the module's docstring)."""

    engine = "redis"
    assigns_ids = True

    def __init__(self, client: Any, reader: Any, max_requests: int, max_bytes: int,
                 err: TextIO) -> None:
        self._client = client
        self._reader = reader
        self.max_requests = max_requests
        self.max_bytes = max_bytes
        self._err = err
        self.instance = ""
        self._generation = ""  # changes when Redis lost its data
        self._meta: dict[str, str] = {}
        self.replica = MemoryStore(sys.maxsize, sys.maxsize)
        self._highest = 0  # the highest id this instance has seen given
        self._log_position = "0-0"
        self.announce: Announce = lambda kind, payload: None
        self._queue: list[_Batch] = []
        self._queued_bytes = 0
        self._sending: asyncio.Task[None] | None = None
        self._flush_planned = False
        self._state = "ok"
        self._closed = False
        self._back = asyncio.Event()
        self._back.set()
        self._applied_waiters: list[tuple[int, _Add, CapturedRequest]] = []
        # Records this instance wrote, until read back from the log: not fetched again.
        self._written: dict[int, CapturedRequest] = {}
        self._batch_answered: asyncio.Future[None] | None = None  # the batch being sent
        self._tasks: list[asyncio.Task[None]] = []
        self._scripts: dict[str, Any] = {}

    # ---- opening ----

    @classmethod
    async def open(cls, url: str, max_requests: int, max_bytes: int,
                   environ: Mapping[str, str], err: TextIO) -> RedisStore:
        if aioredis is None:
            raise RedisUnavailable("the redis client is not installed: "
                                   "pip install 'webhook-inspector[redis]'")
        real_url = resolve_password(url, environ)
        # No silent retries: a lost connection must be seen, to queue and to notice a
        # Redis that came back empty.
        client = aioredis.Redis.from_url(real_url, socket_connect_timeout=2, socket_timeout=5,
                                         retry=Retry(NoBackoff(), 0))
        reader = aioredis.Redis.from_url(real_url, socket_connect_timeout=2,
                                         retry=Retry(NoBackoff(), 0))
        store = cls(client, reader, max_requests, max_bytes, err)
        try:
            await client.ping()
            await store._initialise()
        except FAILURES as error:
            await store.close()
            raise RedisUnavailable(f"cannot reach Redis: {error}") from None
        store._tasks.append(asyncio.create_task(store._follow()))
        return store

    async def _initialise(self) -> None:
        for name, source in (("add", redis_scripts.ADD), ("replace", redis_scripts.REPLACE),
                             ("delete", redis_scripts.DELETE), ("clear", redis_scripts.CLEAR),
                             ("meta", redis_scripts.META)):
            self._scripts[name] = self._client.register_script(source)
        await self._agree_on_meta()
        newest = await self._client.xrevrange(KEYS["log"], count=1)
        self._log_position = newest[0][0].decode() if newest else "0-0"
        await self._load_history()

    async def _agree_on_meta(self) -> None:
        """The first instance writes the history's name and bounds; a later one adopts them
        (and says so when its own differ)."""
        mine = {"instance": uuid.uuid4().hex, "generation": uuid.uuid4().hex,
                "schema": SCHEMA_VERSION, "max_requests": str(self.max_requests),
                "max_bytes": str(self.max_bytes)}
        if self.instance:
            mine["instance"] = self.instance  # the history goes on under its name
        for key, value in mine.items():
            await self._client.hsetnx(KEYS["meta"], key, value)
        stored = await self._client.hgetall(KEYS["meta"])
        self._meta = {key.decode(): value.decode() for key, value in stored.items()}
        self.instance = self._meta["instance"]
        self._generation = self._meta["generation"]
        bounds = int(self._meta["max_requests"]), int(self._meta["max_bytes"])
        if bounds != (self.max_requests, self.max_bytes):
            print(f"webhook-inspector: the Redis store keeps --max-requests {bounds[0]} and "
                  f"--max-bytes {bounds[1]} (set by the first instance); using those",
                  file=self._err, flush=True)
            self.max_requests, self.max_bytes = bounds

    async def _load_history(self) -> None:
        ids = [int(i) for i in await self._client.zrange(KEYS["ids"], 0, -1)]
        for start in range(0, len(ids), 500):
            page = ids[start:start + 500]
            async with self._client.pipeline(transaction=False) as pipe:
                for request_id in page:
                    pipe.hgetall(RECORDS + str(request_id))
                found = await pipe.execute()
            for request_id, stored in zip(page, found, strict=True):
                if stored:
                    self.replica.add(_decode(request_id, stored))
        highest = await self._client.get(KEYS["next"])
        self._highest = max(self._highest, int(highest or 0))

    async def close(self) -> None:
        """What waits is written if Redis takes it within a few seconds."""
        if self._queue and self._state != "unreachable":
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.drained(), CLOSE_WAIT_S)
        self._closed = True  # nothing new is sent or retried from here on
        self._back.set()
        # The log reader ends by itself within one blocking read: cancelling redis-py in the
        # middle of a blocking XREAD can leave the task waiting for good.
        for task in self._tasks[1:]:  # recovering: safe to cancel while it sleeps or pings
            task.cancel()
        if self._tasks:
            _, late = await asyncio.wait(self._tasks, timeout=BLOCK_MS / 1000 + CLOSE_WAIT_S)
            for task in late:
                task.cancel()
        if self._sending is not None:
            with contextlib.suppress(asyncio.CancelledError, *FAILURES):
                await self._sending
        for batch in self._queue:
            for add in batch.adds:
                add.answer_without_id()
        await self.replica.close()  # its text index stops being made
        for client in (self._client, self._reader):
            with contextlib.suppress(*FAILURES):
                await client.aclose()

    # ---- writes ----

    def submit(self, record: CapturedRequest, dedupe_key: str | None,
               numbered: bool) -> asyncio.Future[CapturedRequest | None]:
        """Store a captured request (its id is given by Redis): resolves with the stored
        record once it is written and applied here, or with None at once while Redis is
        away (the record waits in the queue). StoreBusy when that queue is full."""
        if self._queued_records() >= QUEUE_RECORDS or self._queued_bytes >= QUEUE_BYTES:
            raise StoreBusy("the queue of requests waiting for Redis is full")
        add = _Add(record, dedupe_key, numbered, asyncio.get_running_loop().create_future())
        self._open_batch().adds.append(add)
        self._queued_bytes += record.stored_bytes
        if self._state != "ok":
            add.answer_without_id()
        return add.done

    async def drained(self) -> None:
        while self._queue and self._state != "unreachable":
            self._flush()
            if self._sending is not None:
                await asyncio.shield(self._sending)

    def _queued_records(self) -> int:
        return sum(len(batch.adds) for batch in self._queue)

    def _open_batch(self) -> _Batch:
        """The batch still being filled (one that was sent is not)."""
        if not self._queue or self._queue[-1].sent or \
                len(self._queue[-1].adds) >= BATCH_RECORDS:
            self._queue.append(_Batch())
        if not self._flush_planned:
            self._flush_planned = True
            asyncio.get_running_loop().call_soon(self._flush)
        return self._queue[-1]

    def _change(self, script: str, arguments: list[Any],
                keys: list[str] = CHANGE_KEYS) -> None:
        batch = self._open_batch()
        if batch.adds:  # keep order: adds travel before the changes that follow them
            batch = _Batch()
            self._queue.append(batch)
        batch.others.append((script, keys, [RECORDS, LOG_LENGTH, *arguments]))

    def _flush(self) -> None:
        self._flush_planned = False
        if self._closed:
            return
        if self._sending is None and self._queue and self._state != "unreachable":
            self._sending = asyncio.create_task(self._send_queue())

    async def _send_queue(self) -> None:
        try:
            while self._queue:
                batch = self._queue[0]
                try:
                    await self._send(batch)
                except FAILURES as error:
                    self._lost(error)
                    return
                self._queue.pop(0)
                self._queued_bytes -= sum(add.record.stored_bytes for add in batch.adds)
            if self._state == "draining":
                self._state = "ok"
        finally:
            self._sending = None

    async def _send(self, batch: _Batch) -> None:
        batch.sent = True
        self._batch_answered = asyncio.get_running_loop().create_future()
        try:
            await self._send_batch(batch)
        finally:
            self._batch_answered.set_result(None)
            self._batch_answered = None

    async def _send_batch(self, batch: _Batch) -> None:
        async with self._client.pipeline(transaction=False) as pipe:
            for script, keys, arguments in batch.others:
                await self._scripts[script](keys=keys, args=arguments, client=pipe)
            if batch.adds:
                records: list[Any] = [RECORDS, LOG_LENGTH, self._highest,
                                      self.max_requests, self.max_bytes]
                for add in batch.adds:
                    records += [*_fields(add.record), add.dedupe_key or "",
                                "1" if add.numbered else "0"]
                await self._scripts["add"](keys=[*CHANGE_KEYS, KEYS["next"], batch.marker],
                                           args=records, client=pipe)
            results = await pipe.execute()
        if batch.adds:
            given = results[-1]
            for index, add in enumerate(batch.adds):
                request_id, original = int(given[2 * index]), given[2 * index + 1]
                self._highest = max(self._highest, request_id)
                stored = _given(add.record, request_id, original, add.numbered)
                self._applied_waiters.append((request_id, add, stored))
                self._written[request_id] = stored
            self._release_applied()

    def _release_applied(self) -> None:
        """An add is answered once this instance has applied it from the log."""
        waiting = []
        for request_id, add, stored in self._applied_waiters:
            if request_id <= self.replica.last_id or self._state != "ok":
                if not add.done.done():
                    add.done.set_result(stored)
            else:
                waiting.append((request_id, add, stored))
        self._applied_waiters = waiting

    # ---- losing Redis and getting it back ----

    def _lost(self, error: BaseException) -> None:
        if self._state == "unreachable" or self._closed:
            return
        self._state = "unreachable"
        self._back.clear()
        print(f"webhook-inspector: Redis unreachable ({error}); requests wait in memory "
              "until it is back", file=self._err, flush=True)
        for batch in self._queue:
            for add in batch.adds:
                add.answer_without_id()
        self._release_applied()
        self._tasks.append(asyncio.create_task(self._recover()))

    async def _recover(self) -> None:
        while True:
            await asyncio.sleep(RETRY_S)
            try:
                await self._client.ping()
                generation = self._generation
                await self._agree_on_meta()
                emptied = self._generation != generation
                break
            except FAILURES:
                continue
        if emptied:
            self._written.clear()
            print("webhook-inspector: Redis came back empty: the history before it is gone; "
                  f"ids go on above {self._highest}", file=self._err, flush=True)
            self._apply_clear()
        self._state = "draining" if self._queue else "ok"
        self._back.set()
        self._flush()

    def health(self) -> dict[str, object]:
        return {"engine": self.engine, "state": self._state, "queued": self._queued_records()}

    def durable(self) -> None:
        """Adds are answered through `submit`'s future; nothing else waits."""
        return None

    # ---- following the log ----

    async def _follow(self) -> None:
        while not self._closed:
            await self._back.wait()
            if self._closed:
                return
            try:
                found = await self._reader.xread({KEYS["log"]: self._log_position},
                                                 count=1000, block=BLOCK_MS)
                if found:
                    await self._apply(found[0][1])
            except FAILURES as error:
                self._lost(error)

    async def _apply(self, entries: list[tuple[bytes, dict[bytes, bytes]]]) -> None:
        records = await self._records_of(entries)
        deleted: list[int] = []
        for position, change in entries:
            kind, request_id = change[b"kind"], int(change[b"id"])
            if kind == b"delete":
                self.replica.delete(request_id)
                deleted.append(request_id)
                continue
            if deleted:
                self.announce("delete", deleted)
                deleted = []
            if kind == b"clear":
                self._apply_clear()
            elif request_id in records:
                self._apply_record(kind == b"request", records[request_id])
            self._log_position = position.decode()
        if deleted:
            self.announce("delete", deleted)
        self._log_position = entries[-1][0].decode()
        self._release_applied()

    async def _records_of(self, entries: list[tuple[bytes, dict[bytes, bytes]]]
                          ) -> dict[int, CapturedRequest]:
        """The records the entries name: this instance's own as it wrote them (unless
        changed since), the others read from Redis in one round trip."""
        updated = {int(change[b"id"]) for _, change in entries if change[b"kind"] == b"update"}
        added = {int(change[b"id"]) for _, change in entries if change[b"kind"] == b"request"}
        if self._batch_answered is not None and max(added, default=0) > self._highest:
            await asyncio.shield(self._batch_answered)  # the log can be faster than the reply
        records = {request_id: self._written.pop(request_id) for request_id in added
                   if request_id in self._written}
        for request_id in updated:
            records.pop(request_id, None)
        wanted = sorted((added | updated) - records.keys())
        async with self._reader.pipeline(transaction=False) as pipe:
            for request_id in wanted:
                pipe.hgetall(RECORDS + str(request_id))
            found = await pipe.execute()
        records.update((request_id, _decode(request_id, stored))
                       for request_id, stored in zip(wanted, found, strict=True) if stored)
        return records

    def _apply_record(self, new: bool, record: CapturedRequest) -> None:
        self._highest = max(self._highest, record.id)
        if record.id <= self.replica.last_id and self.replica.get(record.id) is None:
            return  # deleted here already; its delete is on the way
        if self.replica.replace(record):
            self.announce("update", record)
        elif new and record.id > self.replica.last_id:
            self.replica.add(record)
            self.announce("request", record)

    def _apply_clear(self) -> None:
        self.replica.clear()
        self.announce("clear", None)

    # ---- the Store protocol (reads from the replica) ----

    @property
    def last_id(self) -> int:
        return self.replica.last_id

    def __len__(self) -> int:
        return len(self.replica)

    def original_of(self, dedupe_key: str) -> int | None:
        """Decided in Redis when the request is stored (the original may be another
        instance's)."""
        return None

    def get(self, request_id: int) -> CapturedRequest | None:
        return self.replica.get(request_id)

    def after(self, after_id: int, limit: int = 1_000_000) -> list[CapturedRequest]:
        return self.replica.after(after_id, limit)

    def newest(self, limit: int, before: int | None = None) -> list[CapturedRequest]:
        return self.replica.newest(limit, before)

    def scan(self, query: Node, now: float, window: Window, load: bool = True
             ) -> Iterator[Found | None]:
        return self.replica.scan(query, now, window, load)  # the memory engine's search

    def search(self, query: Node, now: float, window: Window | None = None
               ) -> list[CapturedRequest]:
        return self.replica.search(query, now, window)

    def count(self, query: Node, now: float) -> int:
        return self.replica.count(query, now)

    def replace(self, record: CapturedRequest) -> bool:
        if not self.replica.replace(record):
            return False
        original = "" if record.duplicate_of is None else str(record.duplicate_of)
        self._change("replace", [record.id, *_fields(record), original])
        return True

    def delete(self, request_id: int) -> bool:
        if not self.replica.delete(request_id):
            return False
        self._change("delete", [request_id])
        return True

    def clear(self) -> None:
        self.replica.clear()
        self._change("clear", [])

    def swap_meta(self, key: str, value: str) -> str | None:
        old = self._meta.get(f"user:{key}")
        self._meta[f"user:{key}"] = value
        self._change("meta", [f"user:{key}", value], keys=[KEYS["meta"]])
        return old
