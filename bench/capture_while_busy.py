"""Capture while the inspector works (SPEC 3): how long the hooks listener takes to answer while
each inspector-side job runs, against SPEC 3's targets.

For each job: a server of its own (`python -m inspector`), a prober process sending 200 small
POSTs a second, a new connection each (`tests/prober.py`'s CaptureProber), the job run again and
again for --seconds (at least once), then the probes' p50, p99 and max, the server's RSS growth,
and whether the targets hold (every probe answered, none over 250 ms, p99 under 50 ms).

Usage: python bench/capture_while_busy.py [--seconds 5] [--only calm regex ...] [--quick]
       [--root DIR]   (the checkout whose `inspector` the servers run: e.g. an older commit)
Prints one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import io
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import scenarios  # noqa: E402
from run import inspector_args, process, urls  # noqa: E402
from sqlite_scale import fill  # noqa: E402

from tests import hostile_inputs as hostile  # noqa: E402
from tests.prober import MAX_WAIT_S, P99_S, CaptureProber  # noqa: E402

MIB = hostile.MIB
JOB_TIMEOUT_S = 180
Once = Callable[[], Any]  # one run of a job: a coroutine function


@dataclass(frozen=True)
class Server:
    hook: str
    ui: str
    pid: int


@dataclass(frozen=True)
class Sizes:
    """The hostile inputs' sizes: the issue's, or smaller ones for a quick smoke run."""
    redos_as: int = 26
    members: int = 200_000
    multipart: int = 10 * MIB
    har: int = 30 * MIB
    websockets: int = 200
    post: int = 10 * MIB
    headers_each: int = 30
    sqlite_rows: int = 100_000


QUICK = Sizes(redos_as=18, members=20_000, multipart=MIB, har=3 * MIB, websockets=20,
              post=MIB, headers_each=8, sqlite_rows=5_000)


async def post(session: aiohttp.ClientSession, url: str, data: Any,
               headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    async with session.post(url, data=data, headers=headers) as answer:
        return answer.status, await answer.read()


async def get(session: aiohttp.ClientSession, url: str) -> bytes:
    async with session.get(url) as answer:
        return await answer.read()


async def captured(session: aiohttp.ClientSession, url: str, body: bytes,
                   headers: dict[str, str] | None = None) -> int:
    """The id the hooks listener gave the request."""
    _, answer = await post(session, url, io.BytesIO(body), headers)
    return int(json.loads(answer)["id"])


# --- the jobs: each an async context manager that yields one run of the job -----------------

Job = Callable[[Server, aiohttp.ClientSession, Sizes], AbstractAsyncContextManager[Once]]


@asynccontextmanager
async def calm(server: Server, session: aiohttp.ClientSession, sizes: Sizes) -> AsyncIterator[Once]:
    yield lambda: asyncio.sleep(0.5)


@asynccontextmanager
async def regex(server: Server, session: aiohttp.ClientSession,
                sizes: Sizes) -> AsyncIterator[Once]:
    """`q=body:/(a+)+$/` over a body of 26 `a` and `!` (each `a` more doubled it)."""
    await captured(session, server.hook + "/redos", b"a" * sizes.redos_as + b"!")
    yield lambda: get(session, f"{server.ui}/api/requests?q={quote(hostile.REDOS_QUERY)}")


@asynccontextmanager
async def gzip_members(server: Server, session: aiohttp.ClientSession,
                       sizes: Sizes) -> AsyncIterator[Once]:
    """The detail of 9.7 KB holding 200,000 empty gzip members (`gzip, gzip`)."""
    request_id = await captured(session, server.hook + "/members",
                                hostile.gzip_members_body(sizes.members),
                                {"Content-Encoding": "gzip, gzip"})
    yield lambda: get(session, f"{server.ui}/api/requests/{request_id}")


@asynccontextmanager
async def multipart(server: Server, session: aiohttp.ClientSession,
                    sizes: Sizes) -> AsyncIterator[Once]:
    """The detail of a gzip'd 10 MiB multipart body of 1,000 parts without a blank line."""
    body = gzip.compress(hostile.multipart_without_blank_lines(sizes.multipart))
    request_id = await captured(session, server.hook + "/multipart", body, {
        "Content-Encoding": "gzip", "Content-Type": "multipart/form-data; boundary=b"})
    yield lambda: get(session, f"{server.ui}/api/requests/{request_id}")


@asynccontextmanager
async def har_import(server: Server, session: aiohttp.ClientSession,
                     sizes: Sizes) -> AsyncIterator[Once]:
    """A 30 MiB junk HAR that must be read to its end: one entry more than the server's
    --max-requests (1,000), each carrying its share of empty objects (refused: 400)."""
    document = b"".join(hostile.har_with_junk_entries(1001, sizes.har))
    yield lambda: post(session, server.ui + "/api/import", io.BytesIO(document))


@asynccontextmanager
async def har_export(server: Server, session: aiohttp.ClientSession,
                     sizes: Sizes) -> AsyncIterator[Once]:
    """The HAR export of a history holding three 10 MiB binary bodies (base64 in the HAR)."""
    for _ in range(3):
        await captured(session, server.hook + "/binary", os.urandom(sizes.post))
    yield lambda: get(session, f"{server.ui}/api/export.har")


@asynccontextmanager
async def filtered_websockets(server: Server, session: aiohttp.ClientSession,
                              sizes: Sizes) -> AsyncIterator[Once]:
    """A 10 MiB POST while 200 websockets each filter with `q=body:zebra`."""
    sockets = [await session.ws_connect(server.ui.replace("http", "ws", 1) + "/ws?q=body:zebra",
                                        max_msg_size=0) for _ in range(sizes.websockets)]
    readers = [asyncio.ensure_future(_drain(socket)) for socket in sockets]
    body = b"x" * sizes.post
    try:
        yield lambda: post(session, server.hook + "/big", io.BytesIO(body))
    finally:
        for socket in sockets:
            await socket.close()
        await asyncio.gather(*readers, return_exceptions=True)


async def _drain(socket: aiohttp.ClientWebSocketResponse) -> None:
    async for _ in socket:
        pass


@asynccontextmanager
async def discovery(server: Server, session: aiohttp.ClientSession,
                    sizes: Sizes) -> AsyncIterator[Once]:
    """With `--secret bondio=anything`: a request with `bondio-signature` and 90 other
    headers, then its detail (each run a new request: a detail's diagnosis is kept)."""
    headers = dict(hostile.discovery_heavy_headers(sizes.headers_each))

    async def once() -> bytes:
        request_id = await captured(session, server.hook + "/bondio", b'{"event": "x"}',
                                    headers)
        return await get(session, f"{server.ui}/api/requests/{request_id}")

    yield once


@asynccontextmanager
async def sqlite_search(server: Server, session: aiohttp.ClientSession,
                        sizes: Sizes) -> AsyncIterator[Once]:
    """A regex search just after a restart on a file of 100,000 requests (the search index
    not caught up yet)."""
    yield lambda: get(session, f"{server.ui}/api/requests?q={quote('body:/evt_[0-9]{8}/')}")


JOBS: dict[str, tuple[Job, tuple[str, ...]]] = {
    "calm": (calm, ()),
    "regex": (regex, ()),
    "gzip_members_detail": (gzip_members, ()),
    "multipart_10mib_detail": (multipart, ()),
    "har_import_30mib_junk": (har_import, ()),
    "har_export_30mib": (har_export, ()),
    "websockets_200_filtered_10mib_post": (filtered_websockets, ()),
    "discovery_detail": (discovery, ("--secret", "bondio=anything")),
    "sqlite_regex_after_restart": (sqlite_search, ("--store", "sqlite:{file}")),
}


# --- measuring --------------------------------------------------------------------------------

@contextmanager
def server(root: Path, flags: tuple[str, ...], sizes: Sizes) -> Iterator[Server]:
    """A server of its own; with `sqlite:{file}`, on a file of sizes.sqlite_rows requests
    written just before (so it starts with its search index behind)."""
    with tempfile.TemporaryDirectory() as directory:
        file = Path(directory) / "history.db"
        if any("{file}" in flag for flag in flags):
            asyncio.run(fill(file, sizes.sqlite_rows))
            flags = (*(flag.format(file=file) for flag in flags),
                     "--max-requests", str(sizes.sqlite_rows))
        with process(inspector_args(*flags), "Webhooks", cwd=root) as (proc, line):
            hook, ui = urls(line, proc)
            yield Server(hook, ui, proc.pid)


async def measure(job: Job, running: Server, sizes: Sizes, seconds: float) -> dict[str, Any]:
    timeout = aiohttp.ClientTimeout(total=JOB_TIMEOUT_S)
    connector = aiohttp.TCPConnector(limit=0)  # 200 websockets and the job's own requests
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session, \
            job(running, session, sizes) as once:
        rss_before = peak_rss_kib(running.pid, reset=True)
        runs: list[float] = []
        async with CaptureProber(running.hook, seconds=seconds + JOB_TIMEOUT_S) as probe:
            started = time.monotonic()
            while not runs or time.monotonic() - started < seconds:
                began = time.monotonic()
                await once()
                runs.append(time.monotonic() - began)
        growth = (peak_rss_kib(running.pid) - rss_before) / 1024
    assert probe.result is not None
    return {**_figures(probe.result.latencies, probe.result.failed), "job_runs": len(runs),
            "job_s_max": round(max(runs), 3), "rss_growth_mib": round(growth, 1)}


def peak_rss_kib(pid: int, reset: bool = False) -> int:
    """The process's peak resident memory (VmHWM), first set back to what it holds now."""
    if reset:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    return scenarios.rss_kib(pid, "VmHWM")


def _figures(latencies: list[float], failed: int) -> dict[str, Any]:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    met = failed == 0 and ordered[-1] <= MAX_WAIT_S and p99 <= P99_S
    return {"probes": len(ordered), "failed": failed,
            "p50_ms": round(statistics.median(ordered) * 1000, 1),
            "p99_ms": round(p99 * 1000, 1), "max_ms": round(ordered[-1] * 1000, 1),
            "spec3": "met" if met else "not met"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--only", nargs="*", choices=list(JOBS), default=list(JOBS))
    parser.add_argument("--quick", action="store_true",
                        help="1 s a job and smaller hostile inputs: a smoke run, not figures")
    parser.add_argument("--root", type=Path, default=ROOT)
    args = parser.parse_args()
    sizes, seconds = (QUICK, 1.0) if args.quick else (Sizes(), args.seconds)
    report: dict[str, Any] = {"bench": "capture_while_busy", "seconds": seconds,
                              "quick": args.quick, "targets": {"max_ms": MAX_WAIT_S * 1000,
                                                               "p99_ms": P99_S * 1000}}
    for name in args.only:
        job, flags = JOBS[name]
        with server(args.root.resolve(), flags, sizes) as running:
            try:
                report[name] = asyncio.run(measure(job, running, sizes, seconds))
            except (aiohttp.ClientError, TimeoutError) as failed:
                report[name] = {"error": f"{type(failed).__name__}: {failed}"}
    print(json.dumps(report), flush=True)


if __name__ == "__main__":
    main()
