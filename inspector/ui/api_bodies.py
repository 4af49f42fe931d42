"""`GET /api/requests/ID/parts/N`: one part of a multipart body, as a sandboxed download."""

from __future__ import annotations

from aiohttp import web

from ..bodies import Part, multipart_parts, readable
from ..captured import CapturedRequest
from ..pieces import Rope
from ..steps import Steps, sliced
from .api_requests import error, find
from .downloads import sandboxed_download


async def get_part(request: web.Request) -> web.Response:
    record = find(request)
    if isinstance(record, web.Response):
        return record
    index = int(request.match_info["index"])
    view, parts = await sliced(_parts_of(record))
    if parts is None:
        return error(404, f"request {record.id} has no multipart body")
    if index >= len(parts):
        return error(404, f"request {record.id} has {len(parts)} part(s): no part {index}")
    part = parts[index]
    return sandboxed_download(view.slice(part.start, part.end), part.content_type,
                              f"request-{record.id}-part-{index}")


def _parts_of(record: CapturedRequest) -> Steps[tuple[Rope, list[Part] | None]]:
    _, view = yield from readable(record.body, record.headers)
    return view, (yield from multipart_parts(view, record.content_type))


def add_routes(app: web.Application) -> None:
    app.router.add_get(r"/api/requests/{id:\d+}/parts/{index:\d+}", get_part)
