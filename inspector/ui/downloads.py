"""The one answer every captured body is downloaded in (`/raw`, a multipart part)."""

from __future__ import annotations

from aiohttp import web

from ..bodies import download_name


def sandboxed_download(body: bytes, content_type: str | None, stem: str) -> web.Response:
    """Captured bytes are attacker-controlled: never let the browser run them on this origin."""
    if not content_type or not (content_type.isascii() and content_type.isprintable()):
        content_type = None  # a type that cannot be a header value is no type
    return web.Response(body=body, headers={
        "Content-Type": content_type or "application/octet-stream",
        "Content-Disposition": f'attachment; filename="{download_name(stem, content_type)}"',
        "Content-Security-Policy": "sandbox; default-src 'none'",
        "X-Content-Type-Options": "nosniff",
    })
