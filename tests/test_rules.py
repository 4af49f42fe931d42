"""The hooks listener's answers: default, ordered rules, `times`, faults, and run-time changes."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest

from inspector.config import ResponseSpec, Rule

from .conftest import Apps, AppsFactory
from .upstream import Upstream


def outage(times: int | None = 3, path: str = "/webhooks/*", method: str | None = "POST") -> Rule:
    answer = ResponseSpec(status=500, body="simulated outage", content_type="text/plain")
    return Rule(path=path, method=method, times=times, response=answer)


async def statuses(apps: Apps, path: str, count: int, method: str = "POST") -> list[int]:
    found = []
    for _ in range(count):
        found.append((await apps.hooks.request(method, path, data=b"{}")).status)
    return found


async def test_fail_three_times_then_succeed(make_apps: AppsFactory) -> None:
    apps = await make_apps(rules=(outage(),))
    assert await statuses(apps, "/webhooks/x", 5) == [500, 500, 500, 200, 200]
    assert await statuses(apps, "/other", 1) == [200]
    listed = (await (await apps.ui.get("/api/requests")).json())["requests"]
    assert [r["response_status"] for r in listed] == [500, 500, 500, 200, 200, 200]


async def test_method_and_glob_must_both_match(make_apps: AppsFactory) -> None:
    apps = await make_apps(rules=(outage(times=None),))
    assert await statuses(apps, "/webhooks/a/b", 1, "GET") == [200]
    assert await statuses(apps, "/webhooks/a/b", 1, "POST") == [500]
    assert await statuses(apps, "/nowebhooks/a", 1, "POST") == [200]


async def test_redirect_rule_with_headers_and_delay(make_apps: AppsFactory) -> None:
    rule = Rule(path="/click", response=ResponseSpec(
        status=302, headers=(("Location", "https://example.com/done"),), body="", delay_ms=100))
    apps = await make_apps(rules=(rule,))
    loop = asyncio.get_running_loop()
    started = loop.time()
    response = await apps.hooks.get("/click?command=run&sig=abc", allow_redirects=False)
    assert response.status == 302
    assert response.headers["Location"] == "https://example.com/done"
    assert loop.time() - started >= 0.1


async def test_close_drops_the_connection_and_is_recorded(make_apps: AppsFactory) -> None:
    apps = await make_apps(rules=(Rule(path="/drop", action="close"),))
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await apps.hooks.post("/drop", data=b"{}")
    assert await statuses(apps, "/fine", 1) == [200]
    first = await (await apps.ui.get("/api/requests/1")).json()
    assert first["error"] == "connection closed (rule: close)" and first["response"] is None


async def test_hang_never_answers_and_is_recorded(make_apps: AppsFactory) -> None:
    apps = await make_apps(rules=(Rule(path="/hang", action="hang"),))
    with pytest.raises(asyncio.TimeoutError):
        await apps.hooks.post("/hang", data=b"{}", timeout=aiohttp.ClientTimeout(total=0.5))
    assert await statuses(apps, "/fine", 1) == [200]
    first = await (await apps.ui.get("/api/requests/1")).json()
    assert first["error"] == "not answered (rule: hang)"


async def test_rules_apply_before_forwarding(make_apps: AppsFactory,
                                             aiohttp_server: Any) -> None:
    upstream = Upstream()
    server = await aiohttp_server(upstream.app())
    apps = await make_apps(forward=f"http://127.0.0.1:{server.port}", rules=(outage(times=2),))
    assert await statuses(apps, "/webhooks/x", 3) == [500, 500, 401]
    assert len(upstream.seen) == 1


async def test_response_changed_at_run_time(apps: Apps) -> None:
    current = await (await apps.ui.get("/api/response")).json()
    assert current["default"]["status"] == 200 and current["rules"] == []
    response = await apps.ui.put("/api/response", json={
        "default": {"status": 202, "body": "queued", "content_type": "text/plain"},
        "rules": [{"path": "/bad/*", "status": 503, "times": 1}]})
    assert response.status == 200
    assert (await response.json())["rules"][0]["remaining"] == 1
    answer = await apps.hooks.post("/ok", data=b"{}")
    assert answer.status == 202 and await answer.text() == "queued"
    assert await statuses(apps, "/bad/1", 2) == [503, 202]
    state = await (await apps.ui.get("/api/response")).json()
    assert state["rules"][0]["remaining"] == 0
    for bad in ({"default": {"status": 99}}, {"rules": [{"action": "explode"}]},
                {"rules": ["x"]}, {"rules": [{"nope": 1}]}):
        refused = await apps.ui.put("/api/response", json=bad)
        assert refused.status == 400, bad
        assert "error" in await refused.json()


async def test_put_replaces_the_default_whole(apps: Apps) -> None:
    await apps.ui.put("/api/response", json={"default": {"status": 202, "body": "queued",
                                                         "content_type": "text/plain"}})
    replaced = await apps.ui.put("/api/response", json={"default": {"status": 201}})
    default = (await replaced.json())["default"]
    assert (default["status"], default["body"], default["content_type"]) == (
        201, None, "application/json")
    answer = await apps.hooks.post("/x", data=b"{}")
    assert answer.status == 201 and (await answer.json())["ok"] is True


async def test_the_default_answer_says_when_forwarding_leaves_it_unused(
        make_apps: AppsFactory) -> None:
    plain = await make_apps()
    state = await (await plain.ui.get("/api/response")).json()
    assert state["default_used"] is True and state["note"] is None
    forwarding = await make_apps(forward="http://127.0.0.1:9/app")
    state = await (await forwarding.ui.get("/api/response")).json()
    assert state["default_used"] is False
    assert "http://127.0.0.1:9/app" in state["note"] and "not used" in state["note"]
