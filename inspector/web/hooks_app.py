"""The hooks listener: every method on every path is captured, answered, and never serves the UI."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import replace

from aiohttp import web

from ..answers import Answer
from ..capture import read_body, snapshot
from ..core import Inspector
from ..forward import forward
from ..models import ResponseRecord
from .keys import CLIENT, INSPECTOR, client_context

DISCONNECT_POLL_S = 1.0


def too_large(size: int, limit: int) -> Answer:
    error = {"error": f"body too large: {size} bytes exceeds --max-body {limit}"}
    headers = (("Content-Type", "application/json"),)
    return Answer("respond", 413, headers, json.dumps(error).encode(), 0)


async def capture_handler(request: web.Request) -> web.StreamResponse:
    inspector: Inspector = request.app[INSPECTOR]
    received_at = time.time()
    started = time.perf_counter()
    limit = inspector.config.max_body
    body, size = await read_body(request, limit)
    request_id = inspector.store.next_id()
    if body is None:
        record = snapshot(request, request_id, received_at, b"", size, "body too large")
        answer = too_large(size, limit)
    else:
        record = snapshot(request, request_id, received_at, body, size, None)
        answer = inspector.responder.choose(request_id, record.method, record.path)
    learnt, dedupe_key = inspector.analyze(record)
    if answer.action == "forward":
        inspector.add(replace(record, **learnt), dedupe_key)
        sent = await forward(request.app[CLIENT], inspector.config.forward or "", record,
                             inspector.config.forward_timeout)
        inspector.set_response(request_id, sent)
        return web.Response(status=sent.status, body=sent.body, headers=sent.headers)
    if answer.action in ("hang", "close"):
        note = "not answered (rule: hang)" if answer.action == "hang" else \
            "connection closed (rule: close)"
        inspector.add(replace(record, error=note, **learnt), dedupe_key)
        if answer.action == "hang":
            await _until_disconnected(request)
        if request.transport is not None:
            request.transport.abort()
        return web.Response()  # never sent: the connection is gone
    duration_ms = (time.perf_counter() - started) * 1000 + answer.delay_ms
    sent = ResponseRecord(answer.status, answer.headers, answer.body, duration_ms, "inspector")
    inspector.add(replace(record, response=sent, **learnt), dedupe_key)
    if answer.delay_ms:
        await asyncio.sleep(answer.delay_ms / 1000)
    return web.Response(status=answer.status, body=answer.body, headers=answer.headers)


async def _until_disconnected(request: web.Request) -> None:
    """Hold the request open until the sender gives up (or the server shuts down)."""
    while request.transport is not None and not request.transport.is_closing():
        await asyncio.sleep(DISCONNECT_POLL_S)


def create_hooks_app(inspector: Inspector) -> web.Application:
    # The body limit is enforced by read_body so that an oversized request is still recorded.
    app = web.Application(client_max_size=inspector.config.max_body + 1)
    app[INSPECTOR] = inspector
    app.cleanup_ctx.append(client_context)
    app.router.add_route("*", "/{tail:.*}", capture_handler)
    return app
