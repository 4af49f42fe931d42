"""The hooks listener: every method on every path is captured, answered, and never serves the UI.

It is aiohttp's low-level server, not an Application: with nothing to route, the router and the
middleware chain would be pure cost on the path every webhook takes.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.web_protocol import RequestHandler

from ..answers import Answer
from ..capture import arrival, read_body
from ..core import Inspector
from ..forward import client_session, forward
from ..models import CapturedRequest, ResponseRecord
from ..signatures import Headers

DISCONNECT_POLL_S = 0.2
FAULT_NOTES = {"hang": "not answered (rule: hang)", "close": "connection closed (rule: close)"}
Handler = Callable[[web.BaseRequest], Awaitable[web.StreamResponse]]


def too_large(size: int, limit: int) -> Answer:
    error = {"error": f"body too large: {size} bytes exceeds --max-body {limit}"}
    headers = (("Content-Type", "application/json"),)
    return Answer("respond", 413, headers, json.dumps(error).encode(), 0)


class HooksListener:
    """Captures each request; owns the ClientSession that forwards to the app."""

    def __init__(self, inspector: Inspector) -> None:
        self.inspector = inspector
        self._session: aiohttp.ClientSession | None = None
        self.stopping = False  # set at shutdown: held ("hang") requests are let go

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = client_session()
        return self._session

    async def _until_disconnected(self, request: web.BaseRequest) -> None:
        """Hold the request open until the sender gives up, or the server shuts down."""
        while not self.stopping and request.transport is not None and \
                not request.transport.is_closing():
            await asyncio.sleep(DISCONNECT_POLL_S)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def handle(self, request: web.BaseRequest) -> web.StreamResponse:
        inspector = self.inspector
        received_at = time.time()
        started = time.perf_counter()
        limit = inspector.config.max_body
        body = await read_body(request, limit)
        request_id = inspector.store.next_id()
        incoming = arrival(request, received_at, body.data, body.size)
        if body.error == "body too large":
            answer = too_large(body.size, limit)
        else:
            answer = inspector.responder.choose(request_id, incoming.method, incoming.path)
        learnt, dedupe_key = inspector.analyze(incoming, Headers.view(request.headers))
        if body.error is not None:  # what happened to the body matters more than analysis
            learnt["error"] = body.error
        if answer.action == "forward":
            record = incoming.record(request_id, **learnt)
            inspector.add(record, dedupe_key)
            return await self._forward(record)
        if answer.action in ("hang", "close"):
            learnt["error"] = FAULT_NOTES[answer.action]
            inspector.add(incoming.record(request_id, **learnt), dedupe_key)
            return await self._fault(request, answer.action)
        duration_ms = (time.perf_counter() - started) * 1000 + answer.delay_ms
        sent = ResponseRecord(answer.status, answer.headers, answer.body, duration_ms, "inspector")
        inspector.add(incoming.record(request_id, response=sent, **learnt), dedupe_key)
        if answer.delay_ms:
            await asyncio.sleep(answer.delay_ms / 1000)
        return web.Response(status=answer.status, body=answer.body, headers=answer.headers)

    async def _forward(self, record: CapturedRequest) -> web.Response:
        """The app's answer goes back to the sender and is recorded (502/504 when it fails)."""
        config = self.inspector.config
        sent = await forward(self.session, config.forward or "", record, config.forward_timeout)
        self.inspector.set_response(record.id, sent)
        return web.Response(status=sent.status, body=sent.body, headers=sent.headers)

    async def _fault(self, request: web.BaseRequest, action: str) -> web.Response:
        """`hang` holds the request until the sender gives up; both end by dropping it."""
        if action == "hang":
            await self._until_disconnected(request)
        if request.transport is not None:
            request.transport.abort()
        return web.Response()  # never sent: the connection is gone


class GuardedServer(web.Server):
    """Closes connections that send no complete request within IDLE_TIMEOUT_S (slow loris and
    idle keep-alive alike), so that a stalled sender cannot hold connections open forever."""

    IDLE_TIMEOUT_S = 10.0
    SWEEP_EVERY_S = 1.0

    def __init__(self, handle: Handler, **kwargs: Any) -> None:
        super().__init__(self._tracked(handle), **kwargs)
        self._idle_since: dict[RequestHandler, float] = {}
        self._sweeper: asyncio.TimerHandle | None = None

    def _tracked(self, handle: Handler) -> Handler:
        """The connection is busy while its request is handled, idle again after."""
        async def tracked(request: web.BaseRequest) -> web.StreamResponse:
            self._idle_since.pop(request.protocol, None)
            try:
                return await handle(request)
            finally:
                self.idle(request.protocol)
        return tracked

    def connection_made(self, handler: RequestHandler, transport: asyncio.Transport) -> None:
        super().connection_made(handler, transport)
        self._idle_since[handler] = self._loop.time()
        if self._sweeper is None:
            self._sweeper = self._loop.call_later(self.SWEEP_EVERY_S, self._sweep)

    def connection_lost(self, handler: RequestHandler, exc: BaseException | None = None) -> None:
        super().connection_lost(handler, exc)
        self._idle_since.pop(handler, None)

    def idle(self, handler: RequestHandler) -> None:
        if handler.transport is not None and not handler.transport.is_closing():
            self._idle_since[handler] = self._loop.time()

    def _sweep(self) -> None:
        deadline = self._loop.time() - self.IDLE_TIMEOUT_S
        for handler, since in list(self._idle_since.items()):
            if since < deadline:
                del self._idle_since[handler]
                handler.force_close()
        self._sweeper = self._loop.call_later(self.SWEEP_EVERY_S, self._sweep) \
            if self._idle_since else None

    async def shutdown(self, timeout: float | None = None) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
            self._sweeper = None
        await super().shutdown(timeout)


def create_hooks_server(listener: HooksListener) -> web.Server:
    """The low-level server; bodies are limited by read_body, so the request's own limit is
    set just above --max-body (an oversized request must still be recorded)."""
    loop = asyncio.get_running_loop()
    client_max_size = listener.inspector.config.max_body + 1

    def make_request(message: Any, payload: Any, protocol: RequestHandler, writer: Any,
                     task: asyncio.Task[None]) -> web.BaseRequest:
        return web.BaseRequest(message, payload, protocol, writer, task, loop,
                               client_max_size=client_max_size)

    # Bodies are kept exactly as sent: a gzip body is stored (and verified) compressed.
    return GuardedServer(listener.handle, request_factory=make_request, access_log=None,
                         auto_decompress=False)
