"""The only code that reads an aiohttp request: it turns one into a plain CapturedRequest."""

from __future__ import annotations

from aiohttp import web

from .models import CapturedRequest, encode_header_block


async def read_body(request: web.BaseRequest, limit: int) -> tuple[bytes | None, int]:
    """The body bytes and their size, or (None, size seen) once the body exceeds `limit`."""
    declared = request.content_length
    if declared is not None and declared > limit:
        return None, declared
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.content.iter_any():
        size += len(chunk)
        if size > limit:
            return None, size
        chunks.append(chunk)
    body = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    return body, size


def snapshot(request: web.BaseRequest, request_id: int, received_at: float,
             body: bytes, body_size: int, error: str | None) -> CapturedRequest:
    target = request.raw_path
    path, _, query = target.partition("?")
    version = request.version
    return CapturedRequest(
        id=request_id,
        received_at=received_at,
        method=request.method,
        path=path,
        query=query,
        http_version=f"HTTP/{version.major}.{version.minor}",
        remote=request.remote,
        header_block=encode_header_block(request.raw_headers),
        body=body,
        body_size=body_size,
        error=error,
    )
