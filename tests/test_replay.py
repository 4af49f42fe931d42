"""Replay as captured, edited, and re-signed, into a real app that checks the signature."""

from __future__ import annotations

import asyncio
import base64
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from websockets.asyncio.client import connect

from inspector.config import SecretSpec

from .conftest import Apps, AppsFactory
from .upstream import APP_SECRET, Upstream, sign


async def setup(make_apps: AppsFactory, aiohttp_server: Any,
                **overrides: Any) -> tuple[Apps, Upstream, str]:
    upstream = Upstream()
    server = await aiohttp_server(upstream.app())
    base = f"http://127.0.0.1:{server.port}"
    apps = await make_apps(**overrides)
    return apps, upstream, base


async def replay(apps: Apps, request_id: int, **edits: Any) -> tuple[int, dict[str, Any]]:
    response = await apps.ui.post(f"/api/requests/{request_id}/replay", json=edits)
    return response.status, await response.json()


BODY = b'{"event": "auth.confirmed", "session_token": "s1"}'


async def test_replay_as_captured_then_edited_and_resigned(make_apps: AppsFactory,
                                                          aiohttp_server: Any) -> None:
    apps, upstream, base = await setup(make_apps, aiohttp_server,
                                       secrets=(SecretSpec("bondify", APP_SECRET),))
    await apps.hooks.post("/webhooks/bondify?x=1", data=BODY, headers=sign(BODY))
    status, answer = await replay(apps, 1, target=base)
    assert status == 200
    assert answer["replay"]["status"] == 200 and answer["replay"]["target"] == \
        f"{base}/webhooks/bondify?x=1"
    assert upstream.seen[-1].body == BODY

    edited = BODY.replace(b"s1", b"s2")
    status, answer = await replay(apps, 1, target=base, body=edited.decode())
    assert answer["replay"]["status"] == 401  # edited without re-signing: the app refuses
    status, answer = await replay(apps, 1, target=base, body=edited.decode(), resign=True,
                                  method="PUT", path="/other?y=2")
    assert answer["replay"]["status"] == 200, answer
    assert upstream.seen[-1].method == "PUT" and upstream.seen[-1].path_qs == "/other?y=2"
    assert upstream.seen[-1].body == edited
    history = (await (await apps.ui.get("/api/requests/1")).json())["replays"]
    assert [r["status"] for r in history] == [200, 401, 200]
    assert history[-1]["request"]["body_text"] == edited.decode()


async def test_the_history_says_which_replays_were_edited_or_resigned(
        make_apps: AppsFactory, aiohttp_server: Any, tmp_path: Path) -> None:
    """Issue 26.7: each replay says whether what was sent differs from the capture (the
    page's "Replay edited" sends every field: unchanged, it is not an edit) and whether it
    was signed again; kept by a durable store."""
    apps, _, base = await setup(make_apps, aiohttp_server, store=f"sqlite:{tmp_path / 'h.db'}",
                                secrets=(SecretSpec("bondify", APP_SECRET),))
    await apps.hooks.post("/webhooks/bondify?x=1", data=BODY, headers=sign(BODY))
    captured = await (await apps.ui.get("/api/requests/1")).json()
    as_page_sends = {"method": "POST", "path": "/webhooks/bondify?x=1", "body": BODY.decode(),
                     "headers": [pair for pair in captured["headers"]
                                 if pair[0].lower() not in ("host", "content-length")]}
    await replay(apps, 1, target=base)
    await replay(apps, 1, target=base, **as_page_sends)
    await replay(apps, 1, target=base, **{**as_page_sends, "body": '{"a": 1}'})
    await replay(apps, 1, target=base, resign=True)
    await replay(apps, 1, target=base, method="PUT", resign=True)
    history = (await (await apps.ui.get("/api/requests/1")).json())["replays"]
    assert [(r["edited"], r["resigned"]) for r in history] == [
        (False, False), (False, False), (True, False), (False, True), (True, True)]


async def test_resign_uses_a_fresh_timestamp(make_apps: AppsFactory, aiohttp_server: Any) -> None:
    import hashlib
    import hmac
    import time

    secret = "p" * 32
    apps, upstream, base = await setup(make_apps, aiohttp_server,
                                       secrets=(SecretSpec("primebot", secret),))
    signature = "sha256=" + hmac.new(secret.encode(), BODY, hashlib.sha256).hexdigest()
    await apps.hooks.post("/pb", data=BODY, headers={
        "X-PrimeBot-Signature": signature, "X-PrimeBot-Timestamp": "1000",
        "X-PrimeBot-Delivery": "d1", "X-PrimeBot-Event": "ping"})
    await replay(apps, 1, target=base, resign=True)
    sent = dict(upstream.seen[-1].headers)
    assert abs(int(sent["X-PrimeBot-Timestamp"]) - time.time()) < 5
    assert sent["X-PrimeBot-Delivery"] == "d1"


async def test_replay_binary_body_and_headers_edit(make_apps: AppsFactory,
                                                   aiohttp_server: Any) -> None:
    apps, upstream, base = await setup(make_apps, aiohttp_server)
    await apps.hooks.post("/b", data=b"x")
    payload = bytes(range(256))
    status, answer = await replay(apps, 1, target=base,
                                  body_base64=base64.b64encode(payload).decode(),
                                  headers=[["X-One", "1"], ["X-One", "2"]])
    assert status == 200 and answer["replay"]["status"] == 401  # reached the app, unsigned
    assert upstream.seen[-1].body == payload
    assert [v for k, v in upstream.seen[-1].headers if k == "X-One"] == ["1", "2"]


async def test_replay_errors(make_apps: AppsFactory, aiohttp_server: Any) -> None:
    apps, _, base = await setup(make_apps, aiohttp_server)
    await apps.hooks.post("/b", data=BODY)
    assert (await replay(apps, 1))[0] == 400  # no target and no --forward
    assert (await replay(apps, 99, target=base))[0] == 404
    status, answer = await replay(apps, 1, target=base, resign=True)
    assert status == 400 and "resign needs a configured secret" in answer["error"]
    assert (await replay(apps, 1, target="ftp://x"))[0] == 400
    assert (await replay(apps, 1, target=base, body_base64="%%"))[0] == 400
    status, answer = await replay(apps, 1, target="http://127.0.0.1:9")
    assert status == 200 and answer["replay"]["status"] is None
    assert "unreachable" in answer["replay"]["error"]


async def test_replay_defaults_to_forward_never_follows_redirects_and_announces(
        make_apps: AppsFactory, aiohttp_server: Any) -> None:
    upstream = Upstream()
    server = await aiohttp_server(upstream.app())
    apps = await make_apps(forward=f"http://127.0.0.1:{server.port}")
    await apps.hooks.post("/redirect", data=b"{}", allow_redirects=False)
    async with connect(apps.ws_url()) as ws:
        await ws.recv()
        _, answer = await replay(apps, 1)
        assert answer["replay"]["status"] == 302
        update = json.loads(await asyncio.wait_for(ws.recv(), 5))
        assert update["type"] == "update" and update["request"]["id"] == 1
    assert [seen.path_qs for seen in upstream.seen] == ["/redirect", "/redirect"]


async def test_cross_site_replay_is_refused(apps: Apps) -> None:
    await apps.hooks.post("/b", data=b"{}")
    response = await apps.ui.post("/api/requests/1/replay", json={"target": "http://x"},
                                  headers={"Origin": "https://evil.example"})
    assert response.status == 403


def test_replay_command(tmp_path: Path) -> None:
    from aiohttp import web

    from .cli_process import close, start

    async def ok(request: web.Request) -> web.Response:
        return web.json_response({"seen": (await request.read()).decode()})

    import threading

    loop = asyncio.new_event_loop()
    app = web.Application()
    app.router.add_route("*", "/{t:.*}", ok)
    runner = web.AppRunner(app)
    loop.run_until_complete(runner.setup())
    site = web.TCPSite(runner, "127.0.0.1", 0)
    loop.run_until_complete(site.start())
    port = runner.addresses[0][1]
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    server = start("--hook", "0", "--ui", "0", cwd=tmp_path)
    try:
        server.post("/hello", b"payload")
        result = subprocess.run([sys.executable, "-m", "inspector", "replay", "1", "--to",
                                 f"http://127.0.0.1:{port}", "--ui", server.ui_url],
                                capture_output=True, text=True, timeout=30)
        assert result.returncode == 0, result.stdout + result.stderr
        assert f"POST http://127.0.0.1:{port}/hello → 200" in result.stdout
        assert '"seen": "payload"' in result.stdout
        schemeless = subprocess.run([sys.executable, "-m", "inspector", "replay", "1", "--to",
                                     f"127.0.0.1:{port}", "--ui", server.ui_url],
                                    capture_output=True, text=True, timeout=30)
        assert schemeless.returncode == 0, schemeless.stdout + schemeless.stderr
        assert f"POST http://127.0.0.1:{port}/hello → 200" in schemeless.stdout  # as --ui is
        missing = subprocess.run([sys.executable, "-m", "inspector", "replay", "42", "--ui",
                                  server.ui_url], capture_output=True, text=True, timeout=30)
        assert missing.returncode == 2 and "not stored" in missing.stdout
    finally:
        close(server.process)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.run_until_complete(runner.cleanup())
        loop.close()


async def test_a_target_password_is_used_but_never_kept_nor_shown(
        make_apps: AppsFactory, aiohttp_server: Any) -> None:
    upstream = Upstream()
    server = await aiohttp_server(upstream.app())
    password = "pa55-w0rd-kept-out"
    forward = f"http://fwd:{password}@127.0.0.1:{server.port}"
    apps = await make_apps(forward=forward)
    await apps.hooks.post("/hook", data=BODY)
    async with connect(apps.ws_url()) as ws:
        await ws.recv()
        _, given = await replay(apps, 1, target=f"http://user:{password}@127.0.0.1:{server.port}")
        _, default = await replay(apps, 1)  # to --forward, with its credentials
        updates = [await asyncio.wait_for(ws.recv(), 5) for _ in range(2)]
    sent = [dict(seen.headers)["Authorization"] for seen in upstream.seen[-2:]]
    assert sent == ["Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
                    for user in ("user", "fwd")]  # the requests still carried it
    assert given["replay"]["target"] == f"http://user:***@127.0.0.1:{server.port}/hook"
    assert default["replay"]["target"] == f"http://fwd:***@127.0.0.1:{server.port}/hook"
    shown = [json.dumps(given), json.dumps(default), *updates]
    for path in ("/api/requests/1", "/api/export.har", "/api/requests/1/curl", "/"):
        shown.append(await (await apps.ui.get(path)).text())
    assert [text for text in shown if password in text] == []
    detail = await (await apps.ui.get("/api/requests/1")).json()
    assert [r["target"] for r in detail["replays"]] == [given["replay"]["target"],
                                                         default["replay"]["target"]]
