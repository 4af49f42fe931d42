"""`POST /api/requests/ID/replay`: send a stored request again, as it came or edited;
`POST /api/requests/replay`: send every match of a query again, in id order."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from .. import serialize
from ..captured import CapturedRequest
from ..models import Replay
from ..replay import ReplayError, plan_replay, send_replay, upstream_of
from ..state import SharedState
from ..steps import sliced
from ..store.protocol import search_sliced
from .api_requests import error, find, parsed_query, read_json_object, sliced_json
from .keys import CLIENT, INSPECTOR


async def replay_record(request: web.Request, record: CapturedRequest,
                        edits: Mapping[str, Any]) -> Replay:
    """Send one record again and keep the result on it; ReplayError when it cannot be."""
    inspector: SharedState = request.app[INSPECTOR]
    plan = plan_replay(record, edits, inspector.config.forward, inspector.secrets, time.time())
    result = await send_replay(request.app[CLIENT], plan, inspector.config.forward_timeout,
                               inspector.secrets)
    inspector.add_replay(record.id, result)
    return result


async def replay(request: web.Request) -> web.Response:
    record = find(request)
    if isinstance(record, web.Response):
        return record
    edits = await read_json_object(request) if request.can_read_body else {}
    if isinstance(edits, web.Response):
        return edits
    try:
        result = await replay_record(request, record, edits)
    except ReplayError as problem:
        return error(400, str(problem))
    return await sliced_json({"replay": await sliced(serialize.replay(result))})


async def replay_matches(request: web.Request) -> web.Response:
    """Body `{"q", "target"?, "resign"?}`; answers `{"replays": [{"id", "replay"} |
    {"id", "error"}…]}`, one per match in id order, each replay kept on its request."""
    inspector: SharedState = request.app[INSPECTOR]
    payload = await read_json_object(request)
    if isinstance(payload, web.Response):
        return payload
    text = payload.get("q")
    if not isinstance(text, str) or not text.strip():
        return error(400, "\"q\" must be a non-empty query (SPEC 12) naming what to replay")
    query = parsed_query(text)
    if isinstance(query, web.Response):
        return query
    edits = {key: payload[key] for key in ("target", "resign") if payload.get(key)}
    try:
        upstream_of(edits, inspector.config.forward)  # refused before anything is sent
    except ReplayError as problem:
        return error(400, str(problem))
    results: list[dict[str, Any]] = []
    for record in await search_sliced(inspector.store, query, time.time()):
        try:
            replayed = await replay_record(request, record, edits)
        except ReplayError as refused:
            results.append({"id": record.id, "error": str(refused)})
        else:
            results.append({"id": record.id, "replay": await sliced(serialize.replay(replayed))})
    return await sliced_json({"replays": results})


def add_routes(app: web.Application) -> None:
    app.router.add_post("/api/requests/replay", replay_matches)
    app.router.add_post(r"/api/requests/{id:\d+}/replay", replay)
