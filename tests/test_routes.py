"""Routes (SPEC 14): each request reaches the app its route names and no other, mirrors get
the same bytes, a drop route forwards nothing; `route:` finds them on every engine."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from inspector.config import RouteSpec

from .cli_process import run
from .conftest import Apps, AppsFactory, eventually
from .test_forward import closed_port
from .upstream import Upstream


async def three_apps(aiohttp_server: Any) -> list[tuple[Upstream, TestServer]]:
    apps = []
    for _ in range(3):
        upstream = Upstream()
        apps.append((upstream, await aiohttp_server(upstream.app())))
    return apps


def url(server: TestServer, path: str = "") -> str:
    return f"http://127.0.0.1:{server.port}{path}"


async def detail(apps: Apps, request_id: int) -> dict[str, Any]:
    return await (await apps.ui.get(f"/api/requests/{request_id}")).json()


async def found(apps: Apps, query: str) -> list[int]:
    answer = await apps.ui.get("/api/requests", params={"q": query})
    assert answer.status == 200, await answer.text()
    return sorted(item["id"] for item in (await answer.json())["requests"])


def routes(pay: str, bot: str, mirror: str) -> tuple[RouteSpec, ...]:
    return (RouteSpec("path:/pay/*", pay),
            RouteSpec("header.x-kind:bot", bot, also=(mirror,)),
            RouteSpec("path:/drop/*", "drop"))


@pytest.mark.parametrize("engine", ["memory", "sqlite", "redis"])
async def test_each_request_reaches_its_routes_app_and_no_other(
        make_apps: AppsFactory, aiohttp_server: Any, tmp_path: Path, engine: str,
        request: pytest.FixtureRequest) -> None:
    (pay, pay_server), (bot, bot_server), (copy, copy_server) = await three_apps(aiohttp_server)
    store = {"memory": "memory", "sqlite": f"sqlite:{tmp_path / 'routes.db'}"}.get(engine) \
        or request.getfixturevalue("redis_server").url
    apps = await make_apps(store=store, routes=routes(
        url(pay_server, "/in"), url(bot_server), url(copy_server, "/copy")))
    paid = await apps.hooks.post("/pay/1?x=1", data=b'{"amount": 5}',
                                 headers={"Connection": "keep-alive, X-Secret-Hop",
                                          "X-Secret-Hop": "dropped"})
    assert paid.status == 401  # the app's own answer (its signature check fails)
    body = b'{"text":  "/start"}'
    botted = await apps.hooks.post("/telegram", data=body, headers={"X-Kind": "bot"})
    assert botted.status == 401 and botted.headers["X-App"] == "yes"
    dropped = await apps.hooks.post("/drop/me", data=b"{}")
    other = await apps.hooks.post("/elsewhere", data=b"{}")
    assert await dropped.json() == {"ok": True, "id": 3}
    assert await other.json() == {"ok": True, "id": 4}

    assert [seen.path_qs for seen in pay.seen] == ["/in/pay/1?x=1"]
    assert not any(name.lower() == "x-secret-hop" for name, _ in pay.seen[0].headers)
    assert [(seen.path_qs, seen.body) for seen in bot.seen] == [("/telegram", body)]
    await eventually(lambda: _true(len(copy.seen) == 1))
    assert (copy.seen[0].path_qs, copy.seen[0].body) == ("/copy/telegram", body)

    shown = [(await detail(apps, n))["route"] for n in (1, 2, 3, 4)]
    assert shown == [{"index": 0, "to": url(pay_server, "/in")},
                     {"index": 1, "to": url(bot_server)}, {"index": 2, "to": "drop"}, None]
    second = await detail(apps, 2)
    assert second["response"]["source"] == "forward"
    await eventually(lambda: _has_mirror(apps, 2))
    (mirrored,) = (await detail(apps, 2))["mirrored"]
    assert mirrored["status"] == 401 and mirrored["target"] == url(copy_server, "/copy/telegram")

    assert await found(apps, "route:none") == [4]
    assert await found(apps, "route:=drop") == [3]
    assert await found(apps, f"route:{bot_server.port}") == [2]
    assert await found(apps, "has:route") == [1, 2, 3]
    assert await found(apps, "-route:none method:POST") == [1, 2, 3]


async def _true(value: bool) -> bool:
    return value


async def _has_mirror(apps: Apps, request_id: int) -> bool:
    return bool((await detail(apps, request_id))["mirrored"])


async def test_forward_is_the_catch_all_after_the_routes(make_apps: AppsFactory,
                                                        aiohttp_server: Any) -> None:
    (first, first_server), (rest, rest_server), _ = await three_apps(aiohttp_server)
    apps = await make_apps(routes=(RouteSpec("path:/a", url(first_server)),),
                           forward=url(rest_server))
    await apps.hooks.post("/a", data=b"{}")
    await apps.hooks.post("/b", data=b"{}")
    assert [seen.path_qs for seen in first.seen] == ["/a"]
    assert [seen.path_qs for seen in rest.seen] == ["/b"]
    assert (await detail(apps, 2))["route"] == {"index": 1, "to": url(rest_server)}
    listed = await (await apps.ui.get("/api/routes")).json()
    assert [(r["index"], r["match"], r["to"]) for r in listed["routes"]] == [
        (0, "path:/a", url(first_server)), (1, "", url(rest_server))]


async def test_a_routes_app_down_is_a_502_naming_it_and_mirrors_never_answer(
        make_apps: AppsFactory, aiohttp_server: Any) -> None:
    (_, mirror_server), _, _ = await three_apps(aiohttp_server)
    down = f"http://127.0.0.1:{closed_port()}"
    apps = await make_apps(routes=(RouteSpec("", down, also=(url(mirror_server),)),))
    answer = await apps.hooks.post("/x", data=b"{}")
    assert answer.status == 502
    assert down.split("//")[1] in (await answer.json())["error"]
    assert (await detail(apps, 1))["response"]["source"] == "error"


async def test_rules_come_before_routes(make_apps: AppsFactory, aiohttp_server: Any) -> None:
    from inspector.config import ResponseSpec, Rule

    (app, server), _, _ = await three_apps(aiohttp_server)
    apps = await make_apps(routes=(RouteSpec("", url(server)),),
                           rules=(Rule(path="/ruled", response=ResponseSpec(status=418)),))
    assert (await apps.hooks.post("/ruled", data=b"{}")).status == 418
    assert not app.seen
    assert (await detail(apps, 1))["route"] is None


async def test_a_route_password_is_hidden(make_apps: AppsFactory, aiohttp_server: Any) -> None:
    (_, server), _, _ = await three_apps(aiohttp_server)
    apps = await make_apps(routes=(RouteSpec("", f"http://user:hunter22@127.0.0.1:{server.port}"),))
    await apps.hooks.post("/x", data=b"{}")
    listed = await (await apps.ui.get("/api/routes")).text()
    shown = json.dumps(await detail(apps, 1))
    assert "hunter22" not in listed and "hunter22" not in shown


def test_an_invalid_match_is_one_line_naming_the_route(tmp_path: Path) -> None:
    flagged = run("--hook", "0", "--ui", "0", "--route", "path:/a => http://127.0.0.1:1",
                  "--route", "status:>abc => drop", cwd=tmp_path)
    assert flagged.returncode == 2
    (line,) = flagged.stderr.splitlines()
    assert "--route 'status:>abc => drop' (route #1)" in line and "invalid match" in line
    config = tmp_path / "inspector.toml"
    config.write_text('[[routes]]\nto = "drop"\n\n[[routes]]\nmatch = "(path:/a"\n'
                      'to = "http://127.0.0.1:1"\n')
    filed = run("--hook", "0", "--ui", "0", cwd=tmp_path)
    assert filed.returncode == 2
    (line,) = filed.stderr.splitlines()
    assert f"{config}:5: route #1: invalid match" in line


def test_a_route_flag_without_an_arrow_or_a_url(tmp_path: Path) -> None:
    for value in ("path:/a http://x", "path:/a => ftp://x"):
        result = run("--hook", "0", "--ui", "0", "--route", value, cwd=tmp_path)
        assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
        assert "--route" in result.stderr


def test_tail_names_the_route() -> None:
    from inspector.commands.tail_lines import format_line

    summary = {"id": 7, "received_at": "2026-12-06T10:00:00.000Z", "method": "POST",
               "path": "/pay", "query": "", "body_size": 2, "response_status": 200,
               "route": {"index": 1, "to": "http://127.0.0.1:3000"}, "held": None}
    assert "route #1 http://127.0.0.1:3000" in format_line(summary)
    assert "route #1 http://127.0.0.1:3000 (waiting)" in format_line({**summary, "held": "waiting"})
    assert "route" not in format_line({**summary, "route": None})


@pytest.mark.parametrize(("table", "expected"), [
    ('match = "path:/a"\n', "inspector.toml:2: route #0 has no `to`"),
    ('to = "drop"\nhold = true\n', "inspector.toml:3: route #0 drops its requests"),
    ('to = "ftp://x"\n', "inspector.toml:2: bad URL"),
    ('to = "drop"\nsend = 1\n', "inspector.toml:3: unknown key 'send' in [[routes]] #0"),
    ('to = "drop"\nalso = "http://x"\n', "inspector.toml:3: expected list"),
])
def test_a_bad_route_table_is_one_line_naming_its_line(tmp_path: Path, table: str,
                                                      expected: str) -> None:
    (tmp_path / "inspector.toml").write_text("[[routes]]\n" + table)
    result = run("--hook", "0", "--ui", "0", cwd=tmp_path)
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert expected in line


async def test_slow_mirrors_are_bounded_and_never_hold_the_answer(
        make_apps: AppsFactory, aiohttp_server: Any) -> None:
    (app, app_server), (slow, slow_server), _ = await three_apps(aiohttp_server)
    apps = await make_apps(routes=(RouteSpec("", url(app_server, "/fast"),
                                             also=(url(slow_server),)),))
    receiver = apps.hooks.server.hooks._receiver  # type: ignore[attr-defined]
    receiver.mirror_limit = 2
    started = time.monotonic()
    for _ in range(3):  # the mirror gets /slow, which it answers after 2 s; the app /fast/slow
        answer = await apps.hooks.post("/slow", data=b"{}")
        assert answer.status == 401 and answer.headers["X-App"] == "yes"  # the app's answer
    assert time.monotonic() - started < 1.5 and len(app.seen) == 3
    (skipped,) = (await detail(apps, 3))["mirrored"]
    assert skipped["error"] == "not sent: 2 copies to mirrors were still in flight"
    await eventually(lambda: _true(len(slow.seen) == 2), timeout=10)
    await eventually(lambda: _has_mirror(apps, 1), timeout=10)
