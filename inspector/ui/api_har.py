"""`GET /api/export.har`: the stored requests, with their answers, as HAR 1.2."""

from __future__ import annotations

import time
from collections.abc import Iterator

from aiohttp import web

from ..captured import CapturedRequest
from ..export import har_document
from ..query.evaluate import examine
from ..state import SharedState
from ..steps import turns
from ..store.protocol import gathered, search_sliced
from .api_requests import error, query_param
from .judging import judged_in_detail
from .keys import INSPECTOR


async def export_har(request: web.Request) -> web.StreamResponse:
    """The stored requests, those of `ids`, or the matches of `q` (both: the matches among
    the ids)."""
    inspector: SharedState = request.app[INSPECTOR]
    query = query_param(request)
    if isinstance(query, web.Response):
        return query
    now = time.time()
    wanted = request.query.get("ids")
    if wanted:
        try:
            ids = [int(part) for part in wanted.split(",") if part.strip()]
        except ValueError:
            return error(400, "ids must be comma-separated integers")
        given = [r for r in (inspector.store.get(i) for i in ids) if r is not None]
        records = await gathered(examine(given, query, now, inspector.judge))
    else:
        records = await search_sliced(inspector.store, query, now)
    mask = request.query.get("mask", "").lower() in ("1", "true", "yes")
    response = web.StreamResponse(headers={
        "Content-Type": "application/json",
        "Content-Disposition": 'attachment; filename="webhook-inspector.har"'})
    await response.prepare(request)
    handed = 0  # how many records the document has taken

    def each() -> Iterator[CapturedRequest]:
        nonlocal handed
        for record in records:
            handed += 1
            yield record

    async for piece in turns(har_document(each(), mask, inspector.judge)):
        if piece is not None:
            await response.write(piece)
        if handed < len(records):  # its entry, made next, reads its verdict
            await judged_in_detail(records[handed], inspector.judge)
    await response.write_eof()
    return response


def add_routes(app: web.Application) -> None:
    app.router.add_get("/api/export.har", export_har)
