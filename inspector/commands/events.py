"""`webhook-inspector events [PROVIDER]`: the sample events `send` knows."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from ..config import ConfigError
from ..send.samples import EVENTS
from ..send.sender import nothing_to_send, sample
from ..signatures import get

SAMPLE_TIME = 1767225600.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("provider", nargs="?")


def run(args: argparse.Namespace, out: TextIO) -> int:
    provider: str | None = args.provider
    if provider is None:
        for name, events in EVENTS.items():
            print(f"{name:<18} {', '.join(events)}", file=out)
        return 0
    scheme = get(provider)
    if scheme is None or scheme.name not in EVENTS:
        raise ConfigError(nothing_to_send(provider, scheme))
    for event in EVENTS[scheme.name]:
        _, payload = sample(scheme.name, event, SAMPLE_TIME, "msg_1")
        print(f"# {event}\n{json.dumps(payload, indent=2)}\n", file=out)
    return 0
