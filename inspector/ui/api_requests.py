"""JSON API over the stored requests."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

from aiohttp import web

from .. import serialize
from ..captured import CapturedRequest
from ..export import curl_command
from ..pieces import json_pieces
from ..query import Node, QueryError, parse
from ..query.nodes import Everything
from ..state import SharedState
from ..steps import sliced
from ..store.protocol import StoreBusy, Window, matching_ids, search_sliced
from ..urls import password_hidden
from .downloads import sandboxed_download
from .judging import judged_in_detail, summaries
from .keys import INSPECTOR

DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000
MAX_ID = 2**63 - 1  # what every store holds (SQLite's integers)


def error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


async def kept(inspector: SharedState, done: web.Response) -> web.Response:
    """`done` once what was just written is durable; 503 when the store could not keep it
    (a failed commit leaves nothing behind: the change did not happen)."""
    try:
        await inspector.written()
    except StoreBusy as busy:
        return unavailable(str(busy))
    return done


def unavailable(message: str, **fields: Any) -> web.Response:
    """The store cannot keep a change now: 503, come back in a second."""
    return web.json_response({"error": message, **fields}, status=503,
                             headers={"Retry-After": "1"})


async def sliced_json(value: Any) -> web.Response:
    """A JSON answer that may hold 10 MiB bodies: encoded in slices and written a piece at a
    time, so that capture keeps the loop (SPEC 3)."""
    pieces = await sliced(json_pieces(value))

    async def each() -> AsyncIterator[bytes]:
        for piece in pieces:
            yield piece

    return web.Response(body=each(), content_type="application/json", charset="utf-8")


async def read_json_object(request: web.Request) -> dict[str, Any] | web.Response:
    try:
        payload = await request.json()
    except (ValueError, LookupError, RecursionError):  # LookupError: an unknown charset
        return error(400, "the body must be JSON")
    if not isinstance(payload, dict):
        return error(400, "the body must be a JSON object")
    return payload


def int_param(request: web.Request, name: str, default: int | None) -> int | None:
    """ASCII digits up to MAX_ID; ValueError (a 400 by the caller) for anything else."""
    value = request.query.get(name)
    if value is None or value == "":
        return default
    if not (value.isascii() and value.isdigit()) or int(value) > MAX_ID:
        raise ValueError(name)
    return int(value)


def parsed_query(text: str) -> Node | web.Response:
    """The query (SPEC 12), or a 400 that names the position and what was expected there."""
    try:
        return parse(text)
    except QueryError as problem:
        return web.json_response({"error": str(problem), "position": problem.position,
                                  "expected": problem.expected}, status=400)


def query_param(request: web.Request) -> Node | web.Response:
    return parsed_query(request.query.get("q", ""))


def wants(request: web.Request, name: str) -> bool:
    return request.query.get(name, "").lower() in ("1", "true", "yes")


async def list_requests(request: web.Request) -> web.Response:
    """Ascending by id: after `after`, else the newest (below `before`); `count` is how many
    are stored in all, so a client that holds a page knows what it does not hold; with
    `q`, only the matches, and with `matches=true` how many match in all."""
    inspector: SharedState = request.app[INSPECTOR]
    try:
        after = int_param(request, "after", None)
        before = int_param(request, "before", None)
        limit = min(int_param(request, "limit", DEFAULT_LIMIT) or DEFAULT_LIMIT, MAX_LIMIT)
    except ValueError:
        return error(400, "after, before and limit must be integers from 0 to 2^63 - 1")
    query = query_param(request)
    if isinstance(query, web.Response):
        return query
    store = inspector.store
    now = time.time()
    if isinstance(query, Everything):
        chosen = store.after(after, limit) if after is not None else store.newest(limit, before)
    else:
        chosen = await search_sliced(store, query, now, Window(
            after=after or 0, before=before, limit=limit, newest=after is None))
    answer: dict[str, Any] = {
        "requests": await summaries(chosen, inspector.judge),
        "last_id": store.last_id,
        "count": len(store),
    }
    if wants(request, "matches"):
        every_match_here = after is None and before is None and len(chosen) < limit
        answer["matches"] = len(store) if isinstance(query, Everything) else \
            len(chosen) if every_match_here else len(await matching_ids(store, query, now))
    return web.json_response(answer)


def find(request: web.Request) -> CapturedRequest | web.Response:
    inspector: SharedState = request.app[INSPECTOR]
    request_id = int(request.match_info["id"])
    record = inspector.store.get(request_id)
    if record is None:
        return error(404, f"request {request_id} is not stored (deleted or evicted)")
    return record


async def get_request(request: web.Request) -> web.Response:
    record = find(request)
    if isinstance(record, web.Response):
        return record
    inspector = request.app[INSPECTOR]
    explained = await inspector.explained(record)
    await judged_in_detail(explained, inspector.judge)
    return await sliced_json(await sliced(serialize.detail(explained, inspector.judge)))


async def get_raw(request: web.Request) -> web.Response:
    record = find(request)
    if isinstance(record, web.Response):
        return record
    return sandboxed_download(record.body, record.content_type, f"request-{record.id}")


async def get_curl(request: web.Request) -> web.Response:
    record = find(request)
    if isinstance(record, web.Response):
        return record
    inspector: SharedState = request.app[INSPECTOR]
    base = password_hidden(inspector.config.forward or inspector.hook_url)
    return web.Response(text=curl_command(record, base) + "\n", content_type="text/plain")


async def delete_request(request: web.Request) -> web.Response:
    inspector: SharedState = request.app[INSPECTOR]
    request_id = int(request.match_info["id"])
    if not inspector.delete([request_id]):
        return error(404, f"request {request_id} is not stored (deleted or evicted)")
    return await kept(inspector, web.Response(status=204))


async def delete_all(request: web.Request) -> web.Response:
    """Everything, or with `q` the matches; a blank `q` is refused (a script's empty filter
    must not wipe the history)."""
    inspector: SharedState = request.app[INSPECTOR]
    if "q" not in request.query:
        inspector.clear()
        return web.Response(status=204)
    text = request.query["q"]
    if not text.strip():
        return web.json_response({"error": "q is blank: give a query, or no q to delete "
                                  "everything", "position": 0, "expected": "a query"},
                                 status=400)
    query = parsed_query(text)
    if isinstance(query, web.Response):
        return query
    if isinstance(query, Everything):
        inspector.clear()
    else:
        inspector.delete(await matching_ids(inspector.store, query, time.time()))
    return await kept(inspector, web.Response(status=204))


async def healthz(request: web.Request) -> web.Response:
    """200 while the store is ok, 503 otherwise (SPEC 11)."""
    inspector = request.app[INSPECTOR]
    store = inspector.store
    health = store.health()
    ok = health["state"] == "ok"
    counts: dict[str, object] = {"ok": ok, "requests": len(store), "store": health}
    if inspector.holding is not None and inspector.holding.queues:  # a route holds
        counts["held"] = inspector.holding.held
    return web.json_response(counts, status=200 if ok else 503)


async def not_found(request: web.Request) -> web.Response:
    return error(404, f"no such API call: {request.method} {request.path}")


def add_routes(app: web.Application) -> None:
    app.router.add_get("/api/requests", list_requests)
    app.router.add_delete("/api/requests", delete_all)
    app.router.add_get(r"/api/requests/{id:\d+}", get_request)
    app.router.add_delete(r"/api/requests/{id:\d+}", delete_request)
    app.router.add_get(r"/api/requests/{id:\d+}/raw", get_raw)
    app.router.add_get(r"/api/requests/{id:\d+}/curl", get_curl)
    app.router.add_get("/healthz", healthz)
    app.router.add_route("*", "/api/{tail:.*}", not_found)
