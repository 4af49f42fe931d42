"""The Redis store's batches: the captures of one turn go to Redis in one round trip (the
scripts called by their digest, with no question first whether Redis has them), and a Redis
that lost its scripts still stores each of them once."""

from __future__ import annotations

import asyncio
import io
from typing import Any

from inspector.store import open_store

from .redis_server import RedisServer
from .test_store import Engine


def calls(stats: dict[str, Any], command: str) -> int:
    return int(stats.get(f"cmdstat_{command}", {}).get("calls", 0))


async def test_a_turns_captures_go_in_one_round_trip_and_survive_a_script_flush(
        redis_server: RedisServer) -> None:
    store = await open_store(redis_server.url, 1000, 10**9, err=io.StringIO())
    try:
        engine = Engine(store)
        client = redis_server.client()
        client.config_resetstat()
        first = await asyncio.gather(*(engine.put(body=b"%d" % n, headers=[])
                                       for n in range(20)))
        stats = client.info("commandstats")
        assert calls(stats, "script|exists") == 0  # was one more round trip per batch
        assert calls(stats, "evalsha") <= 2  # the twenty in one call (and the recovery's watch)

        client.script_flush()  # as after a restart: Redis has no script of ours
        again = await asyncio.gather(*(engine.put(body=b"again %d" % n, headers=[])
                                       for n in range(5)))
        ids = [record.id for record in [*first, *again]]
        assert ids == list(range(1, 26))
        assert [record.body for record in again] == [b"again %d" % n for n in range(5)]
        assert client.zcard("webhook-inspector:ids") == 25  # each stored once
        assert [store.get(record.id) for record in again] == again
    finally:
        await store.close()
