"""History in a SQLite file that outlives the process and loses nothing answered on a crash.

Writes go to one writer thread that commits everything queued in one transaction (group
commit); `durable()` hands out a future that resolves once all written so far is committed,
and the hooks listener answers only then. Reads run on the event loop's thread through a
connection of their own (WAL lets them read while the writer writes), after consulting the
writes still queued, so that a read right after a write sees it. Memory holds an index of
ids and sizes, not the history.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import queue
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ..models import CapturedRequest
from . import codec

APPLICATION_ID = 0x57484B49  # "WHKI"
SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE requests (
    id INTEGER PRIMARY KEY,
    received_at REAL NOT NULL,
    dedupe_key TEXT,
    stored_bytes INTEGER NOT NULL,
    document TEXT NOT NULL,
    header_block BLOB NOT NULL,
    body BLOB NOT NULL,
    trailer_block BLOB NOT NULL
);
CREATE INDEX requests_by_dedupe_key ON requests (dedupe_key) WHERE dedupe_key IS NOT NULL;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
_COLUMNS = "id, document, header_block, body, trailer_block"


class StoreFileError(Exception):
    """The file cannot be used; the message names it and says why."""


_Row = tuple[int, str, bytes, bytes, bytes]


def _record(row: _Row) -> CapturedRequest:
    return codec.decode(row[1], dict(zip(codec.BLOBS, row[2:], strict=True)))


@dataclass
class _Write:
    """One statement for the writer thread, numbered in the order it was written."""

    sql: str
    parameters: tuple[object, ...]
    sequence: int


def check_file(path: Path) -> None:
    """Refuse a file that is not ours, from a newer schema, or corrupt, without changing it."""
    if not path.parent.is_dir():
        raise StoreFileError(f"{path}: the directory {path.parent} does not exist")
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro",
                                                uri=True)) as probe:
            application_id = probe.execute("PRAGMA application_id").fetchone()[0]
            version = probe.execute("PRAGMA user_version").fetchone()[0]
            tables = probe.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if application_id == APPLICATION_ID:
                probe.execute("SELECT count(*) FROM requests").fetchone()
    except sqlite3.DatabaseError as error:
        raise StoreFileError(f"{path}: not a usable SQLite database ({error})") from None
    if application_id == 0 and tables == 0:
        return  # an empty database: ours to initialise
    if application_id != APPLICATION_ID:
        raise StoreFileError(f"{path}: a SQLite database that webhook-inspector did not write")
    if version > SCHEMA_VERSION:
        raise StoreFileError(f"{path}: written by a newer webhook-inspector (schema {version}, "
                             f"this one reads {SCHEMA_VERSION})")


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")  # a commit survives a process kill
    return connection


def _initialise(connection: sqlite3.Connection) -> None:
    if connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID:
        return
    connection.executescript(SCHEMA)
    connection.execute(f"PRAGMA application_id={APPLICATION_ID}")
    connection.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
    connection.execute("INSERT INTO meta VALUES ('instance', ?), ('last_id', '0')",
                       (uuid.uuid4().hex,))


class _Writer:
    """The thread that owns the writing connection and commits in groups."""

    def __init__(self, connection: sqlite3.Connection,
                 on_commit: Callable[[int, BaseException | None], None]) -> None:
        self._connection = connection
        self._on_commit = on_commit
        self._queue: queue.SimpleQueue[_Write | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="sqlite-writer", daemon=True)
        self._thread.start()

    def put(self, write: _Write) -> None:
        self._queue.put(write)

    def stop(self) -> None:
        self._queue.put(None)
        self._thread.join()
        self._connection.close()

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            with contextlib.suppress(queue.Empty):
                while len(batch) < 10_000:
                    batch.append(self._queue.get_nowait())
            writes = [write for write in batch if write is not None]
            if writes:
                self._commit(writes)
            if len(writes) < len(batch):
                return

    def _commit(self, writes: list[_Write]) -> None:
        """One transaction; runs of the same statement go to sqlite in one call, so that this
        thread spends little time holding the interpreter's lock."""
        failure: BaseException | None = None
        try:
            self._connection.execute("BEGIN IMMEDIATE")
            for sql, run in itertools.groupby(writes, key=lambda write: write.sql):
                self._connection.executemany(sql, [write.parameters for write in run])
            self._connection.execute("COMMIT")
        except sqlite3.Error as error:
            failure = error
            with contextlib.suppress(sqlite3.Error):
                self._connection.execute("ROLLBACK")
        self._on_commit(writes[-1].sequence, failure)


class SqliteStore:
    """The Store protocol over one SQLite file (see the module's docstring)."""

    engine = "sqlite"

    def __init__(self, path: Path, max_requests: int, max_bytes: int,
                 loop: asyncio.AbstractEventLoop) -> None:
        check_file(path)
        self.path = path
        self.max_requests = max_requests
        self.max_bytes = max_bytes
        self._loop = loop
        writing = _connect(path)
        _initialise(writing)
        self._read = _connect(path)
        self._meta: dict[str, str] = dict(
            self._read.execute("SELECT key, value FROM meta").fetchall())
        self.instance: str = self._meta["instance"]
        highest = self._read.execute("SELECT max(id) FROM requests").fetchone()[0] or 0
        self._last_id = max(int(self._meta["last_id"]), highest)
        self._sizes: dict[int, int] = dict(
            self._read.execute("SELECT id, stored_bytes FROM requests ORDER BY id").fetchall())
        self._bytes = sum(self._sizes.values())
        # Written but not yet committed: id -> record (None: deleted), in write order.
        self._pending: dict[int, CapturedRequest | None] = {}
        self._pending_at: dict[int, int] = {}  # id -> sequence of its last write
        self._cleared_at: int | None = None
        self._pending_keys: dict[str, int] = {}  # dedupe key -> first pending id with it
        self._sequence = itertools.count(1)
        self._sequence_now = 0
        self._committed = 0
        self._waiters: list[tuple[int, asyncio.Future[None]]] = []
        self.failure: BaseException | None = None
        self._writer = _Writer(writing, self._committed_from_thread)

    # ---- durability ----

    def durable(self) -> asyncio.Future[None] | None:
        """A future that resolves once everything written so far is committed."""
        last = self._sequence_now
        if last <= self._committed:
            return None
        waiter: asyncio.Future[None] = self._loop.create_future()
        self._waiters.append((last, waiter))
        return waiter

    def _write(self, sql: str, *parameters: object) -> int:
        sequence = next(self._sequence)
        self._sequence_now = sequence
        self._writer.put(_Write(sql, parameters, sequence))
        return sequence

    def _committed_from_thread(self, sequence: int, failure: BaseException | None) -> None:
        with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits
            self._loop.call_soon_threadsafe(self._on_committed, sequence, failure)

    def _on_committed(self, sequence: int, failure: BaseException | None) -> None:
        self._committed = sequence
        if failure is not None:
            self.failure = failure
        for request_id in [i for i, at in self._pending_at.items() if at <= sequence]:
            del self._pending_at[request_id]
            del self._pending[request_id]
        if not self._pending:
            self._pending_keys.clear()
        if self._cleared_at is not None and self._cleared_at <= sequence:
            self._cleared_at = None
        still: list[tuple[int, asyncio.Future[None]]] = []
        for last, waiter in self._waiters:
            if last > sequence:
                still.append((last, waiter))
            elif not waiter.done():
                if failure is None:
                    waiter.set_result(None)
                else:
                    waiter.set_exception(failure)
        self._waiters = still

    def health(self) -> dict[str, object]:
        """Writes queued for the next commit; a failed commit (a full disk) is not ok."""
        state = "ok" if self.failure is None else f"failing: {self.failure}"
        return {"engine": self.engine, "state": state, "queued": len(self._pending)}

    def swap_meta(self, key: str, value: str) -> str | None:
        old = self._meta.get(key)
        self._meta[key] = value
        self._write("INSERT OR REPLACE INTO meta VALUES (?, ?)", key, value)
        return old

    async def close(self) -> None:
        await asyncio.to_thread(self._writer.stop)
        self._read.close()

    # ---- the Store protocol ----

    @property
    def last_id(self) -> int:
        return self._last_id

    def __len__(self) -> int:
        return len(self._sizes)

    def next_id(self) -> int:
        self._last_id += 1
        return self._last_id

    def add(self, record: CapturedRequest, dedupe_key: str | None = None) -> list[int]:
        """Store a record and return the ids evicted to make room for it. Only the first
        request with a dedupe key is its original, as long as it is stored."""
        if dedupe_key is not None and self.original_of(dedupe_key) is not None:
            dedupe_key = None
        document, blobs = codec.encode(record)
        size = record.stored_bytes
        sequence = self._write(
            f"INSERT OR REPLACE INTO requests (received_at, dedupe_key, stored_bytes, {_COLUMNS}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", record.received_at, dedupe_key, size, record.id,
            document, *blobs.values())
        self._remember(record.id, record, sequence)
        self._sizes[record.id] = size
        self._bytes += size
        if dedupe_key is not None:
            self._pending_keys.setdefault(dedupe_key, record.id)
        evicted: list[int] = []
        while len(self._sizes) > 1 and (len(self._sizes) > self.max_requests
                                        or self._bytes > self.max_bytes):
            oldest = next(iter(self._sizes))
            self.delete(oldest)
            evicted.append(oldest)
        return evicted

    def _keep_last_id(self) -> None:
        """Ids never repeat: the highest id given is written down when the newest row goes
        (while it stays, the highest stored id says it)."""
        self._write("UPDATE meta SET value = ? WHERE key = 'last_id'", str(self._last_id))

    def _remember(self, request_id: int, record: CapturedRequest | None, sequence: int) -> None:
        self._pending.pop(request_id, None)  # keep write order: newest last
        self._pending[request_id] = record
        self._pending_at[request_id] = sequence

    def original_of(self, dedupe_key: str) -> int | None:
        """The oldest stored request with this key."""
        committed = self._read.execute("SELECT id FROM requests WHERE dedupe_key = ? "
                                       "ORDER BY id", (dedupe_key,))
        for (request_id,) in committed:
            if request_id in self._sizes:
                return int(request_id)
        pending = self._pending_keys.get(dedupe_key)
        return pending if pending in self._sizes else None

    def get(self, request_id: int) -> CapturedRequest | None:
        if request_id in self._pending:
            return self._pending[request_id]
        if request_id not in self._sizes:
            return None
        row = self._read.execute(f"SELECT {_COLUMNS} FROM requests WHERE id = ?",
                                 (request_id,)).fetchone()
        return _record(row) if row else None

    def replace(self, record: CapturedRequest) -> bool:
        old_size = self._sizes.get(record.id)
        if old_size is None:
            return False
        document, blobs = codec.encode(record)
        size = record.stored_bytes
        sequence = self._write(
            "UPDATE requests SET stored_bytes = ?, document = ?, header_block = ?, body = ?, "
            "trailer_block = ? WHERE id = ?", size, document, *blobs.values(), record.id)
        self._remember(record.id, record, sequence)
        self._sizes[record.id] = size
        self._bytes += size - old_size
        return True

    def delete(self, request_id: int) -> bool:
        size = self._sizes.pop(request_id, None)
        if size is None:
            return False
        self._bytes -= size
        if not self._sizes or request_id > next(reversed(self._sizes)):
            self._keep_last_id()  # the newest row goes: the highest id must be kept apart
        sequence = self._write("DELETE FROM requests WHERE id = ?", request_id)
        self._remember(request_id, None, sequence)
        return True

    def clear(self) -> None:
        self._keep_last_id()
        self._sizes.clear()
        self._bytes = 0
        self._pending.clear()
        self._pending_at.clear()
        self._pending_keys.clear()
        self._cleared_at = self._write("DELETE FROM requests")

    def after(self, after_id: int, limit: int = 1_000_000) -> list[CapturedRequest]:
        """Stored records with id > after_id, ascending, at most `limit`."""
        rows = self._read.execute(
            f"SELECT {_COLUMNS} FROM requests WHERE id > ? ORDER BY id LIMIT ?",
            (after_id, limit)).fetchall()
        return self._merged(rows, lambda i: i > after_id)[:limit]

    def newest(self, limit: int, before: int | None = None) -> list[CapturedRequest]:
        """The newest `limit` records (with ids below `before`), ascending."""
        below = self._last_id + 1 if before is None else before
        rows = self._read.execute(
            f"SELECT {_COLUMNS} FROM requests WHERE id < ? ORDER BY id DESC LIMIT ?",
            (below, limit)).fetchall()
        return self._merged(rows, lambda i: i < below)[-limit:] if limit else []

    def _merged(self, rows: Iterable[_Row],
                wanted: Callable[[int], bool]) -> list[CapturedRequest]:
        """Committed rows overlaid with the writes still queued."""
        found: dict[int, CapturedRequest] = {}
        if self._cleared_at is None:
            found = {row[0]: _record(row) for row in rows
                     if row[0] not in self._pending and row[0] in self._sizes}
        for request_id, record in self._pending.items():
            if record is not None and wanted(request_id) and request_id in self._sizes:
                found[request_id] = record
        return [found[i] for i in sorted(found)]
