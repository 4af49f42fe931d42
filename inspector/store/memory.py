"""Bounded in-memory storage of captured requests: oldest out first, by count and by bytes.
Nothing outlives the process: a new `instance` at every start."""

from __future__ import annotations

import bisect
import uuid
from collections.abc import Iterator

from ..models import CapturedRequest
from ..query import Node
from .protocol import EVERY_MATCH, Window, count_records, select


class MemoryStore:
    """Records by id, plus an ascending id list for `after=` queries.

    Evicted ids leave the list lazily (a moving head index) so eviction costs O(1); the list is
    compacted once the dead prefix outgrows the live part.
    """

    engine = "memory"
    assigns_ids = False

    def __init__(self, max_requests: int, max_bytes: int) -> None:
        self.instance = uuid.uuid4().hex
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

    @property
    def last_id(self) -> int:
        return self._last_id

    def __len__(self) -> int:
        return len(self._records)

    def durable(self) -> None:
        """Nothing to wait for: memory is as durable as it gets."""
        return None

    async def close(self) -> None:
        return None

    def health(self) -> dict[str, object]:
        return {"engine": self.engine, "state": "ok", "queued": 0}

    def swap_meta(self, key: str, value: str) -> str | None:
        old = self._meta.get(key)
        self._meta[key] = value
        return old

    def next_id(self) -> int:
        self._last_id += 1
        return self._last_id

    def add(self, record: CapturedRequest, dedupe_key: str | None = None) -> list[int]:
        """Store a record and return the ids evicted to make room for it."""
        self._records[record.id] = record
        self._last_id = max(self._last_id, record.id)
        if dedupe_key is not None and dedupe_key not in self._first_by_key:
            self._first_by_key[dedupe_key] = record.id
            self._key_by_id[record.id] = dedupe_key
        self._order.append(record.id)
        self._bytes += record.stored_bytes
        evicted: list[int] = []
        while len(self._records) > 1 and (
            len(self._records) > self.max_requests or self._bytes > self.max_bytes
        ):
            evicted.append(self._pop_oldest())
        return evicted

    def _pop_oldest(self) -> int:
        while True:
            request_id = self._order[self._head]
            self._head += 1
            if self._forget(request_id):
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

    def original_of(self, dedupe_key: str) -> int | None:
        return self._first_by_key.get(dedupe_key)

    def _compact_if_needed(self) -> None:
        if self._head > 1024 and self._head * 2 > len(self._order):
            self._order = [i for i in self._order[self._head :] if i in self._records]
            self._head = 0

    def get(self, request_id: int) -> CapturedRequest | None:
        return self._records.get(request_id)

    def replace(self, record: CapturedRequest) -> bool:
        old = self._records.get(record.id)
        if old is None:
            return False
        self._records[record.id] = record
        self._bytes += record.stored_bytes - old.stored_bytes
        return True

    def delete(self, request_id: int) -> bool:
        return self._forget(request_id)

    def clear(self) -> None:
        self._records.clear()
        self._order = []
        self._head = 0
        self._bytes = 0
        self._first_by_key.clear()
        self._key_by_id.clear()

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

    def _ascending(self, after: int, before: int | None) -> Iterator[CapturedRequest]:
        start, end = self._span(after, before)
        return self._stored(range(start, end))

    def _descending(self, after: int, before: int | None) -> Iterator[CapturedRequest]:
        start, end = self._span(after, before)
        return self._stored(range(end - 1, start - 1, -1))

    def _span(self, after: int, before: int | None) -> tuple[int, int]:
        """Where the ids above `after` and below `before` lie in the ascending id list."""
        start = bisect.bisect_right(self._order, after, lo=self._head)
        end = len(self._order) if before is None else \
            bisect.bisect_left(self._order, before, lo=start)
        return start, max(start, end)

    def _stored(self, positions: range) -> Iterator[CapturedRequest]:
        """The records at these positions of the id list that are still stored (a search
        reads 100,000 of them: C's loops, not a generator's)."""
        return filter(None, map(self._records.get, map(self._order.__getitem__, positions)))

    def search(self, query: Node, now: float, window: Window | None = None
               ) -> list[CapturedRequest]:
        window = window or EVERY_MATCH
        ordered = self._descending if window.newest else self._ascending
        return select(ordered(window.after, window.before), query, now, window)

    def count(self, query: Node, now: float) -> int:
        return count_records(self._records.values(), query, now)
