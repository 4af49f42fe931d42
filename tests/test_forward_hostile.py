"""Forwarding faces the internet: nothing in a request chooses where the inspector connects,
every request gets an answer, and only end-to-end headers reach the app (raw sockets)."""

from __future__ import annotations

import asyncio
import http.server
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest

from .conftest import Apps, AppsFactory
from .test_forward import start_upstream
from .test_hooks_http import Raw, listed
from .upstream import threaded_server


class Bystander:
    """A service on loopback that no request must ever reach: it counts connections."""

    def __init__(self) -> None:
        self.connections = 0
        self.server: asyncio.Server | None = None

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        return int(self.server.sockets[0].getsockname()[1])

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\nreached")
        await writer.drain()
        writer.close()

    def close(self) -> None:
        if self.server is not None:
            self.server.close()


async def answer_to(apps: Apps, data: bytes) -> tuple[int, dict[str, str], bytes]:
    raw = await Raw.open(apps)
    raw.send(data)
    try:
        return await raw.response()
    finally:
        raw.close()


@pytest.mark.parametrize("userinfo", ["", "user:pw@"])
async def test_no_request_target_reaches_another_service(make_apps: AppsFactory,
                                                         aiohttp_server: Any,
                                                         userinfo: str) -> None:
    upstream, server = await start_upstream(aiohttp_server)
    bystander = Bystander()
    other = await bystander.start()
    apps = await make_apps(forward=f"http://{userinfo}127.0.0.1:{server.port}/app")
    refused = [
        b"CONNECT @127.0.0.1:%d HTTP/1.1\r\nHost: x\r\n\r\n" % other,
        b"CONNECT 127.0.0.1:%d HTTP/1.1\r\nHost: x\r\n\r\n" % other,
        b"OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n",
    ]
    for data in refused:
        status, _, body = await answer_to(apps, data)
        assert status == 400 and b"request target not accepted" in body
    status, _, _ = await answer_to(
        apps, b"GET http://127.0.0.1:%d/x?y=1 HTTP/1.1\r\nHost: x\r\n\r\n" % other)
    assert status == 401  # the app answered: it checks a signature this request lacks
    assert bystander.connections == 0
    assert [seen.path_qs for seen in upstream.seen] == ["/app/x?y=1"]
    rows = await listed(apps)
    assert [(r["method"], r["response_status"]) for r in rows] == [
        ("CONNECT", 400), ("CONNECT", 400), ("OPTIONS", 400), ("GET", 401)]
    assert rows[3]["path"] == "/x" and rows[3]["query"] == "y=1"
    assert all(r["error"] for r in rows[:3])
    bystander.close()


async def test_every_hostile_target_gets_an_answer_and_capture_goes_on(
        make_apps: AppsFactory, aiohttp_server: Any) -> None:
    _, server = await start_upstream(aiohttp_server)
    apps = await make_apps(forward=f"http://127.0.0.1:{server.port}", max_requests=500)
    targets = [b"GET http://127.0.0.1:1/x", b"OPTIONS *", b"CONNECT 127.0.0.1:22",
               b"GET http://[::1", b"GET https://user@/x", b"POST http:///x"]

    async def one(target: bytes) -> int:
        status, _, _ = await answer_to(apps, target + b" HTTP/1.1\r\nHost: x\r\n"
                                               b"Content-Length: 0\r\n\r\n")
        return status

    statuses = await asyncio.gather(*(one(t) for t in targets * 25))
    assert len(statuses) == 150 and all(status in (400, 401) for status in statuses)
    status, _, _ = await answer_to(apps, b"POST /after HTTP/1.1\r\nHost: x\r\n"
                                         b"Content-Length: 0\r\n\r\n")
    assert status == 401 and (await listed(apps))[-1]["path"] == "/after"


class Recorder(http.server.BaseHTTPRequestHandler):
    """The standard library's server, as a developer's app might be: HTTP/1.1, and it answers
    `Expect: 100-continue` itself if it is asked to."""

    protocol_version = "HTTP/1.1"
    seen: ClassVar[list[tuple[str, list[tuple[str, str]], bytes]]] = []

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if self.command != "HEAD" else b""
        self.seen.append((self.command, list(self.headers.items()), body))
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", "1234")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(b"x" * 1234)

    do_POST = do_HEAD = _handle

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def stdlib_app() -> Iterator[int]:
    Recorder.seen = []
    with threaded_server(Recorder) as port:
        yield port


async def test_expect_and_connection_named_headers_stay_behind(make_apps: AppsFactory,
                                                               stdlib_app: int) -> None:
    apps = await make_apps(forward=f"http://127.0.0.1:{stdlib_app}", max_body=4 * 1024 * 1024)
    body = b"b" * (2 * 1024 * 1024)
    raw = await Raw.open(apps)
    raw.send(b"POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\nExpect: 100-continue\r\n"
             b"Connection: keep-alive, X-Secret\r\nX-Secret: hop\r\nKeep-Alive: 5\r\n"
             b"Proxy-Authorization: Basic eA==\r\nX-Kept: end-to-end\r\n\r\n" % len(body))
    assert await asyncio.wait_for(raw.reader.readuntil(b"\r\n\r\n"), 5) == \
        b"HTTP/1.1 100 Continue\r\n\r\n"
    raw.send(body)
    status, _, answer = await raw.response()
    raw.close()
    assert status == 200 and answer == b"x" * 1234
    ((method, headers, received),) = Recorder.seen
    names = {name.lower() for name, _ in headers}
    assert method == "POST" and received == body
    assert not names & {"expect", "x-secret", "keep-alive", "proxy-authorization", "connection"}
    assert ("X-Kept", "end-to-end") in headers
    assert names == {"host", "content-length", "x-kept"}  # nothing added on the way either


async def test_a_forwarded_head_keeps_the_apps_content_length(make_apps: AppsFactory,
                                                              stdlib_app: int) -> None:
    apps = await make_apps(forward=f"http://127.0.0.1:{stdlib_app}")
    raw = await Raw.open(apps)
    raw.send(b"HEAD /h HTTP/1.1\r\nHost: x\r\n\r\n")
    head = await asyncio.wait_for(raw.reader.readuntil(b"\r\n\r\n"), 5)
    raw.send(b"HEAD /h HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    second = await asyncio.wait_for(raw.reader.read(), 5)  # no body came between the two
    raw.close()
    assert head.startswith(b"HTTP/1.1 200 ") and b"\r\nContent-Length: 1234\r\n" in head
    assert second.startswith(b"HTTP/1.1 200 ")


async def test_a_trailer_never_reaches_the_app_as_a_header(make_apps: AppsFactory,
                                                           aiohttp_server: Any) -> None:
    upstream, server = await start_upstream(aiohttp_server)
    apps = await make_apps(forward=f"http://127.0.0.1:{server.port}")
    await answer_to(apps, b"POST /t HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                          b"2\r\n{}\r\n0\r\nAuthorization: Bearer smuggled\r\n\r\n")
    (seen,) = upstream.seen
    assert seen.body == b"{}"
    assert not [value for name, value in seen.headers if "smuggled" in value]
    detail = await (await apps.ui.get("/api/requests/1")).json()
    assert detail["trailers"] == [["Authorization", "Bearer smuggled"]]
