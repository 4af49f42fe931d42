"""The only code that reads an aiohttp request: it turns one into plain values."""

from __future__ import annotations

from typing import Any, NamedTuple

from aiohttp import HttpVersion10, HttpVersion11, web

from .models import CapturedRequest, encode_header_block

_VERSIONS = {HttpVersion11: "HTTP/1.1", HttpVersion10: "HTTP/1.0"}


async def read_body(request: web.BaseRequest, limit: int) -> tuple[bytes | None, int]:
    """The body bytes and their size, or (None, size seen) once the body exceeds `limit`."""
    declared = request.content_length
    if declared is not None and declared > limit:
        return None, declared
    if declared is not None:
        body = await request.read()  # the fast path; client_max_size is above the limit
        return body, len(body)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.content.iter_any():
        size += len(chunk)
        if size > limit:
            return None, size
        chunks.append(chunk)
    body = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    return body, size


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
    return Arrival(received_at, request.method, path, query,
                   _VERSIONS.get(version) or f"HTTP/{version.major}.{version.minor}",
                   request.remote, encode_header_block(request.raw_headers), body, body_size)
