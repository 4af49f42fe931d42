"""Running both listeners in one process until SIGINT/SIGTERM."""

from __future__ import annotations

import asyncio
import signal
import sys
from typing import TextIO

from aiohttp import web

from .config import Address, Config
from .core import Inspector
from .web.hooks_app import HooksListener, create_hooks_server
from .web.ui_app import create_ui_app

SHUTDOWN_TIMEOUT_S = 3.0


class ListenError(Exception):
    """A listener could not be bound; the message names the flag."""


def url_of(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


async def start_listener(runner: web.BaseRunner, address: Address, flag: str) -> tuple[
        web.BaseRunner, str]:
    await runner.setup()
    site = web.TCPSite(runner, address.host, address.port)
    try:
        await site.start()
    except OSError as error:
        await runner.cleanup()
        reason = error.strerror or str(error)
        raise ListenError(f"{flag} {address.host}:{address.port}: {reason}") from None
    host, port = runner.addresses[0][:2]
    return runner, url_of(host, port)


async def serve(config: Config, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    inspector = Inspector(config)
    listener = HooksListener(inspector)
    runners: list[web.BaseRunner] = []
    try:
        hooks = web.ServerRunner(create_hooks_server(listener), shutdown_timeout=SHUTDOWN_TIMEOUT_S)
        hook_runner, hook_url = await start_listener(hooks, config.hook, "--hook")
        runners.append(hook_runner)
        inspector.hook_url = hook_url
        ui = web.AppRunner(create_ui_app(inspector), access_log=None,
                           shutdown_timeout=SHUTDOWN_TIMEOUT_S)
        ui_runner, ui_url = await start_listener(ui, config.ui, "--ui")
        runners.append(ui_runner)
    except ListenError as error:
        print(f"webhook-inspector: {error}", file=err, flush=True)
        for runner in runners:
            await runner.cleanup()
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
        listener.stopping = True
        for runner in reversed(runners):
            await runner.cleanup()
        await listener.close()
    return 0
