"""A route whose match reads findings (SPEC 13, 14) never judges a large deviating payload on
the capture path (SPEC 3): the request is kept first, its detailed verdict made in the worker
process, then the route it matches takes it, as any route does."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from inspector.config import RouteSpec, SecretSpec
from inspector.conformance import judged

from .conftest import Apps, AppsFactory, eventually
from .prober import best_of
from .test_challenges import CHALLENGES, SECRET, recorded, send
from .test_detail_capture import (
    GITHUB,
    Measured,
    assert_unhindered,
    deviating_push,
    processes_asked,
    unhindered,
    while_probed,
)
from .test_routes import detail, found
from .upstream import Upstream


def url(server: TestServer) -> str:
    return f"http://127.0.0.1:{server.port}"


async def findings_routed(make_apps: AppsFactory, aiohttp_server: Any, store: str = "memory",
                          match: str = "finding:tree_id") -> tuple[Apps, Upstream, TestServer]:
    app = Upstream()
    server = await aiohttp_server(app.app())
    apps = await make_apps(store=store, max_body=1024 * 1024, max_requests=5000,
                           max_bytes=64 * 1024 * 1024,
                           routes=(RouteSpec(match, url(server)),))
    return apps, app, server


async def test_a_findings_route_takes_a_large_deviating_payload_without_holding_capture(
        make_apps: AppsFactory, aiohttp_server: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    apps, app, server = await findings_routed(make_apps, aiohttp_server)
    asked = processes_asked(monkeypatch)
    body = deviating_push()
    sent: list[int] = []

    async def scenario() -> Measured:
        async def deliver() -> bytes:
            answer = await apps.hooks.post("/gh", data=body, headers=GITHUB)
            sent.append(answer.status)
            return await answer.read()
        return await while_probed(apps, deliver)

    _, probed, held = await best_of(3, scenario, unhindered)
    assert_unhindered(probed, held)
    assert set(sent) == {401} and len(app.seen) == len(sent)  # the app's own answer (unsigned)
    assert all(seen.body == body for seen in app.seen)
    assert len(asked) == len(sent)  # each judged in the worker process
    delivered = await found(apps, "path:/gh")  # the probes are captured too
    assert len(delivered) == len(sent)
    for request_id in delivered:
        shown = await detail(apps, request_id)
        assert shown["route"] == {"index": 0, "to": url(server)}
        assert shown["response"]["source"] == "forward"


@pytest.mark.parametrize("engine", ["memory", "sqlite"])
async def test_a_large_payload_no_route_takes_gets_the_default_answer_numbered(
        make_apps: AppsFactory, aiohttp_server: Any, tmp_path: Path, engine: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    store = "memory" if engine == "memory" else f"sqlite:{tmp_path / 'routes.db'}"
    apps, app, _ = await findings_routed(make_apps, aiohttp_server, store,
                                         "finding:no_such_field")
    asked = processes_asked(monkeypatch)
    answer = await apps.hooks.post("/gh", data=deviating_push(), headers=GITHUB)
    assert answer.status == 200 and await answer.json() == {"ok": True, "id": 1}
    assert app.seen == []  # judged apart, then taken by no route
    shown = await detail(apps, 1)
    assert shown["route"] is None and shown["response"]["status"] == 200
    assert len(asked) == 1  # the page's detail is the verdict made for choosing
    assert shown["response"]["source"] == "inspector"


async def test_a_challenge_is_answered_when_no_findings_route_takes_it(
        make_apps: AppsFactory, aiohttp_server: Any) -> None:
    """Only a verdict the worker process makes is waited for: a small payload's is made on
    the spot, so a provider proving the endpoint gets its answer as without routes."""
    app = Upstream()
    server = await aiohttp_server(app.app())
    challenge = CHALLENGES["slack"]
    apps = await make_apps(secrets=(SecretSpec("slack", SECRET),),
                           routes=(RouteSpec("finding:tree_id", url(server)),))
    status, _, body = await send(apps, challenge)
    assert (status, body) == (200, b"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P")
    assert app.seen == []
    stored = await recorded(apps)
    assert stored["event"] == "url_verification" and stored["route"] is None


async def test_a_verdict_not_made_in_time_gets_504_and_is_still_made(
        make_apps: AppsFactory, aiohttp_server: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sender waits for the verdict a route's match reads no longer than for an app
    (`--forward-timeout`): then 504, the record says why, and the verdict, once made, is
    kept for the page as any other."""
    released = asyncio.Event()
    real = judged.in_process

    async def stalled(*args: Any) -> Any:
        await released.wait()  # a worker process busy with others' payloads
        return await real(*args)

    monkeypatch.setattr(judged, "in_process", stalled)
    app = Upstream()
    server = await aiohttp_server(app.app())
    apps = await make_apps(max_body=1024 * 1024, forward_timeout=0.3,
                           routes=(RouteSpec("finding:tree_id", url(server)),))
    answer = await asyncio.wait_for(apps.hooks.post("/gh", data=deviating_push(),
                                                    headers=GITHUB), 5)
    assert answer.status == 504
    assert "no route chosen" in (await answer.json())["error"] and app.seen == []
    record = apps.inspector.store.get(1)
    assert record is not None and not apps.inspector.judge.kept(record, detailed=True)
    released.set()  # the page's detail waits for the verdict too
    await eventually(lambda: apps.inspector.judge.kept(record, detailed=True))
    shown = await detail(apps, 1)
    assert shown["route"] is None and shown["conformance"]["status"] == "deviates"
    assert (shown["response"]["status"], shown["response"]["source"]) == (504, "error")
    assert app.seen == []  # made after the answer: the route is not chosen then
