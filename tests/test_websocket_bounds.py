"""What websocket clients may cost (SPEC 3 and 6; issue 22, 1 and issue 28, 3): many filtered
clients cost capture one small step each, their searches judged once per query in their own
writers; each client's queue is bounded in bytes as well as in messages."""

from __future__ import annotations

import asyncio
import io
import json
import subprocess
import sys
import time
from typing import Any, NamedTuple
from urllib.parse import quote

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from .conftest import Apps, AppsFactory, eventually, make_capture
from .prober import CaptureProber, ProbeResult, best_of

CLIENTS = 200
BIG = b"x" * (10 * 1024 * 1024 - 6) + b"needle"  # 10 MiB, the word at its very end


async def receive(ws: ClientConnection) -> dict[str, Any]:
    return json.loads(await asyncio.wait_for(ws.recv(), 10))


# The clients live in a process of their own, as a browser's tabs would: the server's loop
# carries only its own side of them.
_CLIENTS = r"""
import asyncio, json, sys
from websockets.asyncio.client import connect

async def client(url, wanted, ready):
    async with connect(url, max_size=2**22) as ws:
        json.loads(await ws.recv())
        ready.set()
        await asyncio.sleep(0)
        return [json.loads(await ws.recv())["request"]["id"] for _ in range(wanted)]

async def main(wanted, urls):
    readies = [asyncio.Event() for _ in urls]
    tasks = [asyncio.create_task(client(url, wanted, ready)) for url, ready in zip(urls, readies)]
    await asyncio.gather(*(ready.wait() for ready in readies))
    print("ready", flush=True)
    print(json.dumps(await asyncio.wait_for(asyncio.gather(*tasks), 60)), flush=True)

asyncio.run(main(int(sys.argv[1]), sys.argv[2:]))
"""


async def filtered_clients(urls: list[str], wanted: int) -> asyncio.subprocess.Process:
    """A websocket client of each URL, in another process, each reading `wanted` requests;
    returned once all are subscribed."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _CLIENTS, str(wanted), *urls, stdout=subprocess.PIPE)
    assert process.stdout is not None
    assert await asyncio.wait_for(process.stdout.readline(), 60) == b"ready\n"
    return process


class BigRequest(NamedTuple):
    answered_in: float
    probed: ProbeResult


async def big_request_for_filtered_clients(apps: Apps, queries: int) -> BigRequest:
    """200 clients in another process, filtering with `queries` different queries that all
    match, a 10 MiB request for them, while the prober probes; every client must get it and
    the next, in order."""
    clients = await filtered_clients(
        [apps.ws_url("?q=" + quote(f"needle OR path:/c{n % queries}")) for n in range(CLIENTS)],
        2)
    stored = len(apps.inspector.store)
    async with CaptureProber(apps.inspector.hook_url) as probe:
        started = time.perf_counter()
        posted = await apps.hooks.post("/big", data=io.BytesIO(BIG))
        answered_in = time.perf_counter() - started
        small = await apps.hooks.post("/big/small", data=b"needle")
        output, _ = await asyncio.wait_for(clients.communicate(), 60)

        async def probed_a_while() -> bool:  # two seconds of probes, for an honest p99
            return len(apps.inspector.store) > stored + 400

        await eventually(probed_a_while, timeout=10)
    assert posted.status == 200
    ids = [(await posted.json())["id"], (await small.json())["id"]]
    assert json.loads(output) == [ids] * CLIENTS
    assert probe.result is not None
    return BigRequest(answered_in, probe.result)


async def test_many_filtered_clients_leave_capture_alone(make_apps: AppsFactory) -> None:
    """200 clients with one filter (a word, searched in the whole body): the 10 MiB request is
    answered at once (it took 6.6 s, every client's search run inside capture), and capture
    answers the prober as ever: the search is made once, away from capture."""
    apps = await make_apps(max_requests=2000, max_body=16 * 1024 * 1024,
                           max_bytes=128 * 1024 * 1024)
    found = await best_of(3, lambda: big_request_for_filtered_clients(apps, 1),
                          lambda found: found.answered_in < 1 and found.probed.unhindered)
    assert found.answered_in < 1, found.answered_in
    found.probed.assert_capture_unhindered()


async def test_different_filters_are_searched_away_from_capture(make_apps: AppsFactory) -> None:
    """20 different filters among the 200 clients: 20 searches of 10 MiB, each costing what
    the search engine costs, none of them inside capture (the request is answered at once and
    no probe fails; how long the prober waits meanwhile is the searches' own cost)."""
    apps = await make_apps(max_requests=2000, max_body=16 * 1024 * 1024,
                           max_bytes=128 * 1024 * 1024)
    found = await best_of(3, lambda: big_request_for_filtered_clients(apps, 20),
                          lambda found: found.answered_in < 1)
    assert found.answered_in < 1 and found.probed.failed == 0, found.probed.describe()


async def test_a_client_that_never_reads_is_bounded_in_bytes(make_apps: AppsFactory) -> None:
    """Few messages, but large ones: the queue's byte bound closes the client (1013), which
    resumes with after= and misses nothing; memory waiting for it stays within the bound."""
    bound = 256 * 1024
    apps = await make_apps(max_requests=1000, max_bytes=64 * 1024 * 1024,
                           ws_queue_bytes=bound)
    long_path = "/p/" + "x" * 30_000  # each summary is over 30 KB
    seen: list[int] = []
    async with connect(apps.ws_url("?after=0"), max_size=2**22) as ws:
        await receive(ws)
        # 60 messages, 1.8 MB, between two turns of the loop: far fewer than the 2,000
        # messages it may queue, far more bytes than its bound.
        store = apps.inspector.store
        for _ in range(60):
            store.add(make_capture(id=store.next_id(), path=long_path))
            assert apps.inspector.hub.queued_bytes <= bound
        try:
            while True:
                seen.append((await receive(ws))["request"]["id"])
        except ConnectionClosed as closed:
            assert closed.rcvd is not None and closed.rcvd.code == 1013
    async with connect(apps.ws_url(f"?after={seen[-1] if seen else 0}"), max_size=2**22) as ws:
        await receive(ws)
        while len(seen) < 60:
            seen.append((await receive(ws))["request"]["id"])
    assert seen == list(range(1, 61))
