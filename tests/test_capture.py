"""Exact capture through the real hooks listener, read back through the real API."""

from __future__ import annotations

import asyncio
import base64
import os

import pytest

from .conftest import Apps


async def raw_http(apps: Apps, data: bytes) -> bytes:
    """Send bytes exactly as given (clients normalise URLs) and read the whole answer."""
    reader, writer = await asyncio.open_connection(apps.hooks.host, apps.hooks.port)
    writer.write(data)
    await writer.drain()
    answer = await reader.read()
    writer.close()
    return answer


async def detail(apps: Apps, request_id: int) -> dict:
    response = await apps.ui.get(f"/api/requests/{request_id}")
    assert response.status == 200
    return await response.json()


@pytest.mark.parametrize("method", ["POST", "GET", "PUT", "PATCH", "DELETE", "PROPFIND", "PURGE"])
async def test_any_method_on_any_path_is_captured(apps: Apps, method: str) -> None:
    response = await apps.hooks.request(method, "/deep/path/x.json")
    assert response.status == 200
    answer = await response.json()
    stored = await detail(apps, answer["id"])
    assert stored["method"] == method
    assert stored["path"] == "/deep/path/x.json"
    assert answer == {"ok": True, "id": stored["id"]}


async def test_raw_path_query_and_headers_in_order_with_duplicates_and_case(apps: Apps) -> None:
    headers = [("X-Custom", "one"), ("x-custom", "two"), ("X-Forwarded-For", "203.0.113.7"),
               ("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "abc.ngrok.app")]
    head = "".join(f"{name}: {value}\r\n" for name, value in headers)
    answer = await raw_http(
        apps, "POST /a%2Fb/%7Ec?x=1&x=2&empty=&sp=a%20b HTTP/1.1\r\nHost: h\r\n"
        f"{head}Content-Length: 2\r\nConnection: close\r\n\r\n{{}}".encode())
    assert answer.startswith(b"HTTP/1.1 200")
    stored = await detail(apps, 1)
    assert stored["path"] == "/a%2Fb/%7Ec"
    assert stored["query"] == "x=1&x=2&empty=&sp=a%20b"
    assert stored["query_params"] == [["x", "1"], ["x", "2"], ["empty", ""], ["sp", "a b"]]
    sent = [pair for pair in stored["headers"] if pair[0].lower().startswith("x-")]
    assert sent == [list(pair) for pair in headers]
    assert stored["remote"] == "127.0.0.1"
    assert stored["http_version"] == "HTTP/1.1"
    assert stored["url"] == "https://abc.ngrok.app/a%2Fb/%7Ec?x=1&x=2&empty=&sp=a%20b"


@pytest.mark.parametrize(("headers", "url"), [
    ({}, "http://h/p?a=1"),
    ({"X-Forwarded-Host": "abc.ngrok.app"}, "http://abc.ngrok.app/p?a=1"),
    ({"X-Forwarded-Proto": "https"}, "https://h/p?a=1"),
], ids=["own-host", "forwarded-host-only", "forwarded-proto-only"])
async def test_detail_names_the_one_public_url_that_search_and_export_use(
        apps: Apps, headers: dict[str, str], url: str) -> None:
    await apps.hooks.post("/p?a=1", data=b"{}", headers={"Host": "h", **headers})
    stored = await detail(apps, 1)
    found = await (await apps.ui.get("/api/requests", params={"q": f"url:={url}"})).json()
    har = await (await apps.ui.get("/api/export.har")).json()
    assert stored["url"] == url
    assert [r["id"] for r in found["requests"]] == [1]
    assert har["log"]["entries"][0]["request"]["url"] == url


@pytest.mark.parametrize(
    "body",
    [b"", b'{"event": "auth.confirmed"}', "héllo ✓".encode(), b"\xff\xfe\x00invalid utf8\x80",
     os.urandom(4096), os.urandom(200 * 1024)],
    ids=["empty", "json", "utf8", "invalid-utf8", "binary", "large"],
)
async def test_body_bytes_are_kept_untouched(apps: Apps, body: bytes) -> None:
    response = await apps.hooks.post("/b", data=body,
                                     headers={"Content-Type": "application/octet-stream"})
    request_id = (await response.json())["id"]
    stored = await detail(apps, request_id)
    assert stored["body_size"] == len(body)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        assert stored["body_text"] is None
        assert base64.b64decode(stored["body_base64"]) == body
    else:
        assert stored["body_text"] == text
    raw = await apps.ui.get(f"/api/requests/{request_id}/raw")
    assert await raw.read() == body
    assert raw.headers["Content-Type"] == "application/octet-stream"


async def test_chunked_body_is_captured(apps: Apps) -> None:
    async def chunks():  # type: ignore[no-untyped-def]
        for part in (b"first,", b"second,", b"third"):
            yield part

    response = await apps.hooks.post("/chunked", data=chunks())
    stored = await detail(apps, (await response.json())["id"])
    assert stored["body_text"] == "first,second,third"


async def test_hooks_listener_never_serves_ui_or_api(apps: Apps) -> None:
    for path in ("/", "/api/requests", "/ws", "/static/app.js", "/healthz", "/api/requests/1"):
        response = await apps.hooks.get(path)
        assert response.status == 200
        assert (await response.json())["ok"] is True
    listed = await (await apps.ui.get("/api/requests")).json()
    assert [r["path"] for r in listed["requests"]] == [
        "/", "/api/requests", "/ws", "/static/app.js", "/healthz", "/api/requests/1"]


async def test_oversized_body_gets_413_and_is_still_listed(make_apps) -> None:  # type: ignore[no-untyped-def]
    apps = await make_apps(max_body=1000)
    response = await apps.hooks.post("/big", data=b"x" * 5000)
    assert response.status == 413
    assert "body too large" in (await response.json())["error"]
    listed = (await (await apps.ui.get("/api/requests")).json())["requests"]
    assert listed[-1]["error"] == "body too large"
    assert listed[-1]["response_status"] == 413
    ok = await apps.hooks.post("/small", data=b"fine")
    assert ok.status == 200


async def test_configured_default_answer(make_apps) -> None:  # type: ignore[no-untyped-def]
    from inspector.config import ResponseSpec

    spec = ResponseSpec(status=202, content_type="text/plain", body="accepted", delay_ms=50)
    apps = await make_apps(response=spec)
    response = await apps.hooks.post("/x", data=b"1")
    assert response.status == 202
    assert await response.text() == "accepted"
    assert response.headers["Content-Type"].startswith("text/plain")
    stored = await detail(apps, 1)
    assert stored["response"]["status"] == 202
    assert stored["response"]["body_text"] == "accepted"
    assert stored["response"]["duration_ms"] >= 50
