"""The SQLite engine's search index: one narrow row of facets per request (what the exact
SQL fields read) and an FTS5 trigram index of its text (path, query and header values; the
body), filled after the capture's commit, off its path, up to a watermark. Rows above the
watermark are searched by the predicate; rows of deleted requests linger until purged and
are ignored (the store knows which ids it holds).

Filling it never holds the loop long (SPEC 3): a step indexes a chunk of bounded bytes, a
body over BODY_TEXT_LIMIT is left out of the full-text index (trigram indexing costs about
170 ms a MiB; the full-text clauses let such a request through to the predicate), and FTS5
merges its segments only when asked, a bounded step at a time (its own merging, done as
each chunk is written, held the loop up to 20 ms). `CatchUp` schedules those steps."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from typing import Protocol

from ..captured import CapturedRequest
from ..query.body_view import needs_view
from ..query.record_values import text_values

INDEX_SCHEMA = """
CREATE TABLE IF NOT EXISTS facets (
    id INTEGER PRIMARY KEY, received_at REAL NOT NULL, method TEXT NOT NULL,
    path TEXT NOT NULL, host TEXT, content_type TEXT, provider TEXT, event TEXT,
    delivery_id TEXT, signature TEXT, duplicate TEXT NOT NULL, replayed TEXT NOT NULL,
    status INTEGER, body_size INTEGER NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS request_text USING fts5(head, body, tokenize='trigram');
INSERT OR IGNORE INTO meta VALUES ('indexed_through', '0');
"""
BODY_TEXT_LIMIT = 64 * 1024  # bytes of body: at most ~10 ms of trigram indexing
# The full-text body of a request whose body is searched decoded (body_view): never decoded
# here (a chunk of small compressed bodies would hold the loop), so every text search lets it
# through to the predicate, which reads it decoded. A body that holds these words only costs
# a predicate's read.
UNDECODED = "webhook-inspector searches this body decoded"
# Kept in meta: what the full-text index holds of bodies. An index made before holds raw
# compressed bytes for the decoded ones, so it is made again.
INDEXED_BODIES = ("indexed_bodies", "raw, or marked to be searched decoded")
CHUNK_BYTES = 256 * 1024  # of stored requests indexed in one step (one at least)
MERGE_PAGES = 32  # of FTS5 segment merging in one step: at most ~4 ms
FACET_COLUMNS = ("id", "received_at", "method", "path", "host", "content_type", "provider",
                 "event", "delivery_id", "signature", "duplicate", "replayed", "status",
                 "body_size")
_FACETS_SQL = (f"INSERT OR REPLACE INTO facets ({', '.join(FACET_COLUMNS)}) "
               f"VALUES ({', '.join('?' * len(FACET_COLUMNS))})")
UPDATE_FACETS = (f"UPDATE facets SET ({', '.join(FACET_COLUMNS[1:])}) = "
                 f"({', '.join('?' * (len(FACET_COLUMNS) - 1))}) WHERE id = ?")


def _one(values: list[str]) -> str | None:
    return values[0] if values else None


def facets(record: CapturedRequest) -> tuple[object, ...]:
    """The facets row: each value as the predicate reads it (record_values)."""
    return (record.id, record.received_at, record.method, record.path,
            _one(text_values(record, "host", None)), record.content_type, record.provider,
            record.event, record.delivery_id, record.signature_status,
            "true" if record.duplicate_of is not None else "false",
            "true" if record.replays else "false",
            None if record.response is None else record.response.status, record.body_size)


def updated_facets(record: CapturedRequest) -> tuple[object, ...]:
    row = facets(record)
    return (*row[1:], row[0])


def text_row(record: CapturedRequest) -> tuple[object, ...]:
    head = "\n".join([record.path, record.query, *(value for _, value in record.headers)])
    body = UNDECODED if needs_view(record) else \
        record.body.decode("utf-8", "replace") if record.body_size <= BODY_TEXT_LIMIT else ""
    return record.id, head, body


def index_again_if_older(db: sqlite3.Connection, meta: dict[str, str]) -> None:
    """A search index made before bodies were searched decoded is dropped, to be made again
    from the first id (in the background, as after a restart)."""
    key, value = INDEXED_BODIES
    if meta.get(key) == value:
        return
    db.executescript(f"BEGIN IMMEDIATE; DELETE FROM facets; DELETE FROM request_text; "
                     f"UPDATE meta SET value = '0' WHERE key = 'indexed_through'; "
                     f"INSERT OR REPLACE INTO meta VALUES ('{key}', '{value}'); COMMIT;")
    meta.update({key: value, "indexed_through": "0"})


def tune_full_text(db: sqlite3.Connection) -> None:
    """FTS5 merges its segments only when `merge_step` asks (a setting kept in the file)."""
    db.execute("INSERT INTO request_text (request_text, rank) VALUES ('automerge', 0)")


def merge_step(db: sqlite3.Connection) -> bool:
    """One bounded step of merging the full-text index's segments (each chunk indexed adds
    one); False once there was nothing left to merge."""
    before = db.total_changes
    db.execute("INSERT INTO request_text (request_text, rank) VALUES ('merge', ?)",
               (MERGE_PAGES,))
    return db.total_changes - before >= 2  # how FTS5 says it did some work


def next_chunk(db: sqlite3.Connection, after: int, count: int) -> tuple[list[int], bool]:
    """The next ids above `after` to index: at most `count`, holding at most CHUNK_BYTES
    (one at least); and whether they are the last stored."""
    rows = db.execute("SELECT id, stored_bytes FROM requests WHERE id > ? ORDER BY id LIMIT ?",
                      (after, count)).fetchall()
    chosen: list[int] = []
    size = 0
    for request_id, stored_bytes in rows:
        if chosen and size + stored_bytes > CHUNK_BYTES:
            return chosen, False
        chosen.append(request_id)
        size += stored_bytes
    return chosen, len(rows) < count


def index_through(db: sqlite3.Connection, records: list[CapturedRequest], through: int,
                  oldest_kept: int) -> None:
    """One transaction: these records indexed, the watermark moved, rows below the oldest
    stored id dropped (evictions go oldest first)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        db.executemany(_FACETS_SQL, [facets(record) for record in records])
        db.executemany("INSERT INTO request_text (rowid, head, body) VALUES (?, ?, ?)",
                       [text_row(record) for record in records])
        db.execute("DELETE FROM facets WHERE id < ?", (oldest_kept,))
        db.execute("DELETE FROM request_text WHERE rowid < ?", (oldest_kept,))
        db.execute("UPDATE meta SET value = ? WHERE key = 'indexed_through'", (str(through),))
        db.execute("COMMIT")
    except sqlite3.Error:
        db.execute("ROLLBACK")
        raise


# Indexing costs about 100 us a row (mostly FTS5), as much as capturing it: capture must not
# wait for it. Quiet (no commit for INDEX_QUIET_S), the index catches up a chunk of about 4 ms
# at a time with as long a pause after each (so that the page and the API, served by the same
# loop, never wait long behind it: chunks of 20 ms back to back made the newest of 100,000
# stored show after 1.2 s instead of 0.3); while capture goes on, a small chunk every
# INDEX_BUSY_PAUSE_S (a few per cent of the loop), and searches read the rows above the
# watermark themselves.
INDEX_QUIET_S = 0.05
INDEX_QUIET_CHUNK = 40
INDEX_QUIET_PAUSE_S = 0.004
INDEX_BUSY_CHUNK = 20
INDEX_BUSY_PAUSE_S = 0.1
INDEX_MERGE_S = 0.002  # of merging steps (each up to ~4 ms) in one turn


class Indexed(Protocol):
    """What the catching up reads of the store."""

    def writing(self) -> bool:
        """Writes wait for their commit (the index waits for them)."""
    def highest_id(self) -> int:
        """The highest id given (every id up to it is committed or gone)."""
    def oldest_stored(self) -> int | None: ...
    def stored(self, ids: list[int]) -> list[CapturedRequest]:
        """The committed records with these ids, ascending."""


class CatchUp:
    """The index filled up to `watermark` (rows above it are searched by the predicate), a
    bounded step at a time after the commits, off the capture's path."""

    def __init__(self, db: sqlite3.Connection, loop: asyncio.AbstractEventLoop,
                 store: Indexed, watermark: int) -> None:
        self._db = db
        self._loop = loop
        self._store = store
        self.watermark = watermark
        self.merging = False  # the full-text index has segments to merge
        self._later: asyncio.TimerHandle | None = None
        self._last_commit = 0.0
        self.schedule()

    def committed(self) -> None:
        """A commit was made: the index follows once capture is quiet."""
        self._last_commit = self._loop.time()
        self.schedule()

    def close(self) -> None:
        if self._later is not None:
            self._later.cancel()

    def schedule(self, delay: float | None = None) -> None:
        if self._later is None and (self.merging or self.watermark < self._store.highest_id()):
            self._later = self._loop.call_later(INDEX_QUIET_S if delay is None else delay,
                                                self._step)

    def _step(self) -> None:
        """Index the next rows above the watermark once everything written is committed:
        a chunk back to back while capture is quiet, a small one now and then while not;
        after each, at the next turn, the full-text index's segments merged a step at a time
        for INDEX_MERGE_S (and again after each pause until none are left)."""
        self._later = None
        if self._store.writing():
            self.schedule()
            return
        busy = self._loop.time() - self._last_commit < INDEX_QUIET_S
        if not self.merging:
            if self._chunk(busy):
                self.schedule(0.0)
            return  # if not: searches scan above the watermark, slower, still right
        deadline = time.perf_counter() + INDEX_MERGE_S
        try:
            while self.merging and time.perf_counter() < deadline:
                self.merging = merge_step(self._db)
        except sqlite3.Error:
            self.merging = False  # merged after the next chunk
        self.schedule(INDEX_BUSY_PAUSE_S if busy and not self.merging else INDEX_QUIET_PAUSE_S)

    def _chunk(self, busy: bool) -> bool:
        """Index the next chunk above the watermark; False if the index could not be written."""
        ids, last = next_chunk(self._db, self.watermark,
                               INDEX_BUSY_CHUNK if busy else INDEX_QUIET_CHUNK)
        records = self._store.stored(ids)
        # Every id up to the highest given is committed or gone (ids are given and stored in
        # one step).
        through = self._store.highest_id() if last else ids[-1]
        oldest = self._store.oldest_stored()
        try:
            index_through(self._db, records, through, through + 1 if oldest is None else oldest)
        except sqlite3.Error:
            return False
        self.watermark = through
        self.merging = True
        return True
