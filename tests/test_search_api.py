"""The search language everywhere, through the real apps on loopback: the list, delete,
HAR export, batch replay and the websocket's `q=` subscription, on every engine."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from websockets.asyncio.client import ClientConnection, connect

from inspector.config import SecretSpec

from .conftest import Apps, AppsFactory
from .upstream import APP_SECRET, Upstream


@pytest.fixture(params=["memory", "sqlite", "redis"])
async def engine_apps(request: Any, make_apps: AppsFactory, tmp_path: Path) -> Apps:
    if request.param == "redis":
        server = request.getfixturevalue("redis_server")
        return await make_apps(store=server.url)
    store = "memory" if request.param == "memory" else f"sqlite:{tmp_path / 'history.db'}"
    return await make_apps(store=store)


async def capture(apps: Apps) -> None:
    """1, 2: stripe events; 3: a GitHub push; 4: a plain form post."""
    for amount in (500, 2500):
        body = json.dumps({"type": "payment_intent.succeeded",
                           "data": {"object": {"amount": amount}}}).encode()
        assert (await apps.hooks.post("/webhooks/stripe", data=body, headers={
            "Content-Type": "application/json"})).status == 200
    assert (await apps.hooks.post("/webhooks/github?delivery=1", data=b'{"ref": "main"}',
                                  headers={"X-GitHub-Event": "push"})).status == 200
    assert (await apps.hooks.post("/form", data=b"name=Ada+Lovelace", headers={
        "Content-Type": "application/x-www-form-urlencoded"})).status == 200


async def ids(apps: Apps, query: str, extra: str = "") -> list[int]:
    response = await apps.ui.get(f"/api/requests?q={quote(query)}{extra}")
    assert response.status == 200, await response.text()
    return [summary["id"] for summary in (await response.json())["requests"]]


async def test_the_list_speaks_the_language(engine_apps: Apps) -> None:
    apps = engine_apps
    await capture(apps)
    assert await ids(apps, "path:/webhooks/*") == [1, 2, 3]
    assert await ids(apps, "json.data.object.amount:>1000") == [2]
    assert await ids(apps, "header.x-github-event:push OR form.name:ada") == [3, 4]
    assert await ids(apps, "-ct:json method:post") == [3, 4]
    assert await ids(apps, "status:2xx time:>now-5m size:<1kb") == [1, 2, 3, 4]
    assert await ids(apps, '"Ada Lovelace"') == []  # the body holds "Ada+Lovelace"
    assert await ids(apps, "lovelace") == [4]
    assert await ids(apps, "path:webhooks", "&limit=2") == [2, 3]
    assert await ids(apps, "path:webhooks", "&after=1&limit=1") == [2]
    assert await ids(apps, "path:webhooks", "&before=3") == [1, 2]
    page = await (await apps.ui.get("/api/requests?q=path:webhooks&limit=1&matches=true")).json()
    assert page["matches"] == 3 and page["count"] == 4
    page = await (await apps.ui.get("/api/requests?q=path:webhooks&matches=true")).json()
    assert page["matches"] == 3 and len(page["requests"]) == 3  # a short page is every match
    page = await (await apps.ui.get("/api/requests?matches=true")).json()
    assert page["matches"] == 4


@pytest.mark.parametrize(("query", "position", "expected"), [
    ("path:/a( OR", 9, "a term"), ("status:abc", 7, "a status"),
    ("body:/[/", 6, "a valid regular expression"), ("nofield:x", 0, "a field name"),
])
async def test_a_query_that_does_not_parse_is_400_naming_where_and_what(
        apps: Apps, query: str, position: int, expected: str) -> None:
    for method, path in (("GET", "/api/requests"), ("DELETE", "/api/requests"),
                         ("GET", "/api/export.har"), ("GET", "/ws")):
        response = await apps.ui.request(method, f"{path}?q={quote(query)}")
        assert response.status == 400, (method, path)
        answer = await response.json()
        assert answer["position"] == position and expected in answer["expected"]
        assert f"character {position + 1}" in answer["error"]


async def test_delete_and_export_act_on_the_matches(engine_apps: Apps) -> None:
    apps = engine_apps
    await capture(apps)
    har = await (await apps.ui.get("/api/export.har?q=provider:github OR form.name:ada")).json()
    assert [entry["request"]["url"].rsplit("/", 1)[1] for entry in har["log"]["entries"]] \
        == ["github?delivery=1", "form"]
    har = await (await apps.ui.get("/api/export.har?q=path:stripe&ids=2,3")).json()
    assert len(har["log"]["entries"]) == 1
    assert (await apps.ui.delete("/api/requests?q=path:stripe")).status == 204
    assert await ids(apps, "") == [3, 4]


async def test_batch_replay_sends_every_match_in_id_order_and_keeps_each(
        engine_apps: Apps, aiohttp_server: Any) -> None:
    apps = engine_apps
    upstream = Upstream()
    server = await aiohttp_server(upstream.app())
    await capture(apps)
    answer = await apps.ui.post("/api/requests/replay", json={
        "q": "path:/webhooks/*", "target": f"http://127.0.0.1:{server.port}"})
    assert answer.status == 200
    results = (await answer.json())["replays"]
    assert [r["id"] for r in results] == [1, 2, 3]
    assert [r["replay"]["status"] for r in results] == [401, 401, 401]  # the app's answer
    assert [seen.path_qs for seen in upstream.seen] == [
        "/webhooks/stripe", "/webhooks/stripe", "/webhooks/github?delivery=1"]
    assert await ids(apps, "replayed:true") == [1, 2, 3]
    detail = await (await apps.ui.get("/api/requests/2")).json()
    assert len(detail["replays"]) == 1


async def test_batch_replay_resigns_each_match_and_says_which_it_could_not(
        make_apps: AppsFactory, aiohttp_server: Any) -> None:
    upstream = Upstream()
    server = await aiohttp_server(upstream.app())
    apps = await make_apps(secrets=(SecretSpec("bondify", APP_SECRET),))
    for token in ("s1", "s2"):
        await apps.hooks.post("/webhooks/bondify", headers={"X-Bondify-Signature": "bad"},
                              data=b'{"event": "auth.confirmed", "session_token": "%s"}'
                              % token.encode())
    await apps.hooks.post("/other", data=b"{}")
    assert await ids(apps, "sig:invalid") == [1, 2]
    answer = await apps.ui.post("/api/requests/replay", json={
        "q": "sig:invalid OR path:/other", "resign": True,
        "target": f"http://127.0.0.1:{server.port}"})
    results = (await answer.json())["replays"]
    assert [(r["id"], r.get("replay", {}).get("status")) for r in results] == [
        (1, 200), (2, 200), (3, None)]
    assert "resign needs a configured secret" in results[2]["error"]
    assert len(upstream.seen) == 2


@pytest.mark.parametrize(("payload", "expected"), [
    ({}, "non-empty query"), ({"q": "  "}, "non-empty query"), ({"q": "("}, "a term"),
    ({"q": "x"}, "no target"), ({"q": "x", "target": "ftp://x"}, "http(s) URL"),
])
async def test_batch_replay_refuses_before_sending_anything(apps: Apps, payload: dict[str, Any],
                                                            expected: str) -> None:
    await capture(apps)
    answer = await apps.ui.post("/api/requests/replay", json=payload)
    assert answer.status == 400 and expected in (await answer.json())["error"]
    assert await ids(apps, "replayed:true") == []


async def receive(ws: ClientConnection) -> dict[str, Any]:
    return json.loads(await asyncio.wait_for(ws.recv(), 5))


async def test_a_websocket_subscribed_with_q_receives_only_the_matches(
        engine_apps: Apps) -> None:
    apps = engine_apps
    await capture(apps)
    async with connect(apps.ws_url("?after=0&q=" + quote("path:stripe OR replayed:true"))) as ws:
        assert (await receive(ws))["type"] == "hello"
        assert [(await receive(ws))["request"]["id"] for _ in range(2)] == [1, 2]  # backlog
        await apps.hooks.post("/other", data=b"{}")
        await apps.hooks.post("/webhooks/stripe", data=b"{}")
        live = await receive(ws)
        assert (live["type"], live["request"]["id"]) == ("request", 6)  # 5 is not sent
        record = apps.inspector.store.get(5)
        assert record is not None
        apps.inspector.update(record._replace(path="/renamed"))  # still no match: nothing
        first = apps.inspector.store.get(1)
        assert first is not None
        apps.inspector.update(first._replace(path="/moved"))  # no longer a match
        assert await receive(ws) == {"type": "delete", "ids": [1]}
        apps.inspector.delete([3, 2])  # 3 was never sent
        assert await receive(ws) == {"type": "delete", "ids": [2]}
        apps.inspector.clear()
        assert await receive(ws) == {"type": "clear"}
