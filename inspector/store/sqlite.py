"""History in a SQLite file that outlives the process and loses nothing answered on a crash.

Writes made during one turn of the event loop are committed together at its end
(sqlite_pending.py); `durable()` hands out the future that resolves when that commit is done,
and the hooks listener answers only then; the turn's changes are announced just before
(`last_id` is the highest id committed). Reads consult the writes not yet committed first, so
that a read right after a write sees it. Memory holds an index of ids and sizes, not the
history.

A commit that fails (a full disk, an I/O error, the file deleted or replaced under the
process) leaves nothing behind: memory is put back as it was before the turn, whoever waits
for it gets StoreBusy (a sender: 503 with Retry-After), and nothing of it is announced; the
store is out (sqlite_outage.py) until a write succeeds again. The file is checked and opened
by sqlite_file.py.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from ..captured import CapturedRequest
from ..conformance.judged import Judge
from ..models import Arrival, ResponseRecord
from ..query import Node
from . import codec, sqlite_search
from .protocol import (
    EVERY_MATCH,
    Announce,
    Change,
    Scanned,
    StoreBusy,
    Submitted,
    Window,
    count_found,
    given_here,
    select,
    unheard,
)
from .sqlite_file import open_file
from .sqlite_index import (
    UPDATE_FACETS,
    CatchUp,
    index_again_if_older,
    tune_full_text,
    updated_facets,
)
from .sqlite_outage import RETRY_S, Outage
from .sqlite_pending import BUSY, Pending, Write, Writes, restored_sizes

KNOWN_ORIGINALS = 4096  # dedupe keys whose original (or its absence) was looked up lately
_COLUMNS = "id, document, header_block, body, trailer_block"
_KEEP_LAST_ID = "UPDATE meta SET value = ? WHERE key = 'last_id'"
# sqlite3 binds these as they are (bytes and None it first asks to adapt themselves, 3,300
# instructions a value): the blobs as bytearrays (stored as blobs all the same), no key as "".
_INSERT = (f"INSERT OR REPLACE INTO requests (received_at, dedupe_key, stored_bytes, {_COLUMNS}) "
           "VALUES (?, NULLIF(?, ''), ?, ?, ?, ?, ?, ?)")

_Row = tuple[int, str, bytes, bytes, bytes]


def _record(row: _Row) -> CapturedRequest:
    return codec.decode(row[1], dict(zip(codec.BLOBS, row[2:], strict=True)))


class SqliteStore:
    """The Store protocol over one SQLite file (see the module's docstring)."""

    engine = "sqlite"
    shared = False

    def __init__(self, path: Path, max_requests: int, max_bytes: int,
                 loop: asyncio.AbstractEventLoop, err: TextIO = sys.stderr) -> None:
        self.path = path
        self.announce: Announce = unheard
        self.judge = Judge(None)
        self.max_requests = max_requests
        self.max_bytes = max_bytes
        self._loop = loop
        self._db, opened = open_file(path)
        tune_full_text(self._db)
        self._outage = Outage(path, opened, err)
        self._meta: dict[str, str] = dict(
            self._db.execute("SELECT key, value FROM meta").fetchall())
        index_again_if_older(self._db, self._meta)
        self.instance: str = self._meta["instance"]
        highest = self._db.execute("SELECT max(id) FROM requests").fetchone()[0] or 0
        self._last_id = max(int(self._meta["last_id"]), highest)
        self._sizes: dict[int, int] = dict(
            self._db.execute("SELECT id, stored_bytes FROM requests ORDER BY id").fetchall())
        self._bytes = sum(self._sizes.values())
        self._writes = Writes(self._db, loop, self._last_id)
        # A key is looked up once per arrival (by its analysis), but a provider's resends
        # come soon after the first: each then costs a dict lookup, not a query. Measured
        # with one key for every request (bench/load.py's): the store's part of capture
        # 22 us a request with the cache, 24 without it (in process, interleaved).
        self._known_originals: dict[str, int | None] = {}
        self._watching = loop.call_later(RETRY_S, self._watch)
        self._index = CatchUp(self._db, loop, self, int(self._meta["indexed_through"]))

    # ---- durability ----

    def durable(self) -> asyncio.Future[None] | None:
        return self._writes.durable()

    async def drained(self) -> None:
        """Nothing to wait for: what this process writes is written (a commit's wait is
        `durable`'s)."""

    async def claim(self, name: str, lease_s: float) -> bool:
        """This process alone writes this history: it acts for it."""
        return True

    @property
    def _pending(self) -> Pending:
        """Written this turn, not yet committed."""
        return self._writes.pending

    def _write(self, sql: str, *parameters: object) -> None:
        if self._pending.write(sql, parameters):
            self._loop.call_soon(self._commit)

    def _commit(self) -> None:
        """This turn's writes, all or nothing: a failure puts memory back as it was."""
        batch = self._writes.take()
        committed = self._try(batch.writes)
        if committed:
            for kind, change in self._writes.committed(batch):
                self.announce(kind, change)
        else:
            self._undo(batch)
        batch.settle(failed=not committed)
        self._index.committed()

    def _try(self, writes: list[Write]) -> bool:
        """Whether the writes were committed (never to a file no longer at the path); the
        outage learns how it went."""
        if self._outage.gone() is not None:
            return False
        error = self._writes.execute(writes)
        if error is not None:
            self._outage.failed(error)
            return False
        self._outage.fine(self._loop.time())
        return True

    def _undo(self, failed: Pending) -> None:
        """Memory as before a failed turn: its adds gone, its deletes and updates undone."""
        self._sizes = restored_sizes(self._sizes, failed)
        self._bytes = sum(self._sizes.values())
        self._known_originals.clear()  # some may name the turn's adds, or miss its deletes
        for key, value in failed.meta_before.items():
            if value is None:
                self._meta.pop(key, None)
            else:
                self._meta[key] = value

    def _watch(self) -> None:
        """Every RETRY_S: while ok, is the file at the path still the one open; while not, a
        write is tried: the highest id given, so that the ids of requests whose commit
        failed are never given again, even after a restart."""
        self._watching = self._loop.call_later(RETRY_S, self._watch)
        self._outage.settle(self._loop.time())
        if self._outage.state == "ok":
            self._outage.gone()
        elif not self._pending.writes:  # else this turn's commit tries
            self._try([(_KEEP_LAST_ID, (str(self._last_id),))])

    # ---- the search index, filled off the capture's path (sqlite_index.CatchUp) ----

    @property
    def indexed_through(self) -> int:
        """The search index's watermark: rows above it are searched by the predicate."""
        return self._index.watermark

    @property
    def merging(self) -> bool:
        """The full-text index has segments to merge (a step after each pause)."""
        return self._index.merging

    def writing(self) -> bool:
        return bool(self._pending.writes)

    def highest_id(self) -> int:
        return self._last_id

    def oldest_stored(self) -> int | None:
        return next(iter(self._sizes), None)

    def stored(self, ids: list[int]) -> list[CapturedRequest]:
        rows = self._db.execute(f"SELECT {_COLUMNS} FROM requests WHERE id IN "
                                f"({','.join('?' * len(ids))}) ORDER BY id", ids).fetchall()
        return [_record(row) for row in rows]

    def health(self) -> dict[str, object]:
        """`failing` or `gone` with the cause while writes fail; `queued`: the records written
        this turn, not yet committed."""
        return {"engine": self.engine, **self._outage.health(),
                "queued": len(self._pending.records)}

    def swap_meta(self, key: str, value: str) -> str | None:
        old = self._meta.get(key)
        self._pending.meta_before.setdefault(key, old)
        self._meta[key] = value
        self._write("INSERT OR REPLACE INTO meta VALUES (?, ?)", key, value)
        return old

    async def close(self) -> None:
        self._watching.cancel()
        self._index.close()
        if self._pending.writes:
            self._commit()
        self._outage.settle(self._loop.time(), 0.0)
        self._db.close()

    # ---- the Store protocol ----

    @property
    def last_id(self) -> int:
        """The highest id committed, and so announced: where a websocket's live messages
        start (the ids given since are committed or, when their commit failed, never seen)."""
        return self._writes.shown_id

    def __len__(self) -> int:
        return len(self._sizes)

    def next_id(self) -> int:
        """StoreBusy while writes fail: the sender is told to come back, with no id spent."""
        if self._outage.state != "ok":
            raise StoreBusy(BUSY)
        self._last_id += 1
        return self._last_id

    def submit(self, arrival: Arrival, learnt: dict[str, Any], dedupe_key: str | None,
               response: ResponseRecord | None, numbered: bool) -> Submitted:
        return given_here(self, arrival, learnt, dedupe_key, response, numbered)

    def _heard(self, kind: str, change: Change) -> None:
        """A change, announced once this turn's writes are committed."""
        self._pending.heard.append((kind, change))

    def add(self, record: CapturedRequest, dedupe_key: str | None = None) -> list[int]:
        """Store a record and return the ids evicted to make room for it. Only the first
        request with a dedupe key is its original, as long as it is stored: the analysis
        looked its original up (`duplicate_of`), so it is not asked again here."""
        if dedupe_key is not None:
            if record.duplicate_of is not None:
                dedupe_key = None
            else:
                self._know_original(dedupe_key, record.id)
        document, blobs = codec.encode(record)
        size = record.stored_bytes
        request_id = record.id
        self._write(_INSERT, record.received_at, dedupe_key or "", size, request_id, document,
                    *map(bytearray, blobs.values()))
        pending = self._writes.pending
        sizes = self._sizes
        pending.remember(request_id, record, sizes.get(request_id))
        sizes[request_id] = size
        self._bytes += size
        if dedupe_key is not None:
            pending.keys.setdefault(dedupe_key, request_id)
        pending.heard.append(("request", record))
        evicted: list[int] = []
        while len(sizes) > 1 and (len(sizes) > self.max_requests or self._bytes > self.max_bytes):
            oldest = next(iter(sizes))
            self._remove(oldest)
            evicted.append(oldest)
        if evicted:
            self._heard("delete", evicted)
        return evicted

    def _keep_last_id(self) -> None:
        """Ids never repeat: the highest id given is written down when the newest row goes
        (while it stays, the highest stored id says it)."""
        self._write(_KEEP_LAST_ID, str(self._last_id))

    def original_of(self, dedupe_key: str) -> int | None:
        """The stored request with this key (only an original is stored with its key, and
        while it stays no other is)."""
        if dedupe_key in self._known_originals:
            known = self._known_originals[dedupe_key]
            return known if known in self._sizes else None
        found = self._stored_original(dedupe_key)
        self._know_original(dedupe_key, found)
        return found

    def _know_original(self, dedupe_key: str, request_id: int | None) -> None:
        self._known_originals.pop(dedupe_key, None)
        if len(self._known_originals) >= KNOWN_ORIGINALS:
            del self._known_originals[next(iter(self._known_originals))]
        self._known_originals[dedupe_key] = request_id

    def _stored_original(self, dedupe_key: str) -> int | None:
        committed = self._db.execute("SELECT id FROM requests WHERE dedupe_key = ? "
                                       "ORDER BY id", (dedupe_key,))
        for (request_id,) in committed:
            if request_id in self._sizes:
                return int(request_id)
        pending = self._pending.keys.get(dedupe_key)
        return pending if pending in self._sizes else None

    def get(self, request_id: int) -> CapturedRequest | None:
        if request_id in self._pending.records:
            return self._pending.records[request_id]
        if request_id not in self._sizes:
            return None
        row = self._db.execute(f"SELECT {_COLUMNS} FROM requests WHERE id = ?",
                                 (request_id,)).fetchone()
        return _record(row) if row else None

    def replace(self, record: CapturedRequest, quiet: bool = False) -> bool:
        old_size = self._sizes.get(record.id)
        if old_size is None:
            return False
        document, blobs = codec.encode(record)
        size = record.stored_bytes
        self._write(
            "UPDATE requests SET stored_bytes = ?, document = ?, header_block = ?, body = ?, "
            "trailer_block = ? WHERE id = ?", size, document, *blobs.values(), record.id)
        if record.id <= self._index.watermark:
            self._write(UPDATE_FACETS, *updated_facets(record))
        self._pending.remember(record.id, record, old_size)
        self._sizes[record.id] = size
        self._bytes += size - old_size
        if not quiet:
            self._heard("update", record)
        return True

    def delete(self, ids: Iterable[int]) -> list[int]:
        deleted = [request_id for request_id in ids if self._remove(request_id)]
        if deleted:
            self._heard("delete", deleted)
        return deleted

    def _remove(self, request_id: int) -> bool:
        size = self._sizes.pop(request_id, None)
        if size is None:
            return False
        self._bytes -= size
        if not self._sizes or request_id > next(reversed(self._sizes)):
            self._keep_last_id()  # the newest row goes: the highest id must be kept apart
        self._write("DELETE FROM requests WHERE id = ?", request_id)
        self._pending.remember(request_id, None, size)
        return True

    def clear(self) -> None:
        self._keep_last_id()
        self._pending.clear(self._sizes)
        self._sizes.clear()
        self._bytes = 0
        self._known_originals.clear()
        self._write("DELETE FROM requests")
        self._write("DELETE FROM facets")
        self._write("DELETE FROM request_text")
        self._heard("clear", None)

    def scan(self, query: Node, now: float, window: Window, load: bool = True
             ) -> Iterator[Scanned]:
        view = sqlite_search.View(self._db, self._sizes, self._pending.records,
                                  self._index.watermark, self._last_id, _COLUMNS, _record)
        return sqlite_search.matches(view, query, now, window, load, self.judge)

    def search(self, query: Node, now: float, window: Window | None = None
               ) -> list[CapturedRequest]:
        return select(self.scan(query, now, window or EVERY_MATCH), window or EVERY_MATCH)

    def count(self, query: Node, now: float) -> int:
        return count_found(self.scan(query, now, EVERY_MATCH, load=False))

    def after(self, after_id: int, limit: int = 1_000_000) -> list[CapturedRequest]:
        """Stored records with id > after_id, ascending, at most `limit`."""
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM requests WHERE id > ? ORDER BY id LIMIT ?",
            (after_id, limit)).fetchall()
        return self._merged(rows, lambda i: i > after_id)[:limit]

    def newest(self, limit: int, before: int | None = None) -> list[CapturedRequest]:
        """The newest `limit` records (with ids below `before`), ascending."""
        below = self._last_id + 1 if before is None else before
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM requests WHERE id < ? ORDER BY id DESC LIMIT ?",
            (below, limit)).fetchall()
        return self._merged(rows, lambda i: i < below)[-limit:] if limit else []

    def _merged(self, rows: Iterable[_Row],
                wanted: Callable[[int], bool]) -> list[CapturedRequest]:
        """Committed rows overlaid with the writes still queued."""
        found: dict[int, CapturedRequest] = {}
        pending = self._pending.records
        if not self._pending.cleared:
            found = {row[0]: _record(row) for row in rows
                     if row[0] not in pending and row[0] in self._sizes}
        for request_id, record in pending.items():
            if record is not None and wanted(request_id) and request_id in self._sizes:
                found[request_id] = record
        return [found[i] for i in sorted(found)]
