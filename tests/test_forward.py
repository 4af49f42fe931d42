"""Tunnel mode: requests go on to a real app unchanged; its answer comes back and is recorded."""

from __future__ import annotations

import json
import socket
from typing import Any

from aiohttp.test_utils import TestServer

from .conftest import Apps, AppsFactory, eventually
from .upstream import Upstream, sign


async def start_upstream(aiohttp_server: Any) -> tuple[Upstream, TestServer]:
    upstream = Upstream()
    server = await aiohttp_server(upstream.app())
    return upstream, server


async def detail(apps: Apps, request_id: int) -> dict[str, Any]:
    return await (await apps.ui.get(f"/api/requests/{request_id}")).json()


async def test_forward_exact_bytes_and_the_apps_answer(make_apps: AppsFactory,
                                                       aiohttp_server: Any) -> None:
    upstream, server = await start_upstream(aiohttp_server)
    apps = await make_apps(forward=f"http://127.0.0.1:{server.port}/prefix")
    body = b'{"event":  "auth.confirmed",\n "emoji": "\xe2\x9c\x93"}'
    headers = {**sign(body), "X-Dup": "1", "Connection": "keep-alive"}
    response = await apps.hooks.post("/webhooks/bondify?a=1&a=2", data=body,
                                     headers=[*headers.items(), ("X-Dup", "2")])
    assert response.status == 200
    assert (await response.json())["verified"] is True
    assert response.headers["X-App"] == "yes"
    (seen,) = upstream.seen
    assert seen.method == "POST" and seen.path_qs == "/prefix/webhooks/bondify?a=1&a=2"
    assert seen.body == body
    assert [v for k, v in seen.headers if k == "X-Dup"] == ["1", "2"]
    assert ("Host", f"127.0.0.1:{server.port}") in seen.headers
    stored = await detail(apps, 1)
    assert stored["response"]["source"] == "forward"
    assert stored["response"]["status"] == 200 and stored["response"]["duration_ms"] > 0
    assert json.loads(stored["response"]["body_text"])["verified"] is True


async def test_a_changed_byte_fails_the_apps_check(make_apps: AppsFactory,
                                                  aiohttp_server: Any) -> None:
    _, server = await start_upstream(aiohttp_server)
    apps = await make_apps(forward=f"http://127.0.0.1:{server.port}")
    body = b'{"event": "auth.confirmed"}'
    response = await apps.hooks.post("/x", data=body + b" ", headers=sign(body))
    assert response.status == 401
    assert (await detail(apps, 1))["response"]["status"] == 401


async def test_compressed_answers_pass_through_unchanged(make_apps: AppsFactory,
                                                         aiohttp_server: Any) -> None:
    _, server = await start_upstream(aiohttp_server)
    apps = await make_apps(forward=f"http://127.0.0.1:{server.port}")
    response = await apps.hooks.get("/gzip", auto_decompress=False)
    import gzip

    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(await response.read()) == b"zipped"


async def test_redirects_are_passed_back_not_followed(make_apps: AppsFactory,
                                                      aiohttp_server: Any) -> None:
    upstream, server = await start_upstream(aiohttp_server)
    apps = await make_apps(forward=f"http://127.0.0.1:{server.port}")
    response = await apps.hooks.post("/redirect", data=b"{}", allow_redirects=False)
    assert response.status == 302 and response.headers["Location"] == "/elsewhere"
    assert len(upstream.seen) == 1


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_app_down_is_502_naming_the_upstream(make_apps: AppsFactory) -> None:
    port = closed_port()
    apps = await make_apps(forward=f"http://127.0.0.1:{port}")
    response = await apps.hooks.post("/x", data=b"{}")
    assert response.status == 502
    assert f"127.0.0.1:{port}" in (await response.json())["error"]
    stored = await detail(apps, 1)
    assert stored["response"]["status"] == 502 and stored["response"]["source"] == "error"
    assert stored["response_status"] == 502


async def test_slow_app_is_504_after_the_timeout(make_apps: AppsFactory,
                                                 aiohttp_server: Any) -> None:
    _, server = await start_upstream(aiohttp_server)
    apps = await make_apps(forward=f"http://127.0.0.1:{server.port}", forward_timeout=0.3)
    response = await apps.hooks.post("/slow", data=b"{}")
    assert response.status == 504
    assert "did not answer within 0.3 s" in (await response.json())["error"]
    assert (await detail(apps, 1))["response"]["status"] == 504


async def test_request_is_listed_before_the_app_answers(make_apps: AppsFactory,
                                                        aiohttp_server: Any) -> None:
    import asyncio

    _, server = await start_upstream(aiohttp_server)
    apps = await make_apps(forward=f"http://127.0.0.1:{server.port}")
    pending = asyncio.create_task(apps.hooks.post("/slow", data=b"{}"))

    async def listed_unanswered() -> bool:
        listed = await (await apps.ui.get("/api/requests")).json()
        return [(r["path"], r["response_status"]) for r in listed["requests"]] == [
            ("/slow", None)]

    await eventually(listed_unanswered)
    response = await pending
    assert response.status == 401  # the app checked a signature that was never there
    assert (await detail(apps, 1))["response_status"] == 401


async def test_a_test_event_from_the_ui_goes_through_the_hooks_listener(
        make_apps: AppsFactory, aiohttp_server: Any) -> None:
    from inspector.config import SecretSpec

    upstream, server = await start_upstream(aiohttp_server)
    apps = await make_apps(forward=f"http://127.0.0.1:{server.port}",
                           secrets=(SecretSpec("bondify", "the-bondify-secret"),))
    sent = await apps.ui.post("/api/send", json={"provider": "bondify"})
    assert sent.status == 200
    (row,) = (await (await apps.ui.get("/api/requests")).json())["requests"]
    assert (row["provider"], row["signature"]) == ("bondify", "valid")
    assert row["path"] == "/webhooks/bondify" and row["response_status"] == 401  # the app's word
    assert [seen.path_qs for seen in upstream.seen] == ["/webhooks/bondify"]
    assert (await detail(apps, row["id"]))["response"]["source"] == "forward"
