"""`POST /api/import`: a HAR 1.2 document's requests into the history, marked as imported.

Each entry goes through the pipeline a captured request goes through (analysis with the
configured secrets as of the HAR's time, then the store), but never through the answers:
an import consumes no rule. The whole document is checked before anything is stored, so a
document that is refused changes nothing.
"""

from __future__ import annotations

from aiohttp import web

from ..har_import import HarError, Imported, Limits, entries
from ..models import CapturedRequest
from ..state import SharedState
from ..store.protocol import StoreBusy
from .api_requests import error, kept
from .keys import INSPECTOR

# A HAR also carries the answers, base64 and JSON escapes: room for twice what the history
# keeps, but never more than this in memory at once.
MAX_DOCUMENT = 128 * 1024 * 1024


def document_limit(inspector: SharedState) -> int:
    return min(2 * inspector.config.max_bytes, MAX_DOCUMENT)


async def read_document(request: web.Request, limit: int) -> bytes | web.Response:
    """The body, read a piece at a time so that an oversized one is refused early."""
    too_large = error(413, f"the HAR document exceeds {limit} bytes")
    if request.content_length is not None and request.content_length > limit:
        return too_large
    pieces, size = [], 0
    async for piece in request.content.iter_chunked(64 * 1024):
        size += len(piece)
        if size > limit:
            return too_large
        pieces.append(piece)
    return b"".join(pieces)


async def store(inspector: SharedState, entry: Imported) -> int | None:
    """The id the imported request was given (None while a shared store is away)."""
    learnt, dedupe_key = inspector.analyze(entry.arrival)
    learnt["imported"] = True
    if entry.note is not None:
        learnt["error"] = entry.note
    stored = inspector.capture(entry.arrival, learnt, dedupe_key, None, False)
    record = stored if isinstance(stored, CapturedRequest) else await stored
    return record.id if record is not None else None


async def import_har(request: web.Request) -> web.Response:
    inspector: SharedState = request.app[INSPECTOR]
    limit = document_limit(inspector)
    document = await read_document(request, limit)
    if isinstance(document, web.Response):
        return document
    config = inspector.config
    try:
        found = entries(document, Limits(config.max_body, config.max_requests,
                                         config.max_bytes, limit))
    except HarError as refused:
        return error(400, str(refused))
    ids: list[int | None] = []
    try:
        for entry in found:
            ids.append(await store(inspector, entry))
    except StoreBusy as busy:
        return web.json_response({"error": f"{busy}: {len(ids)} of {len(found)} imported",
                                  "ids": ids}, status=503, headers={"Retry-After": "1"})
    return await kept(inspector, web.json_response({"imported": len(ids), "ids": ids}))


def add_routes(app: web.Application) -> None:
    app.router.add_post("/api/import", import_har)
