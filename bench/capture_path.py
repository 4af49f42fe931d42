"""The capture path in process, for a profiler: N requests fed through the real hooks protocol
(HooksConnection on an in-memory transport), analysis, state, the store (memory, or with
`--store` a SQLite file in a temporary directory or a redis-server of its own on a free
port) and the hub with K subscribers whose pumps batch their frames as the websocket's do.
With a durable store each round of 32 requests waits until all 32 are answered (committed,
or written to Redis and read back), as wrk's 32 connections do.

Instruction counts do not depend on the machine's load, so this is what to run under
`valgrind --tool=callgrind` (or `--profile` for cProfile) to see where a request's work goes:

    python bench/capture_path.py --scenario github --requests 20000 [--subscribers 10]
    python bench/capture_path.py --store sqlite --requests 4000
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import SCENARIOS, Scenario

from inspector.config import Config, SecretSpec
from inspector.hooks.connection import HooksConnection
from inspector.hooks.receiver import HooksReceiver
from inspector.hooks.server import HooksServer
from inspector.outbound import client_session
from inspector.state import SharedState
from inspector.store import memory, open_store, sqlite_index
from inspector.store.protocol import Store
from inspector.ui.ws import text_frame

CONNECTIONS = 32  # as the bench's wrk: this many requests are read in one turn of the loop


class Answered:
    """How many answers were written, and a wait until there are so many."""

    def __init__(self) -> None:
        self.count = 0
        self.wanted = 0
        self.reached = asyncio.Event()

    def one(self) -> None:
        self.count += 1
        if self.count >= self.wanted:
            self.reached.set()

    async def at_least(self, wanted: int) -> None:
        self.wanted = wanted
        if self.count < wanted:
            self.reached.clear()
            await self.reached.wait()


class MemoryTransport(asyncio.Transport):
    """A socket that takes every write at once and counts the bytes (and the writes)."""

    def __init__(self, answered: Answered | None = None) -> None:
        super().__init__()
        self.written = 0
        self._answered = answered

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.written += len(data)
        if self._answered is not None:
            self._answered.one()

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return ("127.0.0.1", 40000) if name == "peername" else default

    def is_closing(self) -> bool:
        return False

    def is_reading(self) -> bool:
        return True

    def can_write_eof(self) -> bool:
        return True

    def get_write_buffer_size(self) -> int:
        return 0


def request_bytes(scenario: Scenario) -> bytes:
    head = [f"POST {scenario.path} HTTP/1.1", "Host: 127.0.0.1:9000", "User-Agent: wrk",
            f"Content-Length: {len(scenario.body)}"]
    head += [f"{name}: {value}" for name, value in scenario.headers.items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + scenario.body


async def pump(subscriber: Any, sink: MemoryTransport) -> None:
    while (frames := await subscriber.next_batch()) is not None:
        sink.write(frames)


@asynccontextmanager
async def opened(engine: str, max_requests: int) -> AsyncIterator[Store | None]:
    """The store to capture into: None for memory (the state's own), a SQLite file in a
    temporary directory, or a redis-server started for this run (tests/redis_server.py)."""
    if engine == "memory":
        yield None
        return
    with tempfile.TemporaryDirectory() as directory:
        server = None
        if engine == "sqlite":
            url = f"sqlite:{Path(directory) / 'capture.db'}"
        else:
            sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
            from redis_server import RedisServer

            server = RedisServer(Path(directory), keep_data=False)
            server.start()
            url = server.url
        try:
            store = await open_store(url, max_requests, 1 << 40)
            try:
                yield store
            finally:
                await store.close()
        finally:
            if server is not None:
                server.stop()


async def run(scenario: Scenario, requests: int, subscribers: int, verified: bool,
              profile: cProfile.Profile | None, engine: str = "memory",
              max_requests: int = 1000) -> dict[str, Any]:
    async with opened(engine, max_requests) as store:
        return await run_on(scenario, requests, subscribers, verified, profile, store,
                            max_requests)


async def run_on(scenario: Scenario, requests: int, subscribers: int, verified: bool,
                 profile: cProfile.Profile | None, store: Store | None,
                 max_requests: int) -> dict[str, Any]:
    secrets = (SecretSpec(scenario.provider, scenario.secret),) if verified else ()
    state = SharedState(Config(max_requests=max_requests, secrets=secrets), store=store)
    sinks = [MemoryTransport() for _ in range(subscribers)]
    pumps = [asyncio.create_task(pump(state.hub.subscribe(text_frame), sink)) for sink in sinks]
    answered = Answered()
    async with client_session() as session:
        server = HooksServer(HooksReceiver(state, session))
        connections = [HooksConnection(server, server._receiver) for _ in range(CONNECTIONS)]
        transports = [MemoryTransport(answered) for _ in connections]
        for connection, transport in zip(connections, transports, strict=True):
            connection.connection_made(transport)
        data = request_bytes(scenario)
        size = len(data)
        started = time.perf_counter()
        if profile is not None:
            profile.enable()
        for index in range(requests):
            connection = connections[index % CONNECTIONS]
            connection.get_buffer(size)[:size] = data  # read as the loop reads: into its buffer
            connection.buffer_updated(size)
            if index % CONNECTIONS == CONNECTIONS - 1:
                await asyncio.sleep(0)  # the loop's turn: the pumps write their batches
                if store is not None:  # each connection waits for its answer
                    await answered.at_least(index + 1)
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        if store is not None:
            await answered.at_least(requests)
        if profile is not None:
            profile.disable()
        elapsed = time.perf_counter() - started
        state.hub.shut_down()
        await asyncio.gather(*pumps)
    newest = state.store.get(state.store.last_id)
    assert newest is not None
    return {"scenario": scenario.name, "store": state.store.engine, "verified": verified,
            "requests": requests, "answers": answered.count,
            "subscribers": subscribers, "us_per_request": round(elapsed / requests * 1e6, 2),
            "answers_bytes": sum(t.written for t in transports),
            "frames_bytes_per_client": sinks[0].written if sinks else 0,
            "verdicts": [v.status for v in newest.signatures], "provider": newest.provider,
            "event": newest.event}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), default="bondify")
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--subscribers", type=int, default=0)
    parser.add_argument("--unverified", action="store_true", help="no secret configured")
    parser.add_argument("--profile", type=Path, help="write cProfile's stats here")
    parser.add_argument("--store", choices=("memory", "sqlite", "redis"), default="memory",
                        help="sqlite: a file in a temporary directory; redis: a redis-server "
                        "of its own (as bench/run.py's capture_sqlite and capture_redis)")
    parser.add_argument("--max-requests", type=int,
                        help="the history's bound (1,000 in memory, 100,000 in a durable store, "
                        "as bench/run.py)")
    parser.add_argument("--text-index", action="store_true",
                        help="let the store index its text (memory) or search index "
                        "(sqlite) on its timer, as a server does")
    args = parser.parse_args()
    if not args.text_index:
        # Made on a timer (off the capture's path): under a profiler that slows the process
        # fifty times it would run fifty times as often per request. Measured apart.
        memory.INDEX_WAIT_S = memory.INDEX_BUSY_PAUSE_S = 3600.0
        sqlite_index.INDEX_QUIET_S = sqlite_index.INDEX_BUSY_PAUSE_S = 3600.0
    profile = cProfile.Profile() if args.profile else None
    max_requests = args.max_requests or (1000 if args.store == "memory" else 100_000)
    result = asyncio.run(run(SCENARIOS[args.scenario], args.requests, args.subscribers,
                             not args.unverified, profile, args.store, max_requests))
    if profile is not None:
        profile.dump_stats(args.profile)
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)
    print(result)


if __name__ == "__main__":
    main()
