"""The baseline: a bare aiohttp catch-all that reads the body and answers a small JSON object."""

from __future__ import annotations

import sys

from aiohttp import web


async def handle(request: web.Request) -> web.Response:
    await request.read()
    return web.json_response({"ok": True})


def main() -> None:
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0

    async def announce(app: web.Application) -> None:
        print("ready", flush=True)

    app.on_startup.append(announce)
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None)


if __name__ == "__main__":
    main()
