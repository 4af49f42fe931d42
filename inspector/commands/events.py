"""`webhook-inspector events [PROVIDER]`: the sample events `send` knows."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from ..config import ConfigError
from ..conformance.loading import catalogue_for
from ..send.samples import EVENTS
from ..send.sender import nothing_to_send, sample
from ..signatures import get

SAMPLE_TIME = 1767225600.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("provider", nargs="?")
    parser.add_argument("event", nargs="?", help="one event: its sample, or with --schema its "
                        "schema")
    parser.add_argument("--schema", action="store_true",
                        help="print the event's documented schema (JSON Schema 2020-12)")


def run(args: argparse.Namespace, out: TextIO) -> int:
    provider: str | None = args.provider
    if args.schema:
        print(schema_text(provider, args.event), file=out)
        return 0
    if provider is None:
        for name, events in EVENTS.items():
            print(f"{name:<18} {', '.join(events)}", file=out)
        return 0
    scheme = get(provider)
    if scheme is None or scheme.name not in EVENTS:
        raise ConfigError(nothing_to_send(provider, scheme))
    known = EVENTS[scheme.name]
    if args.event is not None and args.event not in known:
        raise ConfigError(f"no sample event {args.event!r} for {scheme.name} (known: "
                          f"{', '.join(known)})")
    for event in [args.event] if args.event else known:
        _, payload = sample(scheme.name, event, SAMPLE_TIME, "msg_1")
        print(f"# {event}\n{json.dumps(payload, indent=2)}\n", file=out)
    return 0


def schema_text(provider: str | None, event: str | None) -> str:
    """The schema in a bundled schema file's shape (provider, event, source, version,
    conflicts, schema)."""
    catalogue = catalogue_for(())
    if provider is None or event is None:
        raise ConfigError("--schema: name the provider and the event")
    scheme = get(provider)
    name = scheme.name if scheme else provider
    found = catalogue.find(name, event)
    if found is None:
        documented = ", ".join(catalogue.events(name)) or "none"
        raise ConfigError(f"--schema: no schema for {provider} {event} (documented: "
                          f"{documented})")
    return json.dumps({"provider": found.provider, "event": found.event,
                       "source": found.source, "version": found.version,
                       "conflicts": dict(found.conflicts), "schema": found.document}, indent=2)
