"""SPEC 3 for `finding:` (SPEC 12, 13): a search or a websocket filter that reads the findings
of large deviating payloads has their detailed verdicts made in the worker process, not in
its own steps (on the loop, or in the worker thread, where the one C call that makes them
keeps the interpreter lock), while a separate process probes the hooks listener at 200 req/s
and the loop's lag is measured in process; and it finds exactly what the search that made
them on the spot finds."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import json
import time
from pathlib import Path
from urllib.parse import quote

import brotli
import pytest
from websockets.asyncio.client import ClientConnection, connect

from inspector.captured import CapturedRequest
from inspector.conformance.judged import DETAILED_HERE_BYTES, Judge
from inspector.conformance.loading import catalogue_for
from inspector.query import matcher, parse

from .conftest import Apps, AppsFactory
from .prober import best_of
from .test_detail_capture import (
    GITHUB,
    GZIPPED,
    Measured,
    assert_unhindered,
    deviating_push,
    first_read_probed,
    post,
    processes_asked,
    spacious,
    unhindered,
    while_probed,
)
from .test_search_api import ids

FINDINGS = "finding:tree_id"  # a finding of every commit of a deviating push


def on_the_spot(apps: Apps, text: str) -> list[CapturedRequest]:
    """What the query finds among the stored records, each verdict made in the test, on the
    spot, by a judge that keeps nothing yet (as every search did before)."""
    test = matcher(parse(text), time.time(), Judge(catalogue_for([])))
    return [record for record in apps.inspector.store.after(0) if test(record)]


async def test_a_finding_search_over_large_deviating_payloads_leaves_capture_unhindered(
        make_apps: AppsFactory) -> None:
    apps = await spacious(make_apps)
    body = deviating_push()
    assert len(body) > 450_000
    posted: list[int] = []

    async def store() -> str:
        posted[:] = [await post(apps, body, GITHUB) for _ in range(2)]
        return "/api/requests?q=" + quote(f"id:>={posted[0]} {FINDINGS}") + "&matches=true"

    answer, probed, held = await first_read_probed(apps, store)
    page = json.loads(answer)
    assert [summary["id"] for summary in page["requests"]] == posted and page["matches"] == 2
    assert_unhindered(probed, held)


async def test_a_websocket_filtered_on_findings_leaves_capture_unhindered(
        make_apps: AppsFactory) -> None:
    """Over 256 KiB the filter's test runs in the worker thread, under it on the loop: each
    deviating request is judged in detail in the worker process either way."""
    apps = await spacious(make_apps)
    large, middling = deviating_push(), deviating_push(600)
    assert len(large) > 256 * 1024 > len(middling) > 128 * 1024

    async def scenario() -> Measured:
        async with connect(apps.ws_url("?q=" + quote(FINDINGS)), close_timeout=0.5) as ws:
            assert json.loads(await ws.recv())["type"] == "hello"

            async def filtered() -> bytes:
                posted = [await post(apps, large, GITHUB), await post(apps, middling, GITHUB)]
                sent = [json.loads(await ws.recv())["request"]["id"] for _ in posted]
                return json.dumps([posted, sent]).encode()
            return await while_probed(apps, filtered)

    answer, probed, held = await best_of(3, scenario, unhindered)
    posted, sent = json.loads(answer)
    assert sent == posted  # the probes, without findings, are filtered out
    assert_unhindered(probed, held)


def github_example(event: str) -> bytes:
    examples = json.loads(brotli.decompress(
        (Path(__file__).parent / "data/github_examples.json.br").read_bytes()))["examples"]
    return json.dumps(examples[event]).encode()


# Payloads small and large, deviating, conforming, compressed, not JSON, of no provider.
PAYLOADS: list[tuple[bytes, dict[str, str]]] = [
    (deviating_push(3), GITHUB),
    (deviating_push(), GITHUB),
    (deviating_push(100), GITHUB),
    (gzip.compress(deviating_push(600)), GZIPPED),
    (github_example("pull_request.opened"), {**GITHUB, "X-GitHub-Event": "pull_request"}),
    (b"not json " * 1000, GITHUB),
    (deviating_push(50), {"Content-Type": "application/json"}),
]
QUERIES = [FINDINGS, "finding:base_ref", "finding:=required", "-finding:tree_id",
           "has:finding", "missing:finding", "finding:/commits/1/ OR ct:json",
           "NOT (finding:tree_id OR schema:conforms)", "schema:deviates finding:watchers",
           "finding:/^\\/commits\\/[0-9]+\\/tree_id$/ path:/gh"]


async def sent_ids(ws: ClientConnection, count: int) -> list[int]:
    """The ids of the next `count` requests a websocket is sent (each within 30 s)."""
    return [json.loads(await asyncio.wait_for(ws.recv(), 30))["request"]["id"]
            for _ in range(count)]


@pytest.mark.parametrize("engine", ["memory", "sqlite"])
async def test_a_finding_search_finds_what_the_search_on_the_spot_finds(
        make_apps: AppsFactory, engine: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Every way a search is asked (the list and its count, a live websocket's filter, the
    websocket's backlog, the export of given ids), against the verdicts made on the spot;
    the deviating payloads past DETAILED_HERE_BYTES (received or decoded) are judged in the
    worker process, once."""
    asked = processes_asked(monkeypatch)
    apps = await spacious(make_apps) if engine == "memory" else \
        await make_apps(store=f"sqlite:{tmp_path / 'h.db'}", max_body=1024 * 1024,
                        max_requests=5000, max_bytes=64 * 1024 * 1024)
    assert len(PAYLOADS[0][0]) <= DETAILED_HERE_BYTES < len(PAYLOADS[2][0])
    async with contextlib.AsyncExitStack() as live:
        sockets = [await live.enter_async_context(connect(apps.ws_url(f"?q={quote(text)}")))
                   for text in QUERIES]
        for ws in sockets:
            assert json.loads(await ws.recv())["type"] == "hello"
        stored = [await post(apps, body, headers) for body, headers in PAYLOADS]
        for text, ws in zip(QUERIES, sockets, strict=True):
            found = on_the_spot(apps, text)
            expected = [record.id for record in found]
            assert await sent_ids(ws, len(expected)) == expected, text
            assert await ids(apps, text) == expected, text
            page = await (await apps.ui.get(
                f"/api/requests?q={quote(text)}&limit=2&matches=true")).json()
            assert page["matches"] == len(expected), text
            async with connect(apps.ws_url(f"?after=0&q={quote(text)}")) as backlog:
                assert json.loads(await backlog.recv())["type"] == "hello"
                assert await sent_ids(backlog, len(expected)) == expected, text
            har = await (await apps.ui.get(f"/api/export.har?q={quote(text)}&ids="
                                           + ",".join(map(str, stored)))).json()
            assert [entry["request"]["bodySize"] for entry in har["log"]["entries"]] == \
                [record.body_size for record in found], text
    assert len(asked) == 3  # the large push, the middling one, the compressed one
