"""Pure parsers of one setting's value (sizes, addresses, statuses, URLs, seconds, tokens,
secrets from `env:`): each returns the value or raises a ConfigError naming `where`."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Mapping
from typing import Any

from ..outbound import Upstream
from .values import Address, ConfigError

_SIZE_UNITS = {"": 1, "b": 1, "kb": 1000, "kib": 1024, "mb": 1000**2, "mib": 1024**2,
               "gb": 1000**3, "gib": 1024**3}


def parse_address(text: str, where: str) -> Address:
    """`[HOST:]PORT`, with `[v6]:PORT` for IPv6 hosts."""
    host, port_text = "127.0.0.1", text
    match = re.fullmatch(r"\[([^\]]+)\]:(\d+)|([^:\[\]]+):(\d+)|(\d+)", text.strip())
    if match is None:
        raise ConfigError(f"{where}: bad address {text!r} (expected [HOST:]PORT)")
    host = match.group(1) or match.group(3) or host
    port_text = match.group(2) or match.group(4) or match.group(5)
    port = int(port_text)
    if port > 65535:
        raise ConfigError(f"{where}: port {port} out of range 0-65535")
    return Address(host, port)


def parse_size(value: object, where: str) -> int:
    """Bytes from `10MiB`, `512KiB`, `1000` or an integer."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", str(value))
    unit = match.group(2).lower() if match else ""
    if match is None or unit not in _SIZE_UNITS or not 0 < float(match.group(1)) < math.inf:
        raise ConfigError(f"{where}: bad size {value!r} (use e.g. 10MiB, 512KiB or bytes)")
    return int(float(match.group(1)) * _SIZE_UNITS[unit])


def resolve_secret(value: str, environ: Mapping[str, str] | None, where: str) -> str:
    """`env:NAME` is read from `environ`; None where the environment is not to be read
    (the API: it would let any caller read the server's environment)."""
    if value.startswith("env:"):
        if environ is None:
            raise ConfigError(f"{where}: env: values are read only from the command line and "
                              "the config file")
        name = value[4:]
        if name not in environ:
            raise ConfigError(f"{where}: environment variable {name} is not set")
        return environ[name]
    if not value:
        raise ConfigError(f"{where}: the secret is empty")
    return value


def typed(value: object, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise ConfigError(f"{where}: expected {names}, got {value!r}")
    return value


def optional_str(value: object) -> str | None:
    return None if value is None else str(value)


def positive(value: object, where: str) -> int:
    number = typed(value, int, where)
    if number <= 0:
        raise ConfigError(f"{where}: expected a positive integer, got {value!r}")
    return int(number)


def parse_status(value: object, where: str) -> int:
    try:
        status = int(str(value))
    except ValueError:
        status = 0
    if not 100 <= status <= 599:
        raise ConfigError(f"{where}: bad HTTP status {value!r} (100-599)")
    return status


def parse_store(value: object, where: str) -> str:
    """`memory`, `sqlite:PATH` or `redis://…` / `rediss://…` (SPEC 11)."""
    text = str(value)
    if text == "memory" or (text.startswith("sqlite:") and len(text) > len("sqlite:")):
        return text
    if re.match(r"^rediss?://", text):
        return text
    raise ConfigError(f"{where}: unknown store {text!r} (expected memory, sqlite:PATH or "
                      "redis://HOST:PORT/DB)")


def http_url_problem(text: str) -> str | None:
    """What makes `text` unusable as an absolute http(s) URL to send a request to (an other
    scheme, no host, a bad port or IPv6 literal, a control character); None when usable."""
    if not re.match(r"^https?://[^/\s]+", text) or not text.isprintable():
        return "expected http(s)://host[:port][/path]"
    try:
        Upstream.parse(text)
    except ValueError as error:
        return f"{str(error)[:80]}; expected http(s)://host[:port][/path]"
    return None


def parse_url(value: object, where: str) -> str:
    text = str(value)
    if (problem := http_url_problem(text)) is not None:
        raise ConfigError(f"{where}: bad URL {text!r} ({problem})")
    return text.rstrip("/")


def check_provider(name: str, known: Collection[str], where: str) -> None:
    if name not in known:
        raise ConfigError(f"{where}: unknown provider {name!r} (see `webhook-inspector providers`)")


MIN_UI_TOKEN = 16


def ui_token(value: object, where: str) -> str:
    """A token short enough to guess protects nothing."""
    token: str = typed(value, str, where)
    if len(token) < MIN_UI_TOKEN:
        raise ConfigError(f"{where}: the token must be at least {MIN_UI_TOKEN} characters "
                          f"(it has {len(token)})")
    return token


def _address(value: object, where: str) -> Address:
    return parse_address(str(value), where)


def seconds(value: object, where: str, above_zero: bool = False) -> float:
    """A finite number of seconds, not negative (nor 0 with `above_zero`): NaN and infinity
    would reach round(), timers and timeouts."""
    number = float(typed(value, (int, float), where))
    if not math.isfinite(number) or number < 0 or (above_zero and number == 0):
        least = "above 0" if above_zero else "0 or more"
        raise ConfigError(f"{where}: expected a finite number of seconds, {least}; got {value!r}")
    return number


def _timeout(value: object, where: str) -> float:
    return seconds(value, where, above_zero=True)


# Top-level settings that are one value each, read alike from the file and from flags.
SCALARS: dict[str, Callable[[Any, str], Any]] = {
    "hook": _address, "ui": _address, "max_bytes": parse_size, "max_body": parse_size,
    "max_inflight": parse_size, "store": parse_store, "max_requests": positive,
    "forward": parse_url, "forward_timeout": _timeout, "ui_token": ui_token,
    "max_held": positive,
}
