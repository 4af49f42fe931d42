"""The capture path in process, for a profiler: N requests fed through the real hooks protocol
(HooksConnection on an in-memory transport), analysis, state, the memory store and the hub
with K subscribers whose pumps batch their frames as the websocket's do.

Instruction counts do not depend on the machine's load, so this is what to run under
`valgrind --tool=callgrind` (or `--profile` for cProfile) to see where a request's work goes:

    python bench/capture_path.py --scenario github --requests 20000 [--subscribers 10]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import sys
import time
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
from inspector.store import memory
from inspector.ui.ws import text_frame

CONNECTIONS = 32  # as the bench's wrk: this many requests are read in one turn of the loop


class MemoryTransport(asyncio.Transport):
    """A socket that takes every write at once and counts the bytes."""

    def __init__(self) -> None:
        super().__init__()
        self.written = 0

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.written += len(data)

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


async def run(scenario: Scenario, requests: int, subscribers: int, verified: bool,
              profile: cProfile.Profile | None) -> dict[str, Any]:
    secrets = (SecretSpec(scenario.provider, scenario.secret),) if verified else ()
    state = SharedState(Config(max_requests=1000, secrets=secrets))
    sinks = [MemoryTransport() for _ in range(subscribers)]
    pumps = [asyncio.create_task(pump(state.hub.subscribe(text_frame), sink)) for sink in sinks]
    async with client_session() as session:
        server = HooksServer(HooksReceiver(state, session))
        connections = [HooksConnection(server, server._receiver) for _ in range(CONNECTIONS)]
        transports = [MemoryTransport() for _ in connections]
        for connection, transport in zip(connections, transports, strict=True):
            connection.connection_made(transport)
        data = request_bytes(scenario)
        started = time.perf_counter()
        if profile is not None:
            profile.enable()
        for index in range(requests):
            connections[index % CONNECTIONS].data_received(data)
            if index % CONNECTIONS == CONNECTIONS - 1:
                await asyncio.sleep(0)  # the loop's turn: the pumps write their batches
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        if profile is not None:
            profile.disable()
        elapsed = time.perf_counter() - started
        state.hub.shut_down()
        await asyncio.gather(*pumps)
    newest = state.store.get(state.store.last_id)
    assert newest is not None
    return {"scenario": scenario.name, "verified": verified, "requests": requests,
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
    parser.add_argument("--text-index", action="store_true",
                        help="let the store index its text on its timer, as a server does")
    args = parser.parse_args()
    if not args.text_index:
        # Made on a timer (off the capture's path): under a profiler that slows the process
        # fifty times it would run fifty times as often per request. Measured apart.
        memory.INDEX_WAIT_S = memory.INDEX_BUSY_PAUSE_S = 3600.0
    profile = cProfile.Profile() if args.profile else None
    result = asyncio.run(run(SCENARIOS[args.scenario], args.requests, args.subscribers,
                             not args.unverified, profile))
    if profile is not None:
        profile.dump_stats(args.profile)
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)
    print(result)


if __name__ == "__main__":
    main()
