"""HAR in: our own export, browser DevTools and mitmproxy files load into the history, marked
as imported, verified and replayable; hostile documents get a 400 naming the fault and change
nothing."""

from __future__ import annotations

import json
import zlib
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.client import connect

from inspector.config import SecretSpec
from inspector.signatures import Key, SignInput

from .cli_process import run, start
from .conftest import Apps, AppsFactory, scheme_of
from .redis_server import RedisServer
from .test_capture import raw_http
from .test_websocket import receive
from .upstream import APP_SECRET, Upstream, sign

BONDIFY = b'{"event": "auth.confirmed", "session_token": "s1"}'
SECRETS = (SecretSpec("bondify", APP_SECRET),)


async def import_document(apps: Apps, document: Any) -> tuple[int, dict[str, Any]]:
    data = document if isinstance(document, bytes) else json.dumps(document).encode()
    response = await apps.ui.post("/api/import", data=data,
                                  headers={"Content-Type": "application/json"})
    return response.status, await response.json()


async def detail(apps: Apps, request_id: int) -> dict[str, Any]:
    return await (await apps.ui.get(f"/api/requests/{request_id}")).json()  # type: ignore[no-any-return]


async def raw(apps: Apps, request_id: int) -> bytes:
    return await (await apps.ui.get(f"/api/requests/{request_id}/raw")).read()


SAME = ("method", "path", "query", "headers", "received_at", "provider", "event",
        "delivery_id", "signature", "body_size", "content_type", "http_version")


async def test_our_export_comes_back_byte_for_byte(make_apps: AppsFactory) -> None:
    source = await make_apps(secrets=SECRETS)
    await raw_http(source, b"PUT /odd//path?a=%20&b=2&b=3&c HTTP/1.1\r\nHost: x\r\n"
                           b"X-Dup: 1\r\nx-dup: 2\r\nMiXeD: Case\r\nContent-Length: 4\r\n"
                           b"Connection: close\r\n\r\n\xff\x00\x01\xfe")
    await source.hooks.post("/webhooks/bondify?x=1", data=BONDIFY, headers=sign(BONDIFY))
    await source.hooks.get("/empty")
    document = await (await source.ui.get("/api/export.har")).json()

    target = await make_apps(secrets=SECRETS)
    await target.hooks.post("/already/here", data=b"kept")
    status, answer = await import_document(target, document)
    assert status == 200, answer
    assert answer == {"imported": 3, "ids": [2, 3, 4]}
    for original_id, imported_id in zip((1, 2, 3), answer["ids"], strict=True):
        original, imported = await detail(source, original_id), await detail(target, imported_id)
        assert {k: imported[k] for k in SAME} == {k: original[k] for k in SAME}
        assert await raw(target, imported_id) == await raw(source, original_id)
        assert imported["imported"] is True and original["imported"] is False
    assert (await detail(target, 3))["signature"] == "valid"  # verified with our secret
    assert (await detail(target, 1))["body_text"] == "kept"


async def test_an_imported_request_is_verified_by_its_own_time_and_replayable(
        make_apps: AppsFactory, aiohttp_server: Any) -> None:
    upstream = Upstream()
    base = f"http://127.0.0.1:{(await aiohttp_server(upstream.app())).port}"
    apps = await make_apps(secrets=SECRETS)
    status, answer = await import_document(apps, har_of(entry(
        "POST", "https://example.test/webhooks/bondify", BONDIFY.decode(),
        list(sign(BONDIFY).items()), started="2020-01-02T03:04:05.678Z")))
    assert status == 200, answer
    (request_id,) = answer["ids"]
    imported = await detail(apps, request_id)
    assert imported["received_at"] == "2020-01-02T03:04:05.678Z"
    assert imported["signature"] == "valid" and imported["provider"] == "bondify"
    assert imported["response"]["source"] == "har"  # the HAR's answer, never ours
    replayed = await apps.ui.post(f"/api/requests/{request_id}/replay", json={"target": base})
    assert (await replayed.json())["replay"]["status"] == 200
    assert upstream.seen[-1].body == BONDIFY and upstream.seen[-1].path_qs == \
        "/webhooks/bondify"

    listed = (await (await apps.ui.get("/api/requests")).json())["requests"]
    assert listed[-1]["imported"] is True


def entry(method: str, url: str, text: str | None, headers: list[tuple[str, str]],
          started: str = "2026-11-22T10:31:11.756Z", **request: Any) -> dict[str, Any]:
    """An entry shaped as browsers write them, with their answer and timings."""
    found: dict[str, Any] = {
        "method": method, "url": url, "httpVersion": "HTTP/1.1", "cookies": [],
        "headers": [{"name": n, "value": v} for n, v in headers], "queryString": [],
        "headersSize": -1, "bodySize": len(text or ""), **request}
    if text is not None:
        found.setdefault("postData", {"mimeType": "application/json", "text": text})
    return {"startedDateTime": started, "time": 12.5, "request": found,
            "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1",
                         "cookies": [], "headers": [], "redirectURL": "", "headersSize": -1,
                         "bodySize": 2, "content": {"size": 2, "mimeType": "text/plain",
                                                    "text": "ok"}},
            "cache": {}, "timings": {"send": 0, "wait": 12.5, "receive": 0}}


def har_of(*entries: dict[str, Any], creator: str = "WebInspector") -> dict[str, Any]:
    return {"log": {"version": "1.2", "creator": {"name": creator, "version": "537.36"},
                    "pages": [], "entries": list(entries)}}


async def test_devtools_and_mitmproxy_files(apps: Apps) -> None:
    chrome = entry("POST", "https://api.example.test/hook?src=chrome", '{"a":"Ü"}',
                   [(":authority", "api.example.test"), (":method", "POST"),
                    (":path", "/hook?src=chrome"), (":scheme", "https"),
                    ("content-type", "application/json")], httpVersion="http/2.0")
    chrome["_initiator"] = {"type": "script"}
    firefox = entry("POST", "http://localhost:3000/form", None,
                    [("Content-Type", "application/x-www-form-urlencoded")],
                    postData={"mimeType": "application/x-www-form-urlencoded",
                              "params": [{"name": "a b", "value": "1&2"}, {"name": "c"}]})
    mitmproxy = entry("GET", "http://127.0.0.1:8080/ping", None, [("Accept", "*/*")],
                      started="2026-11-22T10:31:11.756000+00:00")
    status, answer = await import_document(apps, har_of(chrome, firefox, mitmproxy))
    assert status == 200, answer
    first, second, third = [await detail(apps, i) for i in answer["ids"]]
    assert first["headers"] == [["content-type", "application/json"]]  # no pseudo-headers
    assert (first["path"], first["query"], first["http_version"]) == \
        ("/hook", "src=chrome", "http/2.0")
    assert await raw(apps, first["id"]) == '{"a":"Ü"}'.encode()
    assert await raw(apps, second["id"]) == b"a+b=1%262&c="
    assert (third["method"], third["body_size"], third["received_at"]) == \
        ("GET", 0, "2026-11-22T10:31:11.756Z")
    zhar = zlib.compress(json.dumps(har_of(mitmproxy, creator="mitmproxy exporthar")).encode())
    status, answer = await import_document(apps, zhar)  # mitmproxy's .zhar
    assert status == 200 and len(answer["ids"]) == 1, answer


def hostile_cases() -> list[tuple[str, bytes, str]]:
    good = entry("POST", "http://x/a", "{}", [])

    def with_request(**changes: Any) -> bytes:
        request = {**good["request"], **changes}
        return json.dumps(har_of({**good, "request": request})).encode()

    return [
        ("binary", b"\x89PNG\r\n\x1a\n\x00\xff", "not UTF-8"),
        ("not json", b"{\"log\": ", "invalid JSON"),
        ("nested", b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        ("no log", b'{"entries": []}', '"log" object'),
        ("entries not a list", b'{"log": {"entries": {}}}', "log.entries: expected list"),
        ("entry not an object", b'{"log": {"entries": [7]}}', "log.entries[0]: expected"),
        ("no request", json.dumps(har_of({"startedDateTime": "2026-01-01T00:00:00Z"})).encode(),
         "log.entries[0].request: missing"),
        ("no time", json.dumps(har_of({"request": good["request"]})).encode(),
         "startedDateTime: missing"),
        ("bad time", json.dumps(har_of({**good, "startedDateTime": "yesterday"})).encode(),
         "not an ISO 8601 time"),
        ("no url", with_request(url=None), "request.url: expected str"),
        ("bad method", with_request(method="PO ST"), "not an HTTP method"),
        ("not http", with_request(url="ftp://x/a"), "not an http(s) URL"),
        ("url with CRLF", with_request(url="http://x/a\r\nX: y"), "control characters"),
        ("url not ascii", with_request(url="http://x/Ü"), "not ASCII"),
        ("header injection", with_request(headers=[{"name": "A", "value": "1\r\nB: 2"}]),
         "headers[0].value: CR, LF or NUL"),
        ("bad header name", with_request(headers=[{"name": "A B", "value": "1"}]),
         "not a header name"),
        ("header without value", with_request(headers=[{"name": "A"}]),
         "headers[0].value: missing"),
        ("too many headers", with_request(headers=[{"name": f"h{i}", "value": ""}
                                                   for i in range(300)]), "exceed the capture"),
        ("bad base64", with_request(postData={"text": "%%%", "encoding": "base64"}),
         "marked base64 but not valid"),
        ("lone surrogate", with_request(postData={"text": "\ud800"}), "lone surrogate"),
        ("body over --max-body", with_request(postData={"text": "x" * 5000}),
         "exceeds --max-body 4096"),
        ("params of multipart", with_request(postData={"mimeType": "multipart/form-data",
                                                       "params": [{"name": "f"}]}),
         "only be rebuilt for a urlencoded form"),
        ("zhar not zlib", b"x\x9c not zlib", "not a HAR file: not valid deflate"),
        ("zhar bomb", zlib.compress(b" " * (4 * 1024 * 1024)), "inflates past 2097152 bytes"),
        ("too many entries", json.dumps(har_of(*[good] * 11)).encode(),
         "exceed --max-requests 10"),
    ]


async def test_the_hars_answer_is_kept_as_the_hars(make_apps: AppsFactory) -> None:
    """Issue 26.4: an imported request shows what the HAR's server answered, marked as the
    HAR's; a request the browser saw no answer to (status 0) has none; an answer body over
    --max-body is left out and said; a bad status names the field."""
    apps = await make_apps(max_body=4096)
    answered = entry("POST", "http://x/answered", "{}", [])
    answered["response"].update(status=201, headers=[
        {"name": "content-type", "value": "application/json"},
        {"name": "set-cookie", "value": "a=1\nb=2"}],  # Chrome joins repeated headers
        content={"size": 11, "mimeType": "application/json", "text": "eyJvayI6MX0=",
                 "encoding": "base64"})
    blocked = entry("POST", "http://x/blocked", "{}", [])
    blocked["response"] = {**blocked["response"], "status": 0, "headers": []}
    large = entry("POST", "http://x/large", "{}", [])
    large["response"]["content"] = {"size": 5000, "mimeType": "text/plain", "text": "z" * 5000}
    status, answer = await import_document(apps, har_of(answered, blocked, large))
    assert status == 200, answer
    first, second, third = [await detail(apps, i) for i in answer["ids"]]
    assert first["response_status"] == 201 and first["error"] is None
    assert first["response"] == {
        "status": 201, "source": "har", "duration_ms": 12.5, "body_text": '{"ok":1}',
        "headers": [["content-type", "application/json"], ["set-cookie", "a=1"],
                    ["set-cookie", "b=2"]]}
    assert second["response"] is None and second["response_status"] is None
    assert third["response"]["status"] == 200 and third["response"]["body_text"] == ""
    assert third["error"] == "the HAR's answer body of 5000 bytes exceeds --max-body 4096: " \
                             "left out"
    bad = entry("POST", "http://x/a", "{}", [])
    bad["response"]["status"] = "200"
    status, answer = await import_document(apps, har_of(bad))
    assert (status, answer["error"]) == (
        400, "log.entries[0].response.status: not an HTTP status: '200'")


async def test_hostile_documents_are_refused_and_nothing_stored_is_lost(
        make_apps: AppsFactory) -> None:
    apps = await make_apps(max_body=4096, max_requests=10)
    await apps.hooks.post("/kept", data=b"kept")
    for name, document, expected in hostile_cases():
        response = await apps.ui.post("/api/import", data=document)
        assert response.status == 400, name
        message = (await response.json())["error"]
        assert expected in message, (name, message)
        assert "Traceback" not in message
    listed = (await (await apps.ui.get("/api/requests")).json())["requests"]
    assert [r["path"] for r in listed] == ["/kept"]


async def test_a_document_over_the_limit_is_refused_before_it_is_read(
        make_apps: AppsFactory) -> None:
    apps = await make_apps(max_bytes=64 * 1024)
    response = await apps.ui.post("/api/import", data=b" " * (129 * 1024))
    assert response.status == 413
    assert "exceeds 131072 bytes" in (await response.json())["error"]
    many = har_of(*[entry("POST", "http://x/", "y" * 30_000, [])] * 3)
    status, answer = await import_document(apps, many)
    assert status == 400 and "exceed --max-bytes 65536" in answer["error"]
    assert not (await (await apps.ui.get("/api/requests")).json())["requests"]


def test_import_command_against_a_running_server(tmp_path: Path) -> None:
    har = tmp_path / "capture.har"
    har.write_text(json.dumps(har_of(entry("POST", "http://x/from-file", "{}", []))))
    server = start("--hook", "0", "--ui", "0", cwd=tmp_path)
    try:
        result = run("import", str(har), "--ui", server.ui_url, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stdout == f"imported 1 request(s) from {har}: #1\n"
        assert server.api("/api/requests/1")["imported"] is True

        har.write_text('{"log": {}}')
        refused = run("import", str(har), "--ui", server.ui_url, cwd=tmp_path)
        assert refused.returncode == 2
        assert refused.stderr == "webhook-inspector: import: the inspector refused it: " \
                                 "log.entries: missing\n"
    finally:
        assert server.stop() == 0
    missing = run("import", str(tmp_path / "nope.har"), cwd=tmp_path)
    assert missing.returncode == 2 and "cannot read" in missing.stderr
    assert missing.stderr.count("\n") == 1


@pytest.mark.parametrize("engine", ["sqlite", "redis"])
async def test_import_into_a_durable_or_shared_store(
        make_apps: AppsFactory, tmp_path: Path, engine: str,
        request: pytest.FixtureRequest) -> None:
    if engine == "redis":
        redis_server: RedisServer = request.getfixturevalue("redis_server")
        store = redis_server.url
    else:
        store = f"sqlite:{tmp_path / 'history.db'}"
    apps = await make_apps(store=store, secrets=SECRETS)
    await apps.hooks.post("/before", data=b"1")
    status, answer = await import_document(apps, har_of(
        entry("POST", "http://x/webhooks/bondify", BONDIFY.decode(), list(sign(BONDIFY).items())),
        entry("POST", "http://x/webhooks/bondify", BONDIFY.decode(),
              list(sign(BONDIFY).items()))))
    assert status == 200, answer
    assert answer["ids"] == [2, 3]
    first, second = await detail(apps, 2), await detail(apps, 3)
    assert first["imported"] and first["signature"] == "valid"
    assert (first["response_status"], first["response"]["source"],
            first["response"]["body_text"]) == (200, "har", "ok")
    assert second["duplicate_of"] == 2  # the same delivery imported twice


async def test_a_timestamped_signature_is_verified_as_of_the_hars_time(
        make_apps: AppsFactory) -> None:
    """Signed in 2020: valid as of the HAR's time; the same bytes arriving now are stale."""
    scheme = scheme_of("standard-webhooks")
    secret = scheme.sending.new_secret()
    body = b'{"type": "invoice.paid"}'
    signed = scheme.sign(Key(secret), SignInput(body, "http://x/hook", 1577934245.0, "msg_1"))
    apps = await make_apps(secrets=(SecretSpec("standard-webhooks", secret),))
    status, answer = await import_document(apps, har_of(entry(
        "POST", "http://x/hook", body.decode(), signed.headers,
        started="2020-01-02T03:04:05Z")))
    assert status == 200, answer
    assert (await detail(apps, 1))["signature"] == "valid"
    await apps.hooks.post("/hook", data=body, headers=signed.headers)
    assert (await detail(apps, 2))["signature"] == "stale"


async def test_imports_are_announced_and_a_left_out_body_is_said(apps: Apps) -> None:
    async with connect(apps.ws_url("?after=0")) as ws:
        assert (await receive(ws))["type"] == "hello"
        status, answer = await import_document(apps, har_of(entry(
            "POST", "http://x/upload", None, [("Content-Type", "multipart/form-data")],
            bodySize=52_000)))
        assert status == 200, answer
        message = await receive(ws)
    assert message["type"] == "request"
    assert message["request"]["imported"] is True
    assert message["request"]["error"] == \
        "the HAR holds no body for this request (bodySize 52000)"
