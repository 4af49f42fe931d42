"""`webhook-inspector [serve]`: both listeners in one process until SIGINT/SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import signal
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from aiohttp import web

from ..client import Client
from ..config import Address, Config, find_config_file, load
from ..conformance.judged import Judge
from ..conformance.loading import catalogue_for
from ..hooks import create_hooks
from ..hooks.server import HooksServer
from ..outbound import client_session
from ..routing import compile_routes
from ..signatures import names
from ..state import SharedState
from ..store import StoreError, open_store
from ..ui.app import create_ui_app
from ..urls import password_hidden

SHUTDOWN_TIMEOUT_S = 3.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--hook", metavar="[HOST:]PORT", help="webhooks listener (127.0.0.1:9000)")
    parser.add_argument("--ui", metavar="[HOST:]PORT", help="inspector listener (127.0.0.1:9001)")
    parser.add_argument("--config", metavar="FILE", help="TOML config (default ./inspector.toml)")
    parser.add_argument("--secret", action="append", metavar="PROVIDER=VALUE",
                        help="a signing secret; VALUE may be env:NAME (repeatable)")
    parser.add_argument("--forward", metavar="URL", help="pass every request on to this app")
    parser.add_argument("--forward-timeout", type=float, metavar="SECONDS",
                        help="how long the app may take before the sender gets 504 (10); "
                             "replays wait as long")
    parser.add_argument("--route", action="append", metavar="'QUERY => URL'",
                        help="requests the query finds go to URL, or `drop` (repeatable; "
                             "checked in order, before --forward)")
    parser.add_argument("--max-held", type=int, metavar="N",
                        help="requests a hold route keeps while its app is down (1000)")
    parser.add_argument("--max-requests", type=int, metavar="N", help="requests kept (1000)")
    parser.add_argument("--max-bytes", metavar="SIZE", help="body bytes kept (256MiB)")
    parser.add_argument("--max-body", metavar="SIZE", help="largest body accepted (10MiB)")
    parser.add_argument("--status", metavar="CODE", help="status of the default answer (200)")
    parser.add_argument("--response-body", metavar="TEXT", help="body of the default answer")
    parser.add_argument("--delay", type=float, metavar="SECONDS", help="delay before answering")
    parser.add_argument("--ui-token", metavar="TOKEN", help="required for a non-loopback --ui")
    parser.add_argument("--store", metavar="URL",
                        help="history: memory (default), sqlite:PATH or redis://HOST:PORT/DB")
    parser.add_argument("--max-inflight", metavar="SIZE",
                        help="body bytes still arriving, over all senders (64MiB)")
    parser.add_argument("--schemas", action="append", metavar="PATH",
                        help="a JSON Schema file payloads are checked against (repeatable)")
    parser.add_argument("--no-conformance", action="store_true",
                        help="do not check payloads against their documented schemas")


def run(args: argparse.Namespace, out: TextIO) -> int:
    config = load(vars(args), os.environ, Path.cwd(), names())
    judge = Judge(None if args.no_conformance else catalogue_for(config.schemas))
    compile_routes(config.all_routes, judge)  # a match that does not parse: one line, exit 2
    return asyncio.run(serve(config, out, config_file=find_config_file(args.config, Path.cwd()),
                             judge=judge))


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


async def serve(config: Config, out: TextIO = sys.stdout, err: TextIO = sys.stderr,
                config_file: Path | None = None, judge: Judge | None = None) -> int:
    try:
        store = await open_store(config.store, config.max_requests, config.max_bytes,
                                 os.environ, err)
    except StoreError as error:
        print(f"webhook-inspector: {error}", file=err, flush=True)
        return 2
    inspector = SharedState(config, store=store, judge=judge)
    await inspector.verify_again_if_secrets_changed()
    try:
        async with client_session() as session:
            return await run_listeners(inspector, session, out, err, config_file)
    finally:
        await store.close()


async def run_listeners(inspector: SharedState, session: Client, out: TextIO,
                        err: TextIO, config_file: Path | None = None) -> int:
    config = inspector.config
    hooks = create_hooks(inspector, session)
    ui = web.AppRunner(create_ui_app(inspector), access_log=None,
                       shutdown_timeout=SHUTDOWN_TIMEOUT_S)
    try:
        hook_url = inspector.hook_url = await start_hooks(hooks, config.hook)
        ui_url = await start_ui(ui, config.ui)
    except ListenError as error:
        print(f"webhook-inspector: {error}", file=err, flush=True)
        await hooks.close(0)
        return 2
    settle_memory()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    port = hook_url.rsplit(":", 1)[1]
    print(f"Webhooks  {hook_url}\nInspector {ui_url}", file=out, flush=True)
    print(f"Public URL: run `ngrok http {port}` and point your provider at it", file=out,
          flush=True)
    if store_note := history_note(inspector.store.engine, config.store, len(inspector.store)):
        print(store_note, file=out, flush=True)
    print(configuration_note(config_file, [s.provider for s in inspector.secrets]), file=out,
          flush=True)
    try:
        await stop.wait()
    finally:
        await ui.cleanup()
        await hooks.close(SHUTDOWN_TIMEOUT_S)
    return 0


def settle_memory() -> None:
    """What the process holds once it serves (modules, the loaded history: some 60,000
    objects) is set apart from the garbage collector: a full collection over it held the
    loop, and so capture, 25-60 ms (SPEC 3); afterwards one scans only what came since."""
    gc.collect()
    gc.freeze()


def history_note(engine: str, url: str, stored: int) -> str:
    if engine == "memory":
        return "History: in memory, gone when this process ends (--store sqlite:FILE keeps it)"
    return f"History: {password_hidden(url)} ({stored} stored)"


def configuration_note(config_file: Path | None, providers: Sequence[str]) -> str:
    """Which config file is read and which providers have secrets: names only, never a
    value nor anything computed from one."""
    source = f"Config: {config_file}" if config_file else "Config: none (flags only)"
    counts = Counter(providers)
    if not counts:
        return f"{source}\nSecrets: none (--secret PROVIDER=VALUE verifies a provider)"
    named = ", ".join(name if n == 1 else f"{name} ({n})" for name, n in counts.items())
    return f"{source}\nSecrets: {named} (values never shown)"
