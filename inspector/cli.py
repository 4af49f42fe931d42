"""Command line: serve (the default), tail, and the other subcommands."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from .commands.replay import add_replay_arguments, run_replay
from .commands.send import add_send_arguments, print_events, run_send
from .commands.serve import serve
from .commands.tail import Tail
from .commands.verify import add_verify_arguments, print_providers, run_verify
from .config import ConfigError, load
from .signatures import names

PROG = "webhook-inspector"
DEFAULT_UI_URL = "http://127.0.0.1:9001"


class Parser(argparse.ArgumentParser):
    """Errors are one line on stderr and exit 2, never a usage dump."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{PROG}: {message} (see `{PROG} --help`)\n")


def fail(message: str) -> NoReturn:
    print(f"{PROG}: {message}", file=sys.stderr, flush=True)
    raise SystemExit(2)


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--hook", metavar="[HOST:]PORT", help="webhooks listener (127.0.0.1:9000)")
    parser.add_argument("--ui", metavar="[HOST:]PORT", help="inspector listener (127.0.0.1:9001)")
    parser.add_argument("--config", metavar="FILE", help="TOML config (default ./inspector.toml)")
    parser.add_argument("--secret", action="append", metavar="PROVIDER=VALUE",
                        help="a signing secret; VALUE may be env:NAME (repeatable)")
    parser.add_argument("--forward", metavar="URL", help="pass every request on to this app")
    parser.add_argument("--forward-timeout", type=float, metavar="SECONDS")
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


def build_parser() -> Parser:
    parser = Parser(prog=PROG, description="A local webhook inspector.")
    commands = parser.add_subparsers(dest="command", parser_class=Parser)
    add_serve_arguments(commands.add_parser("serve", help="run both listeners (the default)"))
    tail = commands.add_parser("tail", help="live stream of requests in the terminal")
    tail.add_argument("--ui", default=DEFAULT_UI_URL, metavar="URL")
    tail.add_argument("--json", action="store_true", help="one SUMMARY JSON object per line")
    tail.add_argument("--token", metavar="TOKEN", help="the server's --ui-token, if it has one")
    commands.add_parser("providers", help="the signature schemes it knows")
    add_verify_arguments(commands.add_parser("verify", help="one verdict, offline"))
    add_replay_arguments(commands.add_parser("replay", help="replay a stored request"),
                         DEFAULT_UI_URL)
    add_send_arguments(commands.add_parser("send", help="act as the provider: a signed sample"))
    events = commands.add_parser("events", help="the sample events `send` knows")
    events.add_argument("provider", nargs="?")
    return parser


def run_serve(args: argparse.Namespace, out: TextIO) -> int:
    config = load(vars(args), os.environ, Path.cwd(), names())
    return asyncio.run(serve(config, out))


def run_tail(args: argparse.Namespace, out: TextIO) -> int:
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(Tail(args.ui, args.json, out, args.token).run())
    return 0


def run_providers(args: argparse.Namespace, out: TextIO) -> int:
    return print_providers(out)


def run_events(args: argparse.Namespace, out: TextIO) -> int:
    return print_events(args.provider, out)


COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    "serve": run_serve,
    "tail": run_tail,
    "providers": run_providers,
    "verify": run_verify,
    "replay": run_replay,
    "send": run_send,
    "events": run_events,
}


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments or (arguments[0] not in COMMANDS and arguments[0] not in ("-h", "--help")):
        arguments.insert(0, "serve")
    args = build_parser().parse_args(arguments)
    try:
        return COMMANDS[args.command](args, sys.stdout)
    except ConfigError as error:  # bad input: one line on stderr, exit 2
        fail(str(error))
