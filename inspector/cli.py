"""Command line: the argparse tree and dispatch; each subcommand lives in `commands/`."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import NoReturn

from . import __version__
from .commands import check, events, import_har, providers, replay, send, serve, tail, verify
from .config import ConfigError

PROG = "webhook-inspector"

COMMANDS: dict[str, tuple[ModuleType, str]] = {
    "serve": (serve, "run both listeners (the default command)"),
    "tail": (tail, "live stream of requests in the terminal"),
    "providers": (providers, "the signature schemes it knows"),
    "verify": (verify, "one verdict, offline"),
    "check": (check, "does a payload match what its provider documents, offline"),
    "replay": (replay, "replay a stored request"),
    "import": (import_har, "load requests from a HAR file into the history"),
    "send": (send, "act as the provider: a signed sample event"),
    "events": (events, "the sample events `send` knows"),
}


# Shown after --help; each line after a `webhook-inspector` parses (tests/test_cli_help.py).
EXAMPLES = f"""\
examples:
  {PROG} --secret stripe=env:STRIPE_WEBHOOK_SECRET
      capture on :9000, inspect at http://127.0.0.1:9001, Stripe's signatures verified
  {PROG} --forward http://localhost:3000 --store sqlite:hooks.db
      pass every request on to your app; the history survives a restart
  {PROG} tail --filter 'provider:stripe -sig:valid'
      in another terminal: the Stripe requests whose signature does not verify
  {PROG} replay 12 --to 127.0.0.1:3000 --resign
      send request #12 to your app again, signed anew
  {PROG} send github push --to http://127.0.0.1:9000/webhooks/github --retry
      act as GitHub: a signed sample push, retried as GitHub retries
  {PROG} import session.har
      load what browser DevTools recorded into the history
"""


class Parser(argparse.ArgumentParser):
    """Errors are one line on stderr and exit 2, never a usage dump."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{PROG}: {message} (see `{PROG} --help`)\n")


def fail(message: str) -> NoReturn:
    print(f"{PROG}: {message}", file=sys.stderr, flush=True)
    raise SystemExit(2)


def build_parser() -> Parser:
    """Serve is the default command, so its options are the top level's too (and in --help)."""
    parser = Parser(prog=PROG, description="A local webhook inspector. Without a command, it "
                    "serves: the options below are serve's.", epilog=EXAMPLES,
                    formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    serve.add_arguments(parser)
    commands = parser.add_subparsers(dest="command", parser_class=Parser, title="commands")
    for name, (module, summary) in COMMANDS.items():
        module.add_arguments(commands.add_parser(name, help=summary, description=summary))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    module, _ = COMMANDS[args.command or "serve"]
    try:
        code: int = module.run(args, sys.stdout)
        sys.stdout.flush()
        return code
    except ConfigError as error:  # bad input: one line on stderr, exit 2
        fail(str(error))
    except BrokenPipeError:  # the reader left (`events | head`): not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
