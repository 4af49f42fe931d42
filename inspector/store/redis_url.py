"""`--store redis://…`: the password taken apart from the URL (`env:NAME` read from the
environment), by pure string work (urls.py), without the redis client; redis-py parses the
rest."""

from __future__ import annotations

from collections.abc import Mapping

from ..urls import credentials


class RedisUnavailable(Exception):
    """Redis cannot be used at start; the message says why (one line, exit 2)."""


def split_password(url: str, environ: Mapping[str, str]) -> tuple[str, str | None]:
    """The URL for redis-py and, for `redis://:env:NAME@host/0`, the password apart: given
    to the client as it is, never written back into a URL."""
    found = credentials(url)
    if found is None:
        return url, None
    start, user, password, rest = found
    if password is None or not password.startswith("env:"):
        return url, None
    value = environ.get(password[4:])
    if value is None:
        raise RedisUnavailable(f"the environment variable {password[4:]} is not set")
    return f"{start}{user}@{rest}" if user else f"{start}{rest}", value
