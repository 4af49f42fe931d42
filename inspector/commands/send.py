"""`webhook-inspector send`: act as the provider, a signed sample event and its retries."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from pathlib import Path
from typing import Any, TextIO

from ..config import ConfigError, resolve_secret
from ..outbound import client_session
from ..send.policies import POLICIES
from ..send.samples import EVENTS
from ..send.sender import Attempt, SendError, deliver, nothing_to_send, plan_delivery
from ..send.signing_keys import signing_key
from ..signatures import Scheme, get, options_error
from .arguments import http_url, parse_options, scale


def read_data(value: str | None) -> Any:
    if value is None:
        return None
    text = value
    if value.startswith("@"):
        try:
            text = Path(value[1:]).read_text("utf-8")
        except OSError as error:
            raise ConfigError(f"--data: cannot read {value[1:]}: {error.strerror}") from None
    try:
        return json.loads(text)
    except ValueError as error:
        raise ConfigError(f"--data: not JSON: {error}") from None
    except RecursionError:
        raise ConfigError("--data: JSON nested too deeply") from None


def show(out: TextIO) -> Any:
    def report(attempt: Attempt, wait: float | None) -> None:
        outcome = str(attempt.status) if attempt.status is not None else attempt.error
        line = f"attempt {attempt.number}: {outcome} in {attempt.duration_ms:.1f} ms"
        if attempt.excerpt:
            line += f" · {attempt.excerpt}"
        if wait is not None:
            line += f" · retrying in {wait:g} s"
        print(line, file=out, flush=True)
    return report


async def send(args: argparse.Namespace, out: TextIO) -> int:
    scheme = get(args.provider)
    if scheme is None or scheme.name not in EVENTS:
        raise ConfigError(nothing_to_send(args.provider, scheme))
    secret = resolve_secret(args.secret, os.environ, "--secret") if args.secret else None
    key = signing_key(scheme, secret, generic_options(scheme, args.option))
    try:
        delivery = plan_delivery(scheme.name, args.event, args.to, read_data(args.data),
                                 time.time())
        signed = delivery.signed(key.signing, time.time())  # one that cannot sign says so now
    except SendError as error:
        raise ConfigError(str(error)) from None
    except NotImplementedError as error:
        raise ConfigError(str(error)) from None
    except ValueError as error:  # a key in the wrong format: not hex, not PEM, …
        raise ConfigError(unusable_key(scheme.name, secret or "", error)) from None
    policy = POLICIES[scheme.name]
    delivery_id = delivery.identified_id(signed)
    named = f" (delivery {delivery_id})" if delivery_id else ""
    print(f"sending {scheme.name} {delivery.event}{named} to {args.to}\n"
          f"signed with {key.description}", file=out, flush=True)
    if args.retry:
        print(f"retry policy: {policy.source}", file=out, flush=True)
    async with client_session() as session:
        attempts = await deliver(session, delivery, key.signing, policy, args.retry,
                                 args.time_scale,
                                 report=show(out))
    delivered = attempts[-1].delivered
    print(f"delivered on attempt {len(attempts)}" if delivered else
          f"not delivered after {len(attempts)} attempt(s)", file=out, flush=True)
    return 0 if delivered else 1


def generic_options(scheme: Scheme, given: list[str] | None) -> dict[str, object] | None:
    """The generic hmac construction `--option` gives (SPEC 10), checked; None when none is."""
    if not given:
        return None
    if scheme.sending.published and not scheme.sending.options:
        raise ConfigError(f"--option: {scheme.name} signs by its own published scheme; options "
                          "describe a generic hmac construction (send hmac, or a provider whose "
                          "scheme is not published)")
    options = parse_options(given)
    if (problem := options_error(options)) is not None:
        raise ConfigError(f"--option: {problem}")
    if "query" in scheme.sending.options and "query" not in options:
        raise ConfigError(f"--option: {scheme.name} sends a link, signed in its query: give "
                          "query=NAME")
    return options


def unusable_key(provider: str, secret: str, error: ValueError) -> str:
    """Why --secret cannot sign, in the signing library's words unless they quote it."""
    first_sentence = str(error).split(". ")[0].splitlines()[0][:120]
    reason = first_sentence if secret not in first_sentence else ""
    return (f"--secret: not a {provider} signing key" + (f" ({reason})" if reason else "") +
            "; without --secret, send signs with a generated one")


def run(args: argparse.Namespace, out: TextIO) -> int:
    return asyncio.run(send(args, out))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("provider")
    parser.add_argument("event", nargs="?", help="default: the provider's first sample event")
    parser.add_argument("--to", required=True, type=http_url, metavar="URL",
                        help="where to deliver")
    parser.add_argument("--secret", metavar="S", help="signing secret (or env:NAME); "
                        "default: a generated test secret, printed")
    parser.add_argument("--data", metavar="JSON|@FILE", help="merged into the sample payload")
    parser.add_argument("--option", action="append", metavar="KEY=VALUE",
                        help="a generic hmac construction to sign with (header or query, "
                        "algorithm, encoding, prefix, payload, …, as a [[secrets]] entry of "
                        "provider \"hmac\" gives it): for hmac, and for a provider whose "
                        "scheme is not published (repeatable)")
    parser.add_argument("--retry", action="store_true", help="follow the provider's retry policy")
    parser.add_argument("--time-scale", type=scale, default=1.0, metavar="X",
                        help="multiply the retry waits (0.001 for local tests)")
