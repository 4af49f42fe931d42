"""The inspector listener against other sites, rebinding pages, and exposure on a network."""

from __future__ import annotations

import json
from pathlib import Path

import aiohttp
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from inspector.config import Address, SecretSpec
from inspector.ui.auth import COOKIE

from .cli_process import run
from .conftest import Apps, AppsFactory

STATE_CHANGING = [("DELETE", "/api/requests"), ("DELETE", "/api/requests/1"),
                  ("POST", "/api/requests/1/replay"), ("PUT", "/api/response"),
                  ("POST", "/api/secrets"), ("DELETE", "/api/secrets/x"), ("POST", "/api/verify"),
                  ("POST", "/api/send")]


@pytest.mark.parametrize("host", ["evil.example", "evil.example:9001", "127.0.0.1.nip.io",
                                  "localhost.evil.example", "[::2]"])
async def test_foreign_host_is_refused(apps: Apps, host: str) -> None:
    for path in ("/", "/api/requests", "/healthz", "/ws"):
        response = await apps.ui.get(path, headers={"Host": host})
        assert response.status == 403, (host, path)


async def test_own_hosts_are_served(apps: Apps) -> None:
    port = apps.ui_server.port
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", "localhost"):
        assert (await apps.ui.get("/api/requests", headers={"Host": host})).status == 200


@pytest.mark.parametrize(("method", "path"), STATE_CHANGING)
async def test_cross_site_state_changes_are_refused(apps: Apps, method: str, path: str) -> None:
    await apps.hooks.post("/x", data=b"{}")
    for origin in ("https://evil.example", "null", "http://127.0.0.1:1"):
        response = await apps.ui.request(method, path, json={}, headers={"Origin": origin})
        assert response.status == 403, (method, path, origin)
    assert (await apps.ui.get("/api/requests/1")).status == 200


async def test_same_origin_state_changes_work(apps: Apps) -> None:
    await apps.hooks.post("/x", data=b"{}")
    own = f"http://127.0.0.1:{apps.ui_server.port}"
    response = await apps.ui.delete("/api/requests/1", headers={"Origin": own})
    assert response.status == 204


# Reads that another site's page could start: a search, an export, a body, the secrets' list.
READS = [("GET", "/api/requests?q=body:x"), ("HEAD", "/api/requests"), ("GET", "/api/requests/1"),
         ("GET", "/api/requests/1/raw"), ("GET", "/api/requests/1/curl"),
         ("GET", "/api/export.har?q=x"), ("GET", "/api/secrets"), ("GET", "/api/openapi.json")]
CROSS_SITE = [{"Origin": "https://evil.example"}, {"Origin": "null"},
              {"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"},
              {"Origin": "https://evil.example", "Sec-Fetch-Site": "same-origin"}]


@pytest.mark.parametrize(("method", "path"), READS)
async def test_cross_site_reads_of_the_api_are_refused(apps: Apps, method: str,
                                                       path: str) -> None:
    await apps.hooks.post("/x", data=b"{}")
    for headers in CROSS_SITE:
        response = await apps.ui.request(method, path, headers=headers)
        assert response.status == 403, (method, path, headers)
    own = f"http://127.0.0.1:{apps.ui_server.port}"
    for headers in ({}, {"Origin": own}, {"Sec-Fetch-Site": "same-origin"},
                    {"Sec-Fetch-Site": "none"}):  # curl and tail; the page; a typed URL
        response = await apps.ui.request(method, path, headers=headers)
        assert response.status == 200, (method, path, headers)


async def test_pages_still_open_from_a_link_elsewhere(apps: Apps) -> None:
    for path in ("/", "/requests/1", "/static/app.js"):
        response = await apps.ui.get(path, headers={"Sec-Fetch-Site": "cross-site"})
        assert response.status == 200, path


async def test_cross_site_websocket_by_fetch_metadata_is_refused(apps: Apps) -> None:
    with pytest.raises(InvalidStatus) as refused:
        async with connect(apps.ws_url(), additional_headers={"Sec-Fetch-Site": "cross-site"}):
            pass
    assert refused.value.response.status_code == 403
    async with connect(apps.ws_url(), additional_headers={"Sec-Fetch-Site": "same-origin"}) as ws:
        assert json.loads(await ws.recv())["type"] == "hello"


async def test_cross_site_websocket_is_refused(apps: Apps) -> None:
    with pytest.raises(InvalidStatus) as refused:
        async with connect(apps.ws_url(), origin="https://evil.example"):  # type: ignore[arg-type]
            pass
    assert refused.value.response.status_code == 403
    async with connect(apps.ws_url(), origin=f"http://127.0.0.1:{apps.ui_server.port}") as ws:  # type: ignore[arg-type]
        assert json.loads(await ws.recv())["type"] == "hello"


async def test_security_headers_everywhere(apps: Apps) -> None:
    for path in ("/", "/requests/1", "/api/requests", "/static/app.js", "/healthz",
                 "/api/nothing"):
        response = await apps.ui.get(path)
        headers = response.headers
        policy = headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy, path
        assert "unsafe-inline" not in policy and "http" not in policy
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"


def test_non_loopback_ui_needs_a_token(tmp_path: Path) -> None:
    result = run("--hook", "0", "--ui", "0.0.0.0:0", cwd=tmp_path)
    assert result.returncode == 2
    assert "--ui-token" in result.stderr and len(result.stderr.strip().splitlines()) == 1


async def test_token_gates_api_websocket_and_pages(make_apps: AppsFactory) -> None:
    apps = await make_apps(ui=Address("0.0.0.0", 0), ui_token="s3cret-token-0123456")
    host = {"Host": "192.168.1.20:9001"}  # any name works on a wildcard bind with a token
    assert (await apps.ui.get("/api/requests", headers=host)).status == 401
    bearer = {**host, "Authorization": "Bearer s3cret-token-0123456"}
    assert (await apps.ui.get("/api/requests", headers=bearer)).status == 200
    wrong = {**host, "Authorization": "Bearer nope"}
    assert (await apps.ui.get("/api/requests", headers=wrong)).status == 401
    page = await apps.ui.get("/requests/3", headers=host, allow_redirects=False)
    assert page.status == 303 and page.headers["Location"] == "/login?next=/requests/3"
    assert (await apps.ui.get("/healthz", headers=host)).status == 401
    assert (await apps.ui.get("/healthz", headers=bearer)).status == 200
    with pytest.raises(InvalidStatus):
        async with connect(apps.ws_url()):
            pass
    async with connect(apps.ws_url(),
                       additional_headers={"Authorization": "Bearer s3cret-token-0123456"}
                       ) as ws:
        assert json.loads(await ws.recv())["type"] == "hello"


async def test_login_sets_a_session_cookie_and_never_redirects_away(
        make_apps: AppsFactory) -> None:
    apps = await make_apps(ui_token="s3cret-token-0123456")
    login = await apps.ui.get("/login")
    assert login.status == 200 and "password" in await login.text()
    refused = await apps.ui.post("/login", data={"token": "wrong"}, allow_redirects=False)
    assert refused.status == 401
    accepted = await apps.ui.post("/login?next=//evil.example/x",
                                  data={"token": "s3cret-token-0123456"}, allow_redirects=False)
    assert accepted.status == 303 and accepted.headers["Location"] == "/"
    cookie = accepted.cookies[COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    assert "s3cret-token-0123456" not in cookie.value
    page = await apps.ui.get("/", allow_redirects=False)  # the client keeps the cookie
    assert page.status == 200


async def test_secrets_are_never_returned_or_exported(make_apps: AppsFactory) -> None:
    secret = "super-secret-value-123"
    apps = await make_apps(secrets=(SecretSpec("bondify", secret), SecretSpec("stripe", secret)))
    await apps.hooks.post("/b", data=b'{"event": "auth.confirmed", "session_token": "s"}',
                          headers={"X-Bondify-Signature": "0" * 64})
    await apps.hooks.post("/s", data=b'{"id": "evt"}', headers={"Stripe-Signature": "t=1,v1=00"})
    await apps.ui.post("/api/secrets", json={"provider": "github", "secret": secret})
    outputs = []
    for path in ("/api/requests", "/api/requests/1", "/api/requests/2", "/api/secrets",
                 "/api/providers", "/api/response", "/api/export.har", "/api/requests/1/curl",
                 "/api/openapi.json", "/"):
        response = await apps.ui.get(path)
        outputs.append(await response.text())
    verify = await apps.ui.post("/api/verify", json={"provider": "bondify", "secret": secret,
                                                     "body": "{}", "headers": {}})
    outputs.append(await verify.text())
    assert all(secret not in text for text in outputs)


async def test_replay_cannot_be_triggered_by_a_simple_cross_site_form(apps: Apps) -> None:
    await apps.hooks.post("/x", data=b"{}")
    form = aiohttp.FormData({"target": "http://127.0.0.1:1"})
    response = await apps.ui.post("/api/requests/1/replay", data=form,
                                  headers={"Origin": "https://evil.example"})
    assert response.status == 403


@pytest.mark.parametrize(("flags", "where"), [
    (["--ui-token", "short-token"], "--ui-token"),
    (["--config", "short.toml"], "short.toml:1"),
])
def test_a_short_ui_token_is_refused_at_start(tmp_path: Path, flags: list[str],
                                              where: str) -> None:
    (tmp_path / "short.toml").write_text('ui_token = "short-token"\n')
    result = run("--hook", "0", "--ui", "127.0.0.1:0", *flags, cwd=tmp_path)
    assert result.returncode == 2
    assert where in result.stderr and "at least 16 characters" in result.stderr
    assert "short-token" not in result.stderr


async def test_failed_logins_and_bearer_guesses_are_throttled(make_apps: AppsFactory) -> None:
    apps = await make_apps(ui_token="s3cret-token-0123456")
    for _ in range(5):
        refused = await apps.ui.post("/login", data={"token": "guess"}, allow_redirects=False)
        assert refused.status == 401
    locked = await apps.ui.post("/login", data={"token": "s3cret-token-0123456"},
                                allow_redirects=False)
    assert locked.status == 429 and int(locked.headers["Retry-After"]) > 0
    bearer = {"Authorization": "Bearer s3cret-token-0123456"}
    assert (await apps.ui.get("/api/requests", headers=bearer)).status == 429


async def test_bearer_guesses_alone_are_throttled(make_apps: AppsFactory) -> None:
    apps = await make_apps(ui_token="s3cret-token-0123456")
    wrong = {"Authorization": "Bearer guess"}
    statuses = [(await apps.ui.get("/api/requests", headers=wrong)).status for _ in range(6)]
    assert statuses == [401] * 5 + [429]


def test_a_lockout_ends_and_grows_with_each_one() -> None:
    from inspector.ui.auth import Throttle

    now = [1000.0]
    throttle = Throttle(clock=lambda: now[0])
    for _ in range(5):
        throttle.failed("1.2.3.4")
    assert throttle.wait_s("1.2.3.4") == Throttle.LOCKOUT_S and throttle.wait_s("5.6.7.8") == 0
    now[0] += Throttle.LOCKOUT_S
    assert throttle.wait_s("1.2.3.4") == 0
    for _ in range(5):
        throttle.failed("1.2.3.4")
    assert throttle.wait_s("1.2.3.4") == 2 * Throttle.LOCKOUT_S
