"""`POST /api/import`: a HAR 1.2 document's requests into the history, marked as imported.

Each entry goes through the pipeline a captured request goes through (analysis with the
configured secrets as of the HAR's time, then the store), but never through the answers:
an import consumes no rule. The whole document is checked before anything is stored, so a
document that is refused changes nothing; what is kept meanwhile is the requests taken
(bounded by --max-bytes and --max-requests), never the document.
"""

from __future__ import annotations

from aiohttp import web

from ..har_import import HarReader, Imported, Limits
from ..har_text import HarError
from ..state import SharedState
from ..steps import sliced, turns
from ..store.protocol import StoreBusy
from .api_requests import error, kept, unavailable
from .keys import INSPECTOR

# A HAR also carries the answers, base64 and JSON escapes: room for twice what the history
# keeps. It is read one entry at a time, never held whole: this bounds the time it takes.
MAX_DOCUMENT = 128 * 1024 * 1024


def document_limit(inspector: SharedState) -> int:
    return min(2 * inspector.config.max_bytes, MAX_DOCUMENT)


async def read_requests(request: web.Request, limits: Limits) -> list[Imported] | web.Response:
    """The document's requests, each read and checked as its bytes arrive, in slices beside
    capture (SPEC 3); a 413 as soon as it is larger than allowed, a 400 for what is not
    imported."""
    too_large = error(413, f"the HAR document exceeds {limits.max_document} bytes")
    if request.content_length is not None and request.content_length > limits.max_document:
        return too_large
    reader, found, size = HarReader(limits), [], 0
    refused: HarError | None = None
    async for piece in request.content.iter_chunked(64 * 1024):
        size += len(piece)
        if size > limits.max_document:
            return too_large
        if refused is None:  # once refused, the rest is read and dropped: a client still
            try:             # sending would see its connection reset, and never why
                found += await sliced(reader.feed(piece))
            except HarError as fault:
                refused = fault
    try:
        found += await sliced(reader.finish()) if refused is None else []
    except HarError as fault:
        refused = fault
    return found if refused is None else error(400, str(refused))


async def store(inspector: SharedState, entry: Imported) -> int | None:
    """The id the imported request was given (None while a shared store is away)."""
    learnt, dedupe_key = inspector.analyze(entry.arrival)
    learnt["imported"] = True
    if entry.note is not None:
        learnt["error"] = entry.note
    stored = inspector.capture(entry.arrival, learnt, dedupe_key, entry.response, False)
    record = stored.record or await stored.kept()  # given now, or once a shared store wrote it
    return record.id if record is not None else None


async def import_har(request: web.Request) -> web.Response:
    inspector: SharedState = request.app[INSPECTOR]
    config = inspector.config
    found = await read_requests(request, Limits(
        config.max_body, config.max_requests, config.max_bytes, document_limit(inspector)))
    if isinstance(found, web.Response):
        return found
    ids: list[int | None] = []
    try:
        async for entry in turns(found):
            ids.append(await store(inspector, entry))
    except StoreBusy as busy:
        return unavailable(f"{busy}: {len(ids)} of {len(found)} imported", ids=ids)
    return await kept(inspector, web.json_response({"imported": len(ids), "ids": ids}))


def add_routes(app: web.Application) -> None:
    app.router.add_post("/api/import", import_har)
