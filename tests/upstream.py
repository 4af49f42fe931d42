"""A real app on loopback for forwarding and replay tests: it checks an HMAC over the raw body,
so any byte changed on the way shows up as a failed signature."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import gzip
import hashlib
import hmac
import http.server
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

APP_SECRET = "app-secret"


@dataclass
class Seen:
    method: str
    path_qs: str
    headers: list[tuple[str, str]]
    body: bytes


@dataclass
class Upstream:
    seen: list[Seen] = field(default_factory=list)
    fail_next: int = 0

    async def handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        self.seen.append(Seen(request.method, request.raw_path,
                              [(k.decode(), v.decode()) for k, v in request.raw_headers], body))
        if request.path.startswith("/slow"):
            await asyncio.sleep(2)
        if request.path.startswith("/redirect"):
            return web.Response(status=302, headers={"Location": "/elsewhere"})
        if request.path.startswith("/gzip"):
            return web.Response(body=gzip.compress(b"zipped"), headers={
                "Content-Encoding": "gzip", "Content-Type": "text/plain"})
        if self.fail_next:
            self.fail_next -= 1
            return web.json_response({"error": "simulated"}, status=500)
        expected = hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
        received = request.headers.get("X-Bondify-Signature", "")
        verified = hmac.compare_digest(expected, received)
        return web.json_response(
            {"verified": verified, "body_b64": base64.b64encode(body).decode()},
            status=200 if verified else 401, headers={"X-App": "yes", "Set-Cookie": "a=1"})

    def app(self) -> web.Application:
        application = web.Application()
        application.router.add_route("*", "/{tail:.*}", self.handle)
        return application


def sign(body: bytes, secret: str = APP_SECRET) -> dict[str, Any]:
    return {"X-Bondify-Signature": hmac.new(secret.encode(), body, hashlib.sha256).hexdigest(),
            "Content-Type": "application/json"}


@contextlib.contextmanager
def threaded_server(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[int]:
    """A stdlib HTTP server on a loopback port, served from a thread (for tests whose own
    thread runs no event loop, or that want an app that is not aiohttp); its port."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()
