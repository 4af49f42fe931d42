"""Argument types shared by the subcommands: each value is checked when the command line is
parsed, so that a bad one is one line naming its flag (exit 2), never a traceback later."""

from __future__ import annotations

import argparse
import math

from ..config import ConfigError, http_url_problem, seconds

# What an HTTP header value may carry unchanged and urllib may send: visible ASCII.
_TOKEN_CHARACTERS = frozenset(chr(code) for code in range(0x21, 0x7F))


def http_url(text: str) -> str:
    """An absolute http(s) URL a request can be sent to (`send --to`, `replay --to`,
    `verify --url`), as given."""
    if (problem := http_url_problem(text)) is not None:
        raise argparse.ArgumentTypeError(f"bad URL {text!r} ({problem})")
    return text


def address_url(text: str) -> str:
    """An http(s) URL, where `HOST:PORT[/path]` without a scheme is taken as `http://`
    (`replay --to 127.0.0.1:3000`, as `--ui`)."""
    given = text.strip()
    return http_url(given if "://" in given else "http://" + given)


def inspector_url(text: str) -> str:
    """The inspector's URL (`--ui`), `http://` when no scheme is given, without a trailing /."""
    return address_url(text.strip().rstrip("/"))


def bearer_token(text: str) -> str:
    """A token to send as `Authorization: Bearer TOKEN` (never echoed: it is a secret)."""
    if not text or not set(text) <= _TOKEN_CHARACTERS:
        raise argparse.ArgumentTypeError("the token must be visible ASCII characters (no "
                                         "spaces, line breaks or other controls)")
    return text


def finite_number(text: str) -> float:
    number = float(text)  # a ValueError is argparse's "invalid finite_number value"
    if not math.isfinite(number):
        raise argparse.ArgumentTypeError(f"expected a finite number, got {text!r}")
    return number


def scale(text: str) -> float:
    """A factor of time (`send --time-scale`): finite, 0 or more."""
    number = finite_number(text)
    if number < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or more, got {text!r}")
    return number


def parse_options(values: list[str]) -> dict[str, object]:
    """`--option KEY=VALUE`s (`verify`, `send`): a generic hmac secret's options."""
    options: dict[str, object] = {}
    for value in values:
        name, sep, content = value.partition("=")
        if not sep:
            raise ConfigError(f"--option: expected KEY=VALUE, got {value!r}")
        options[name.strip()] = tolerance(content) if name.strip() == "tolerance_s" else content
    return options


def tolerance(text: str) -> float:
    try:
        return seconds(float(text), "--option tolerance_s")
    except ValueError:
        raise ConfigError(f"--option tolerance_s: expected seconds, got {text!r}") from None
