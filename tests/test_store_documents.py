"""The stored document (store/codec.py) through the durable engines: any record written reads
back as it was from a file or a Redis store opened again, and a SQLite file written by session
10's code (its documents of the former form) opens and reads as it did, searches included."""

from __future__ import annotations

import asyncio
import io
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector.captured import CapturedRequest
from inspector.kept import SharedValid
from inspector.models import Arrival
from inspector.query import parse
from inspector.store import open_store
from inspector.store.memory import MemoryStore
from inspector.store.protocol import Store
from inspector.store.sqlite import SqliteStore

from .former_records import former_records
from .redis_server import RedisServer
from .test_store_codec import as_read, records, same, shared_records

FORMER_FILE = Path(__file__).parent / "data" / "session10_history.db"
NOW = 1765000200.0
QUERIES = ("sig:valid", "sig:invalid", "provider:bondify", "dup:true", "replayed:true",
           "event:push", "path:/hooks/*", "header.x-bondify-signature:9abd51c3", "confirmed",
           "body:confirmed")


async def submitted(store: Store, record: CapturedRequest) -> CapturedRequest:
    """The record handed to the store as the hooks listener hands one (arrival, what was
    learnt, its answer), stored with the id the store gives it."""
    fields = record._asdict()
    arrival = Arrival(*(fields.pop(name) for name in Arrival._fields))
    del fields["id"]
    response = fields.pop("response")
    stored, durable = store.submit(arrival, fields, None, response, False)
    if stored is None:
        assert durable is not None
        stored = await durable
        assert stored is not None
    return stored


async def written_and_read_again(url: str, batch: list[CapturedRequest]
                                 ) -> list[tuple[CapturedRequest, CapturedRequest | None]]:
    """Each record as its store kept it, and as a store opened again on the same file or
    Redis reads it from there."""
    writer = await open_store(url, 1000, 10**12, err=io.StringIO())
    try:
        stored = [await submitted(writer, record) for record in batch]
        if (waiter := writer.durable()) is not None:
            await waiter
    finally:
        await writer.close()
    reader = await open_store(url, 1000, 10**12, err=io.StringIO())
    try:
        return [(record, reader.get(record.id)) for record in stored]
    finally:
        await reader.close()


@pytest.mark.parametrize("engine", ["sqlite", "redis"])
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(batch=st.lists(records | shared_records, min_size=1, max_size=6))
def test_any_record_reads_back_as_it_was_from_a_store_opened_again(
        engine: str, tmp_path: Path, redis_server: RedisServer,
        batch: list[CapturedRequest]) -> None:
    if engine == "redis":
        with redis_server.client() as client:
            client.flushall()
        url = redis_server.url
    else:
        shutil.rmtree(tmp_path / "h", ignore_errors=True)
        (tmp_path / "h").mkdir()
        url = f"sqlite:{tmp_path / 'h' / 'history.db'}"
    for stored, read in asyncio.run(written_and_read_again(url, batch)):
        assert read is not None
        assert same(read._asdict(), as_read(stored))
        if isinstance(stored.kept_signatures, SharedValid):  # shared again once read
            assert read.kept_signatures is stored.kept_signatures


def test_the_former_records_keep_a_shared_verdict_and_a_numbered_answer() -> None:
    """The fixture holds the kinds whose document changed in session 11."""
    verified = former_records()[0][0]
    assert isinstance(verified.kept_signatures, SharedValid)
    assert verified.answer_ms is not None  # numbered: its body derived from its id


async def searched(store: Store) -> list[list[int]]:
    return [[record.id for record in store.search(parse(query), NOW)] for query in QUERIES]


async def test_a_file_written_by_session_10_reads_and_searches_as_it_did(tmp_path: Path
                                                                         ) -> None:
    """Its records read back equal (every value, every type), its dedupe key still names its
    original, each search finds what it finds in a memory store holding the same records,
    and a record added now reads back beside them."""
    path = tmp_path / "history.db"
    shutil.copyfile(FORMER_FILE, path)
    expected = former_records()
    memory = MemoryStore(1000, 10**9)
    for record, key in expected:
        memory.add(record, key)
    loop = asyncio.get_running_loop()
    store = SqliteStore(path, 1000, 10**9, loop)
    try:
        for record, _ in expected:
            found = store.get(record.id)
            assert found is not None and same(found._asdict(), as_read(record))
        assert [record.id for record in store.after(0)] == [1, 2, 3, 4, 5]
        assert store.original_of("bondify:1") == 1
        assert await searched(store) == await searched(memory)
        assert all(await searched(store))
        added = await submitted(store, expected[0][0])
        if (waiter := store.durable()) is not None:
            await waiter
    finally:
        await store.close()
    reopened = SqliteStore(path, 1000, 10**9, loop)
    try:
        found = reopened.get(added.id)
        assert added.id == 6 and found is not None and same(found._asdict(), as_read(added))
        first = reopened.get(1)
        assert first is not None and same(first._asdict(), as_read(expected[0][0]))
    finally:
        await reopened.close()
