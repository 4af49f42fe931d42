"""The only code that reads an aiohttp request: it turns one into plain values."""

from __future__ import annotations

import asyncio
from typing import Any, NamedTuple

import aiohttp
from aiohttp import HttpVersion10, HttpVersion11, web

from .models import CapturedRequest, encode_header_block
from .signatures import shared

BODY_TIMEOUT_S = 60.0  # a body still trickling in after this is recorded as incomplete
_VERSIONS = {HttpVersion11: "HTTP/1.1", HttpVersion10: "HTTP/1.0"}


class Body(NamedTuple):
    data: bytes
    size: int
    error: str | None  # "body too large" (data dropped), or why it stopped short


async def read_body(request: web.BaseRequest, limit: int) -> Body:
    """The body bytes as they came; a body over `limit` is dropped, a broken one kept in part."""
    declared = request.content_length
    if declared is not None and declared > limit:
        return Body(b"", declared, "body too large")
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(BODY_TIMEOUT_S):
            while chunk := await request.content.readany():
                size += len(chunk)
                if size > limit:
                    return Body(b"", size, "body too large")
                chunks.append(chunk)
    except (OSError, aiohttp.ClientError, web.HTTPException, ValueError) as problem:
        expected = f" of {declared} declared" if declared is not None else ""
        reason = str(problem) or type(problem).__name__
        return Body(b"".join(chunks), size, f"body incomplete after {size} bytes{expected}: "
                                            f"{reason}")
    return Body(chunks[0] if len(chunks) == 1 else b"".join(chunks), size, None)


class Arrival(NamedTuple):
    """A request as it arrived, before anything is learnt about it (cheap: a tuple)."""

    received_at: float
    method: str
    path: str
    query: str
    http_version: str
    remote: str | None
    header_block: bytes
    body: bytes
    body_size: int

    def record(self, request_id: int, **learnt: Any) -> CapturedRequest:
        """The stored value, built once with everything known about the request."""
        return CapturedRequest(request_id, *self, **learnt)


def arrival(request: web.BaseRequest, received_at: float, body: bytes,
            body_size: int) -> Arrival:
    path, _, query = request.raw_path.partition("?")
    version = request.version
    remote = request.remote
    return Arrival(received_at, request.method, shared(path), query,
                   _VERSIONS.get(version) or f"HTTP/{version.major}.{version.minor}",
                   shared(remote) if remote else None, encode_header_block(request.raw_headers),
                   body, body_size)
