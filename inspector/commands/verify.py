"""`webhook-inspector verify`: one verdict, offline."""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path
from typing import TextIO

from ..config import ConfigError, resolve_secret
from ..signatures import Delivery, Headers, Key, check, discover, get
from .arguments import finite_number, http_url, parse_options


def read_body(value: str | None) -> bytes:
    if value is None:
        return b""
    if value.startswith("@"):
        try:
            return Path(value[1:]).read_bytes()
        except OSError as error:
            raise ConfigError(f"--body: cannot read {value[1:]}: {error.strerror}") from None
    return value.encode()


def parse_headers(values: list[str]) -> Headers:
    pairs = []
    for value in values:
        name, sep, content = value.partition(":")
        if not sep or not name.strip():
            raise ConfigError(f"--header: expected 'Name: value', got {value!r}")
        pairs.append((name.strip(), content.strip()))
    return Headers(pairs)


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Exit 0 when valid (or, for discover, when something matched), else 1."""
    secret = resolve_secret(args.secret, os.environ, "--secret")
    delivery = Delivery(args.method, args.url, parse_headers(args.header or []),
                        read_body(args.body))
    if args.provider == "discover":
        found = discover(delivery, secret)
        for match in found.matches:
            print(f"# {match.header}\n{match.toml()}\n", file=out)
        print(found.summary(), file=out)
        return 0 if found.matches else 1
    scheme = get(args.provider)
    if scheme is None:
        raise ConfigError(f"unknown provider {args.provider!r} (see `webhook-inspector providers`)")
    now = args.at if args.at is not None else time.time()
    result = check(scheme, delivery, Key(secret, parse_options(args.option or [])), now)
    print(f"{result.status}: {result.reason}", file=out)
    return 0 if result.status == "valid" else 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("provider", help="a provider name, or `discover`")
    parser.add_argument("--secret", required=True, help="the secret or public key (or env:NAME)")
    parser.add_argument("--header", action="append", metavar="'Name: value'")
    parser.add_argument("--body", metavar="@FILE|TEXT")
    parser.add_argument("--url", default="http://localhost/", type=http_url,
                        help="the URL the provider signed")
    parser.add_argument("--method", default="POST")
    parser.add_argument("--at", type=finite_number, metavar="UNIX_SECONDS",
                        help="evaluate at this time")
    parser.add_argument("--option", action="append", metavar="KEY=VALUE",
                        help="options of the generic hmac scheme (header=…, payload=…)")
