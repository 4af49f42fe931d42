"""Running both listeners in one process until SIGINT/SIGTERM."""

from __future__ import annotations

import asyncio
import signal
import sys
from typing import TextIO

from aiohttp import web

from ..config import Address, Config
from ..hooks.receiver import HooksListener
from ..hooks.server import HooksServer
from ..state import Inspector
from ..ui.app import create_ui_app

SHUTDOWN_TIMEOUT_S = 3.0


class ListenError(Exception):
    """A listener could not be bound; the message names the flag."""


def url_of(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def cannot_listen(error: OSError, address: Address, flag: str) -> ListenError:
    reason = error.strerror or str(error)
    return ListenError(f"{flag} {address.host}:{address.port}: {reason}")


async def start_hooks(server: HooksServer, address: Address) -> str:
    try:
        host, port = await server.start(address.host, address.port)
    except OSError as error:
        raise cannot_listen(error, address, "--hook") from None
    return url_of(host, port)


async def start_ui(runner: web.AppRunner, address: Address) -> str:
    await runner.setup()
    site = web.TCPSite(runner, address.host, address.port)
    try:
        await site.start()
    except OSError as error:
        await runner.cleanup()
        raise cannot_listen(error, address, "--ui") from None
    host, port = runner.addresses[0][:2]
    return url_of(host, port)


async def serve(config: Config, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    inspector = Inspector(config)
    listener = HooksListener(inspector)
    hooks = HooksServer(listener)
    ui = web.AppRunner(create_ui_app(inspector), access_log=None,
                       shutdown_timeout=SHUTDOWN_TIMEOUT_S)
    try:
        hook_url = inspector.hook_url = await start_hooks(hooks, config.hook)
        ui_url = await start_ui(ui, config.ui)
    except ListenError as error:
        print(f"webhook-inspector: {error}", file=err, flush=True)
        await hooks.close(0)
        await listener.close()
        return 2
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    port = hook_url.rsplit(":", 1)[1]
    print(f"Webhooks  {hook_url}\nInspector {ui_url}", file=out, flush=True)
    print(f"Public URL: run `ngrok http {port}` and point your provider at it", file=out,
          flush=True)
    try:
        await stop.wait()
    finally:
        await ui.cleanup()
        await hooks.close(SHUTDOWN_TIMEOUT_S)
        await listener.close()
    return 0
