"""`POST /api/requests/ID/replay`: send a stored request again, as it came or edited."""

from __future__ import annotations

import time

from aiohttp import web

from .. import serialize
from ..replay import ReplayError, plan_replay, send_replay
from ..state import SharedState
from .api_requests import error, find, read_json_object
from .keys import CLIENT, INSPECTOR


async def replay(request: web.Request) -> web.Response:
    inspector: SharedState = request.app[INSPECTOR]
    record = find(request)
    if isinstance(record, web.Response):
        return record
    edits = await read_json_object(request) if request.can_read_body else {}
    if isinstance(edits, web.Response):
        return edits
    try:
        plan = plan_replay(record, edits, inspector.config.forward, inspector.secrets,
                           time.time())
    except ReplayError as problem:
        return error(400, str(problem))
    result = await send_replay(request.app[CLIENT], plan, inspector.config.forward_timeout,
                               inspector.secrets)
    inspector.add_replay(record.id, result)
    return web.json_response({"replay": serialize.replay(result)})


def add_routes(app: web.Application) -> None:
    app.router.add_post(r"/api/requests/{id:\d+}/replay", replay)
