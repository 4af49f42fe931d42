"""The Redis store's follower: every instance reads the one log stream and applies each change
to its local replica (a MemoryStore, unbounded itself: the bounds are enforced in Redis and
arrive as deletes), its own writes included, so every instance announces the same changes in
the same, ascending order. The replica serves every read.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from typing import Any

from ..captured import CapturedRequest
from .memory import MemoryStore
from .protocol import Announce, unheard
from .redis_records import FAILURES, KEYS, RECORDS, NotOurs, Standing, decode
from .redis_writer import Writer

BLOCK_MS = 500  # a log read waits this long for news (and closing waits for it at most)
PAGE = 500  # records read in one round trip

Entries = list[tuple[bytes, dict[bytes, bytes]]]
Change = tuple[str, bytes, int]  # log position, kind, id


def new_replica() -> MemoryStore:
    return MemoryStore(sys.maxsize, sys.maxsize)


async def read_records(client: Any, ids: list[int]) -> dict[int, CapturedRequest]:
    """The records stored under these ids (those still there), a page per round trip."""
    records: dict[int, CapturedRequest] = {}
    for start in range(0, len(ids), PAGE):
        page = ids[start:start + PAGE]
        async with client.pipeline(transaction=False) as pipe:
            for request_id in page:
                pipe.hgetall(RECORDS + str(request_id))
            found = await pipe.execute(raise_on_error=False)
        records.update((request_id, decode(request_id, stored))
                       for request_id, stored in zip(page, found, strict=True) if stored)
    return records


async def read_history(client: Any) -> MemoryStore:
    """A replica of the whole history in Redis (NotOurs when a record is none of ours)."""
    members = await client.zrange(KEYS["ids"], 0, -1)
    if not all(member.isdigit() for member in members):
        raise NotOurs(f"{KEYS['ids']} holds something other than ids")
    replica = new_replica()
    for record in (await read_records(client, [int(m) for m in members])).values():
        replica.add(record)
    return replica


def changes(entries: Entries) -> list[Change]:
    try:
        return [(position.decode(), change[b"kind"], int(change[b"id"]))
                for position, change in entries]
    except (KeyError, ValueError):
        raise NotOurs(f"{KEYS['log']} holds an entry this version did not write") from None


class Follower:
    """Follows the log from `position` into `replica`; `on_failure` hears an error of Redis."""

    def __init__(self, reader: Any, writer: Writer, standing: Standing,
                 on_failure: Callable[[BaseException], None]) -> None:
        self._reader = reader
        self._writer = writer
        self._standing = standing
        self._on_failure = on_failure
        self.replica = new_replica()
        self.position = "0-0"
        self.announce: Announce = unheard
        self._following = asyncio.Event()
        self._era = 0  # a read begun in an earlier era is not applied
        self.closed = False

    def adopt(self, replica: MemoryStore, position: str) -> MemoryStore:
        """Go on from `position` with `replica` (read after it); the old replica, to close."""
        old, self.replica, self.position = self.replica, replica, position
        self._era += 1
        return old

    def pause(self) -> None:
        self._following.clear()
        self._era += 1

    def resume(self) -> None:
        self._following.set()

    async def run(self) -> None:
        while not self.closed:
            await self._following.wait()
            era = self._era
            if self.closed:
                return
            try:
                found = await self._reader.xread({KEYS["log"]: self.position}, count=1000,
                                                 block=BLOCK_MS)
                if found:
                    read = changes(found[0][1])
                    records = await self._records_of(read)
                    if era == self._era:
                        self._apply(read, records)
            except FAILURES as error:
                if era == self._era:
                    self._on_failure(error)

    async def _records_of(self, read: list[Change]) -> dict[int, CapturedRequest]:
        """The records the entries name: this instance's own as it wrote them (unless
        changed since), the others read from Redis in one round trip."""
        updated = {request_id for _, kind, request_id in read if kind == b"update"}
        added = {request_id for _, kind, request_id in read if kind == b"request"}
        answered = self._writer.batch_answered
        if answered is not None and max(added, default=0) > self._standing.highest:
            await asyncio.shield(answered)  # the log can be faster than the reply
        written = self._writer.written
        records = {request_id: written.pop(request_id) for request_id in added
                   if request_id in written}
        for request_id in updated:
            records.pop(request_id, None)
        records.update(await read_records(self._reader, sorted((added | updated) - records.keys())))
        return records

    def _apply(self, read: list[Change], records: dict[int, CapturedRequest]) -> None:
        deleted: list[int] = []
        for _, kind, request_id in read:
            if kind == b"delete":
                self.replica.delete([request_id])
                deleted.append(request_id)
                continue
            if deleted:
                self.announce("delete", deleted)
                deleted = []
            if kind == b"clear":
                self.replica.clear()
                self.announce("clear", None)
            elif request_id in records:
                self._apply_record(kind == b"request", records[request_id])
        if deleted:
            self.announce("delete", deleted)
        self.position = read[-1][0]
        self._writer.release_applied()

    def _apply_record(self, new: bool, record: CapturedRequest) -> None:
        self._standing.saw(record.id)
        if record.id <= self.replica.last_id and self.replica.get(record.id) is None:
            return  # deleted here already; its delete is on the way
        if self.replica.replace(record):
            self.announce("update", record)
        elif new and record.id > self.replica.last_id:
            self.replica.add(record)
            self.announce("request", record)
