"""SPEC 3: capture never waits on a search. A hostile regex runs while a separate process
probes the hooks listener at 200 req/s and the loop's lag is measured in process."""

from __future__ import annotations

import json
import time
from urllib.parse import quote

from websockets.asyncio.client import connect

from .conftest import Apps
from .prober import LOOP_HOLD_S, CaptureProber, LoopLag


async def ids(apps: Apps, query: str) -> list[int]:
    response = await apps.ui.get(f"/api/requests?q={quote(query)}")
    assert response.status == 200, await response.text()
    return [summary["id"] for summary in (await response.json())["requests"]]


async def test_a_hostile_regex_answers_at_once_and_capture_goes_on(apps: Apps) -> None:
    assert (await apps.hooks.post("/hook", data=b"a" * 26 + b"!")).status == 200
    assert (await apps.hooks.post("/hook", data=b"a" * 26)).status == 200
    assert apps.inspector.hook_url is not None
    async with CaptureProber(apps.inspector.hook_url) as probe, LoopLag() as lag:
        started = time.perf_counter()
        assert await ids(apps, "body:/(a+)+$/") == [2]
        took = time.perf_counter() - started
    assert probe.result is not None
    probe.result.assert_capture_unhindered()
    assert took < 0.5 and lag.worst_cpu <= LOOP_HOLD_S, (took, lag.worst_cpu)


async def test_a_hostile_regex_subscription_does_not_slow_capture(apps: Apps) -> None:
    """The websocket's sieve runs in capture's own path: each arrival is matched there."""
    async with connect(apps.ws_url("?q=" + quote("body:/(a+)+$/"))) as ws:
        assert json.loads(await ws.recv())["type"] == "hello"
        started = time.perf_counter()
        for _ in range(3):  # 4.2 s each with Python's re
            assert (await apps.hooks.post("/hook", data=b"a" * 26 + b"!")).status == 200
        assert (await apps.hooks.post("/hook", data=b"a" * 26)).status == 200
        assert json.loads(await ws.recv())["request"]["id"] == 4
        assert time.perf_counter() - started < 1.0
