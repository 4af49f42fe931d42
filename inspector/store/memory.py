"""Bounded in-memory storage of captured requests: oldest out first, by count and by bytes.
Nothing outlives the process: a new `instance` at every start.

Each full block of ids is indexed by the words of its text (text_index.py) while the
event loop is quiet, off the capture's path: a text search reads only the records whose
words may hold what it looks for. Blocks not indexed yet are read whole.
"""

from __future__ import annotations

import asyncio
import bisect
import itertools
import time
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from ..captured import CapturedRequest
from ..conformance.judged import Judge
from ..models import Arrival, ResponseRecord
from ..query import Node
from ..query.evaluate import Tester, examine
from ..query.scan import Needle, needles
from ..query.wanted import Wanted
from . import text_index
from .protocol import (
    EVERY_MATCH,
    Announce,
    Scanned,
    Submitted,
    Window,
    count_found,
    record_of,
    select,
    unheard,
)
from .text_index import (
    BlockIndex,
    block_of,
    closes_block,
    first_of,
    full_blocks,
    holding,
    index_block,
)

# Quiet (nothing added since the last step), blocks are indexed for INDEX_SLICE_S at a time
# with as long a pause after; while capture goes on, one block every INDEX_BUSY_PAUSE_S
# (under 1% of the loop; what is not indexed yet is read whole).
INDEX_WAIT_S = 0.05
INDEX_SLICE_S = 0.004
INDEX_QUIET_PAUSE_S = 0.004
INDEX_BUSY_PAUSE_S = 0.5
COMPACT_PAST = 1024  # evicted ids left at the head of the id list before it may be compacted


class MemoryStore:
    """Records by id, plus an ascending id list for `after=` queries.

    Evicted ids leave the list lazily (a moving head index) so eviction costs O(1); the list is
    compacted once the dead prefix outgrows the live part. Every change is announced at once.
    """

    engine = "memory"
    shared = False

    def __init__(self, max_requests: int, max_bytes: int) -> None:
        self.instance = uuid.uuid4().hex
        self.announce: Announce = unheard
        self.judge = Judge(None)
        self._meta: dict[str, str] = {}
        self.max_requests = max_requests
        self.max_bytes = max_bytes
        self._records: dict[int, CapturedRequest] = {}
        self._order: list[int] = []
        self._head = 0
        self._bytes = 0
        self._last_id = 0
        # dedupe key -> first stored id with it, and back, for duplicate_of
        self._first_by_key: dict[str, int] = {}
        self._key_by_id: dict[int, str] = {}
        self._block_index: dict[int, BlockIndex] = {}  # block -> the index of its text
        self._index_bytes = 0  # what the blocks' indexes hold: counted in max_bytes
        self._next_block = 0  # the first block not indexed yet
        self._indexing: asyncio.TimerHandle | None = None

    @property
    def last_id(self) -> int:
        return self._last_id

    @property
    def held_bytes(self) -> int:
        """What max_bytes bounds: the records' bytes and their text index."""
        return self._bytes + self._index_bytes

    def __len__(self) -> int:
        return len(self._records)

    def durable(self) -> None:
        """Nothing to wait for: memory is as durable as it gets."""
        return None

    async def drained(self) -> None:
        """Nothing to wait for: what this process writes is written (a commit's wait is
        `durable`'s)."""

    async def claim(self, name: str, lease_s: float) -> bool:
        """This process alone writes this history: it acts for it."""
        return True

    async def close(self) -> None:
        if self._indexing is not None:
            self._indexing.cancel()

    def health(self) -> dict[str, object]:
        return {"engine": self.engine, "state": "ok", "queued": 0}

    def swap_meta(self, key: str, value: str) -> str | None:
        old = self._meta.get(key)
        self._meta[key] = value
        return old

    def next_id(self) -> int:
        self._last_id += 1
        return self._last_id

    def submit(self, arrival: Arrival, learnt: dict[str, Any], dedupe_key: str | None,
               response: ResponseRecord | None, numbered: bool) -> Submitted:
        # `given_here`, spelt out with `next_id` and `durable`: three frames fewer a request
        self._last_id = request_id = self._last_id + 1
        record = record_of(arrival, request_id, learnt, response, numbered)
        self.add(record, dedupe_key)
        return record, None

    def add(self, record: CapturedRequest, dedupe_key: str | None = None) -> list[int]:
        """Store a record and return the ids evicted to make room for it."""
        request_id = record.id  # read once: 3.11 does not specialise a NamedTuple's field reads
        self._records[request_id] = record
        self._last_id = max(self._last_id, request_id)
        if dedupe_key is not None and dedupe_key not in self._first_by_key:
            self._first_by_key[dedupe_key] = request_id
            self._key_by_id[request_id] = dedupe_key
        self._order.append(request_id)  # ids arrive ascending
        self._bytes += record.stored_bytes
        if self._indexing is None and closes_block(request_id):  # the call, when it may matter
            self._schedule_indexing(INDEX_WAIT_S)
        self.announce("request", record)
        evicted: list[int] = []
        records = self._records
        while len(records) > 1 and (len(records) > self.max_requests
                                    or self._bytes + self._index_bytes > self.max_bytes):
            evicted.append(self._pop_oldest())  # the bytes: held_bytes, without its call
        if evicted:
            self.announce("delete", evicted)
        return evicted

    def _pop_oldest(self) -> int:
        while True:
            request_id = self._order[self._head]
            self._head += 1
            if not request_id % text_index.BLOCK:  # closes_block: the block's words go with it
                self._drop_index(block_of(request_id))
            if self._forget(request_id):
                if self._head > COMPACT_PAST:  # _compact_if_needed's first condition
                    self._compact_if_needed()
                return request_id

    def _forget(self, request_id: int) -> bool:
        record = self._records.pop(request_id, None)
        if record is None:
            return False
        self._bytes -= record.stored_bytes
        key = self._key_by_id.pop(request_id, None)
        if key is not None:
            del self._first_by_key[key]
        return True

    # ---- the text index, made off the capture's path ----

    @property
    def blocks_unindexed(self) -> int:
        """Full blocks not indexed yet."""
        return max(0, full_blocks(self._last_id) - self._next_block)

    def _schedule_indexing(self, delay: float) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no event loop (a script's own store): searches read every block
        self._indexing = loop.call_later(delay, self._index_some, self._last_id)

    def _index_some(self, last_id_then: int) -> None:
        self._indexing = None
        busy = self._last_id != last_id_then
        first_stored = self._order[self._head] if self._head < len(self._order) else None
        oldest_block = block_of(first_stored) if first_stored is not None else self._next_block
        for gone in [block for block in self._block_index if block < oldest_block]:
            self._drop_index(gone)
        self._next_block = max(self._next_block, oldest_block)
        deadline = time.perf_counter() + INDEX_SLICE_S
        while self.blocks_unindexed:
            self._index_block(self._next_block)
            self._next_block += 1
            if busy or time.perf_counter() > deadline:
                break
        if self.blocks_unindexed:
            self._schedule_indexing(INDEX_BUSY_PAUSE_S if busy else INDEX_QUIET_PAUSE_S)

    def _index_block(self, block: int) -> None:
        start = bisect.bisect_left(self._order, first_of(block), lo=self._head)
        end = bisect.bisect_left(self._order, first_of(block + 1), lo=start)
        records = [self._records[i] for i in self._order[start:end] if i in self._records]
        index = index_block(first_of(block), records) if records else None
        if index is not None:
            self._block_index[block] = index
            self._index_bytes += index.size  # the next capture evicts for it, when over

    def _drop_index(self, block: int) -> None:
        dropped = self._block_index.pop(block, None)
        if dropped is not None:
            self._index_bytes -= dropped.size

    def _held(self, order: list[int], start: int, end: int, required: list[Needle],
              newest: bool) -> Iterator[list[int]]:
        """The ids at positions start to end of the id list, a block at a time (the newest
        first, each descending, with `newest`), less those whose block's index shows they
        lack a required piece of text."""
        while start < end:
            if newest:
                block = block_of(order[end - 1])
                cut = bisect.bisect_left(order, first_of(block), lo=start, hi=end)
                ids, end = order[end - 1:cut - 1 if cut else None:-1], cut
            else:
                block = block_of(order[start])
                cut = bisect.bisect_left(order, first_of(block + 1), lo=start, hi=end)
                ids, start = order[start:cut], cut
            index = self._block_index.get(block)
            if index is not None:
                offsets: set[int] | None = None
                for needle in required:
                    held = holding(index, needle)
                    if held is not None:
                        offsets = held if offsets is None else offsets & held
                if offsets is not None:
                    first = first_of(block)
                    ids = [i for i in ids if i - first in offsets]
            yield ids

    def original_of(self, dedupe_key: str) -> int | None:
        return self._first_by_key.get(dedupe_key)

    def _compact_if_needed(self) -> None:
        if self._head > COMPACT_PAST and self._head * 2 > len(self._order):
            self._order = [i for i in self._order[self._head :] if i in self._records]
            self._head = 0

    def get(self, request_id: int) -> CapturedRequest | None:
        return self._records.get(request_id)

    def replace(self, record: CapturedRequest, quiet: bool = False) -> bool:
        old = self._records.get(record.id)
        if old is None:
            return False
        self._records[record.id] = record
        self._bytes += record.stored_bytes - old.stored_bytes
        if (old.body, old.header_block, old.path, old.query) != \
                (record.body, record.header_block, record.path, record.query):
            self._drop_index(block_of(record.id))  # its text is not what was indexed
        if not quiet:
            self.announce("update", record)
        return True

    def delete(self, ids: Iterable[int]) -> list[int]:
        deleted = [request_id for request_id in ids if self._forget(request_id)]
        if deleted:
            self.announce("delete", deleted)
        return deleted

    def clear(self) -> None:
        self._records.clear()
        self._order = []
        self._head = 0
        self._bytes = 0
        self._first_by_key.clear()
        self._key_by_id.clear()
        self._block_index.clear()
        self._index_bytes = 0
        self._next_block = full_blocks(self._last_id)
        self.announce("clear", None)

    def after(self, after_id: int, limit: int = 1_000_000) -> list[CapturedRequest]:
        """Stored records with id > after_id, ascending, at most `limit`."""
        start = bisect.bisect_right(self._order, after_id, lo=self._head)
        records = self._records
        found: list[CapturedRequest] = []
        for request_id in self._order[start:]:
            record = records.get(request_id)
            if record is not None:
                found.append(record)
                if len(found) >= limit:
                    break
        return found

    def newest(self, limit: int, before: int | None = None) -> list[CapturedRequest]:
        """The newest `limit` records (with ids below `before`), ascending."""
        found: list[CapturedRequest] = []
        end = len(self._order) if before is None else \
            bisect.bisect_left(self._order, before, lo=self._head)
        for request_id in reversed(self._order[self._head:end]):
            if len(found) >= limit:
                break
            record = self._records.get(request_id)
            if record is not None:
                found.append(record)
        found.reverse()
        return found

    def _ordered(self, after: int, before: int | None, required: list[Needle],
                 newest: bool) -> Iterator[CapturedRequest | None]:
        """The stored records with ids above `after` and below `before`, ascending (newest
        first with `newest`), less those the text index rules out, with None after each
        block the index was asked about (C's loops throughout: a search may read 100,000).
        The id list of the moment is read: a compaction replaces it, a search goes on."""
        order = self._order
        start = bisect.bisect_right(order, after, lo=self._head)
        end = len(order) if before is None else bisect.bisect_left(order, before, lo=start)
        if not required or not self._block_index:
            positions = range(end - 1, start - 1, -1) if newest else range(start, end)
            return filter(None, map(self._records.get, map(order.__getitem__, positions)))
        return itertools.chain.from_iterable(
            itertools.chain(filter(None, map(self._records.get, ids)), (None,))
            for ids in self._held(order, start, end, required, newest))

    def scan(self, query: Node, now: float, window: Window, load: bool = True
             ) -> Iterator[Scanned]:
        """A chunk of records is read at once: one deleted since is dropped, one replaced
        since is tested again."""
        records = self._ordered(window.after, window.before, needles(query), window.newest)
        again = Tester(query, now, self.judge)
        for record in examine(records, query, now, self.judge):
            if record is None or isinstance(record, Wanted):
                yield record
                continue
            stored = self._records.get(record.id)
            if stored is not None and stored is not record and not (yield from again.steps(stored)):
                stored = None
            yield None if stored is None else (stored.id, stored)

    def search(self, query: Node, now: float, window: Window | None = None
               ) -> list[CapturedRequest]:
        return select(self.scan(query, now, window or EVERY_MATCH), window or EVERY_MATCH)

    def count(self, query: Node, now: float) -> int:
        return count_found(self.scan(query, now, EVERY_MATCH, load=False))
