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
from websockets.exceptions import InvalidStatus

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


# ---- hostile queries: a 400 with the place, never a 500 (SPEC 12's limits) ----

HOSTILE = {
    "not-x1000": ("NOT " * 1000 + "a", 256, "at most 64 levels"),  # RecursionError before
    "dash-x3000": ("-" * 3000, 64, "at most 64 levels"),
    "300-deep-or": ("(a OR " * 300 + "b" + ")" * 300, 384, "at most 64 levels"),
    "over-4KiB": ("a" * 4097, 4096, "at most 4096 bytes"),
    "size-400-digits": ("size:" + "9" * 400, 5, "small enough to represent"),  # OverflowError
    "ago-400-digits": ("time:>now-" + "9" * 400 + "d", 6, "small enough to represent"),
    "nul": ("body:ab\x00cd", 7, "a NUL"),  # "unterminated string" from SQLite's FTS
    "backreference": ("body:/(a)\\1/", 9, "without backreferences"),
    "lookahead": ("body:/(?=x)a/", 6, "without lookahead or lookbehind"),
}


@pytest.mark.parametrize(("query", "position", "expected"), HOSTILE.values(), ids=HOSTILE)
async def test_a_hostile_query_is_400_with_the_place_on_every_call(
        engine_apps: Apps, query: str, position: int, expected: str) -> None:
    apps = engine_apps
    await capture(apps)
    calls = [("GET", "/api/requests"), ("DELETE", "/api/requests"),
             ("GET", "/api/export.har")]
    for method, path in calls:
        response = await apps.ui.request(method, f"{path}?q={quote(query)}")
        assert response.status == 400, (method, path, await response.text())
        answer = await response.json()
        assert answer["position"] == position and expected in answer["expected"]
    replay = await apps.ui.post("/api/requests/replay", json={"q": query})
    assert replay.status == 400 and (await replay.json())["position"] == position
    with pytest.raises(InvalidStatus) as refused:  # an HTTP answer, not a failed upgrade
        async with connect(apps.ws_url("?q=" + quote(query))):
            pass
    assert refused.value.response.status_code == 400
    assert await ids(apps, "") == [1, 2, 3, 4]  # nothing deleted


async def test_a_lone_surrogate_in_the_replay_json_is_400(apps: Apps) -> None:
    await capture(apps)
    answer = await apps.ui.post("/api/requests/replay", data=b'{"q": "path:a\\ud800"}',
                                headers={"Content-Type": "application/json"})
    assert answer.status == 400  # UnicodeEncodeError, 500, before
    assert "lone surrogate" in (await answer.json())["expected"]


@pytest.mark.parametrize("params", ["after=9223372036854775808", "before=18446744073709551616",
                                    "after=1" + "0" * 30 + "&q=a"])
async def test_ids_past_what_the_store_holds_are_400(engine_apps: Apps, params: str) -> None:
    response = await engine_apps.ui.get(f"/api/requests?{params}")
    assert response.status == 400 and "2^63" in (await response.json())["error"]
    response = await engine_apps.ui.get(f"/ws?{params}")
    assert response.status == 400


@pytest.mark.parametrize("blank", ["", "%20%20", "%09", "+"])
async def test_delete_with_a_blank_q_is_400_and_deletes_nothing(engine_apps: Apps,
                                                               blank: str) -> None:
    apps = engine_apps
    await capture(apps)
    response = await apps.ui.delete(f"/api/requests?q={blank}")
    assert response.status == 400 and "blank" in (await response.json())["error"]
    assert await ids(apps, "") == [1, 2, 3, 4]
    assert (await apps.ui.delete("/api/requests")).status == 204  # no q: everything
    assert await ids(apps, "") == []


LONG = {  # "Expression tree is too large" on SQLite before
    "1000-words": ("ook " * 1000, [1, 2, 3]),
    "300-or": (" OR ".join(["zq"] * 299 + ["lovelace"]), [4]),
    "60-deep-or": ("(zq OR " * 60 + "lovelace" + ")" * 60, [4]),
    "291-or-facets": (" OR ".join(["method:put"] * 290 + ["method:post"]), [1, 2, 3, 4]),
    "340-not-facets": ("-method:put " * 340, [1, 2, 3, 4]),
    "300-mixed": ("-ct:xml " * 200 + "status:2xx " * 100 + "ada", [4]),
}


@pytest.mark.parametrize(("query", "expected"), LONG.values(), ids=LONG)
async def test_a_long_query_within_the_limits_works_on_every_engine(
        engine_apps: Apps, query: str, expected: list[int]) -> None:
    assert len(query.encode()) <= 4096
    await capture(engine_apps)
    assert await ids(engine_apps, query) == expected
    page = await (await engine_apps.ui.get(f"/api/requests?q={quote(query)}&limit=1"
                                           "&matches=true")).json()
    assert page["matches"] == len(expected)
