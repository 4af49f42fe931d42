"""`--store redis://…`: the password taken apart from the URL (`env:NAME` read from the
environment) and hidden where the URL is shown. Pure string work, without the redis client,
so that a URL can be shown even where the client is not installed; redis-py parses the rest."""

from __future__ import annotations

from collections.abc import Mapping


class RedisUnavailable(Exception):
    """Redis cannot be used at start; the message says why (one line, exit 2)."""


def _credentials(url: str) -> tuple[str, str, str | None, str] | None:
    """(scheme and `://`, user, password or None, the rest from the host on), or None when
    the URL holds no credentials. They end at the last `@` before the query: a password is
    never mistaken for the host, whatever it holds."""
    scheme, separator, rest = url.partition("://")
    before_query = rest.split("?", 1)[0].split("#", 1)[0]
    if not separator or "@" not in before_query:
        return None
    userinfo, _, host = before_query.rpartition("@")
    user, colon, password = userinfo.partition(":")
    return scheme + separator, user, password if colon else None, \
        host + rest[len(before_query):]


def split_password(url: str, environ: Mapping[str, str]) -> tuple[str, str | None]:
    """The URL for redis-py and, for `redis://:env:NAME@host/0`, the password apart: given
    to the client as it is, never written back into a URL."""
    found = _credentials(url)
    if found is None:
        return url, None
    start, user, password, rest = found
    if password is None or not password.startswith("env:"):
        return url, None
    value = environ.get(password[4:])
    if value is None:
        raise RedisUnavailable(f"the environment variable {password[4:]} is not set")
    return f"{start}{user}@{rest}" if user else f"{start}{rest}", value


def without_password(url: str) -> str:
    found = _credentials(url)
    if found is None or found[2] is None:
        return url
    start, user, _, rest = found
    return f"{start}{user}:***@{rest}"
