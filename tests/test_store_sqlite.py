"""What only a file can show: the history, its ids and its instance outlive the store, and
a file that is not ours is refused untouched."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from inspector.models import ResponseRecord, Verdict
from inspector.store.sqlite import SqliteStore, StoreFileError

from .conftest import make_capture


def open_store(path: Path, max_requests: int = 100) -> SqliteStore:
    return SqliteStore(path, max_requests, 10**9, asyncio.get_running_loop())


async def test_a_reopened_file_has_the_same_history_ids_and_instance(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    store = open_store(path)
    verdict = Verdict("github", "invalid", "mismatch", "X-Hub-Signature-256", "a", "b", None)
    record = make_capture(id=store.next_id(), body=b"\x00\xffraw", query="a=1&a=2",
                          signatures=(verdict,),
                          response=ResponseRecord(201, (("X-A", "1"),), b"ok", 1.5, "forward"),
                          headers=[(b"X-Case", b"Mixed"), (b"x-case", b"again")])
    store.add(record, dedupe_key="github:1")
    second = store.next_id()
    store.add(make_capture(id=second))
    store.delete(second)
    waiter = store.durable()
    assert waiter is not None
    await waiter
    instance = store.instance
    await store.close()

    again = open_store(path)
    assert again.instance == instance
    assert again.get(1) == record
    assert again.original_of("github:1") == 1
    assert again.next_id() == 3  # the deleted id 2 is never given again
    await again.close()


@pytest.mark.parametrize(("content", "reason"), [
    (b"plain text, not a database" * 10, "not a usable SQLite database"),
    (None, "did not write"),
])
async def test_a_file_that_is_not_ours_is_refused_untouched(tmp_path: Path, content: bytes | None,
                                                            reason: str) -> None:
    path = tmp_path / "other.db"
    if content is None:
        with sqlite3.connect(path) as other:
            other.execute("CREATE TABLE things (x)")
        other.close()
    else:
        path.write_bytes(content)
    before = path.read_bytes()
    with pytest.raises(StoreFileError, match=reason) as raised:
        open_store(path)
    assert str(path) in str(raised.value)
    assert path.read_bytes() == before


async def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    await open_store(path).close()
    with sqlite3.connect(path) as newer:
        newer.execute("PRAGMA user_version=99")
    newer.close()
    with pytest.raises(StoreFileError, match="newer"):
        open_store(path)


async def test_an_empty_file_is_initialised(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    store = open_store(path)
    store.add(make_capture(id=store.next_id()))
    await store.close()
    again = open_store(path)
    assert again.last_id == 1
    await again.close()


async def test_a_missing_directory_is_named(tmp_path: Path) -> None:
    with pytest.raises(StoreFileError, match="does not exist"):
        open_store(tmp_path / "nowhere" / "history.db")
