"""A URL's credentials, by plain string work (no parser that could refuse the URL and so show
it whole): taken apart, or the password hidden where a URL is kept or shown."""

from __future__ import annotations


def credentials(url: str) -> tuple[str, str, str | None, str] | None:
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


def password_hidden(url: str) -> str:
    """The URL as it may be kept and shown (a replay's target, the page, cURL, a store's URL
    in a message): a password in it is written `***`; a request still goes with it."""
    found = credentials(url)
    if found is None or found[2] is None:
        return url
    start, user, _, rest = found
    return f"{start}{user}:***@{rest}"
