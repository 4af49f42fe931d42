"""`GET /api/export.har`: the stored requests, with their answers, as HAR 1.2."""

from __future__ import annotations

from aiohttp import web

from ..export import har
from ..state import SharedState
from ..store.protocol import records_after
from .api_requests import error
from .keys import INSPECTOR


async def export_har(request: web.Request) -> web.Response:
    inspector: SharedState = request.app[INSPECTOR]
    wanted = request.query.get("ids")
    if wanted:
        try:
            ids = [int(part) for part in wanted.split(",") if part.strip()]
        except ValueError:
            return error(400, "ids must be comma-separated integers")
        records = [r for r in (inspector.store.get(i) for i in ids) if r is not None]
    else:
        records = list(records_after(inspector.store, 0))
    mask = request.query.get("mask", "").lower() in ("1", "true", "yes")
    headers = {"Content-Disposition": 'attachment; filename="webhook-inspector.har"'}
    return web.json_response(har(records, mask), headers=headers)


def add_routes(app: web.Application) -> None:
    app.router.add_get("/api/export.har", export_har)
