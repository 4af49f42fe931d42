"""The SQLite engine's search index: one narrow row of facets per request (what the exact
SQL fields read) and an FTS5 trigram index of its text (path, query and header values; the
body), filled after the capture's commit, off its path, up to a watermark. Rows above the
watermark are searched by the predicate; rows of deleted requests linger until purged and
are ignored (the store knows which ids it holds).

Filling it never holds the loop long (SPEC 3): a step indexes a chunk of bounded bytes, a
body over BODY_TEXT_LIMIT is left out of the full-text index (trigram indexing costs about
170 ms a MiB; the full-text clauses let such a request through to the predicate), and FTS5
merges its segments only when asked, a bounded step at a time (its own merging, done as
each chunk is written, held the loop up to 20 ms)."""

from __future__ import annotations

import sqlite3

from ..models import CapturedRequest
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
