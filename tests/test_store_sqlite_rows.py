"""The rows the SQLite engine writes for captured requests: the values it binds are chosen for
speed (sqlite.py's `_INSERT`), the rows are those the former binding wrote, value for value and
type for type, and they read back as the records they came from."""

from __future__ import annotations

import asyncio
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.captured import CapturedRequest
from inspector.store import codec
from inspector.store.sqlite import SqliteStore

from .test_store_codec import records

# The row as the former binding wrote it (the blobs as bytes, no dedupe key as None).
FORMER_INSERT = ("INSERT INTO former (received_at, dedupe_key, stored_bytes, id, document, "
                 "header_block, body, trailer_block) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
COLUMNS = ("id", "received_at", "dedupe_key", "stored_bytes", "document", "header_block",
           "body", "trailer_block")
ROW = ", ".join([*COLUMNS, *(f"typeof({column})" for column in COLUMNS)])

# each with its dedupe key or none (a key's first request is its original: a key only once)
keyed = st.lists(st.tuples(records, st.none() | st.text(min_size=1, max_size=12)),
                 min_size=1, max_size=40,
                 unique_by=lambda capture: capture[1] or object())


async def written(path: Path, captures: list[tuple[CapturedRequest, str | None]]
                  ) -> list[CapturedRequest]:
    """The captures added as the state adds them (each an original) and committed: the
    records as stored, with the ids the store gave."""
    store = SqliteStore(path, 10**6, 10**12, asyncio.get_running_loop())
    stored = []
    for record, key in captures:
        stored.append(record._replace(id=store.next_id(), duplicate_of=None))
        store.add(stored[-1], key)
    waiter = store.durable()
    assert waiter is not None
    await waiter
    await store.close()
    return stored


async def read_back(path: Path, stored: list[CapturedRequest], keys: list[str | None]
                    ) -> tuple[list[CapturedRequest | None], list[int | None]]:
    """The records by id, and the original of each key, from the file opened again."""
    store = SqliteStore(path, 10**6, 10**12, asyncio.get_running_loop())
    found = [store.get(record.id) for record in stored]
    originals = [store.original_of(key) for key in keys if key is not None]
    await store.close()
    return found, originals


def rows(db: sqlite3.Connection, table: str) -> list[tuple[Any, ...]]:
    return db.execute(f"SELECT {ROW} FROM {table} ORDER BY id").fetchall()


@settings(max_examples=40, deadline=None)
@given(keyed)
def test_rows_are_written_as_the_former_binding_wrote_them_and_read_back(
        captures: list[tuple[CapturedRequest, str | None]]) -> None:
    keys = [key for _, key in captures]
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "history.db"
        stored = asyncio.run(written(path, captures))
        db = sqlite3.connect(path)
        db.execute("CREATE TEMP TABLE former AS SELECT * FROM requests WHERE 0")
        for record, key in zip(stored, keys, strict=True):
            document, blobs = codec.encode(record)
            db.execute(FORMER_INSERT, (record.received_at, key, record.stored_bytes, record.id,
                                       document, *blobs.values()))
        assert rows(db, "requests") == rows(db, "former")
        db.close()
        found, originals = asyncio.run(read_back(path, stored, keys))
    assert found == stored
    assert originals == [record.id for record, key in zip(stored, keys, strict=True) if key]
