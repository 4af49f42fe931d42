"""The baseline: a bare aiohttp catch-all that reads the body and answers a small JSON object."""

from __future__ import annotations

import asyncio
import contextlib
import sys

from aiohttp import web


async def handle(request: web.Request) -> web.Response:
    await request.read()
    return web.json_response({"ok": True})


async def serve(port: int) -> None:
    """Says "ready" once it listens (an `on_startup` hook runs before the site does, and a load
    that started then was refused: run.py's warm-up failed now and then)."""
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    print("ready", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


def main() -> None:
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(port))


if __name__ == "__main__":
    main()
