"""The bytes of a request's head (pure): the method and raw target as given, `Host` from the
URL, the caller's headers in their order and case, Basic credentials from the URL, and the
body's length; refused, with the reason, whenever the head could be read as more than one
request."""

from __future__ import annotations

import base64
import re

from yarl import URL

from .errors import Refused

# RFC 9110 5.6.2 tchar
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_TARGET_FORBIDDEN = re.compile(r"[\x00-\x20\x7f]")
_VALUE_FORBIDDEN = re.compile(r"[\r\n\x00]")
# aiohttp's GET_METHODS: a request of these without a body says nothing of its length
_BODILESS_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# the client frames the body itself; a caller's framing could contradict it
_FRAMING = frozenset({"content-length", "transfer-encoding"})


def request_head(method: str, url: URL, headers: list[tuple[str, str]],
                 body_length: int | None) -> bytes:
    """The head for `url` (absolute, encoded as given); `body_length` None is no body at all.
    `Refused` names the first thing that could split the request."""
    method = method.upper()
    if not _TOKEN.fullmatch(method):
        raise Refused(f"the method {method!r} is not a token")
    target = url.raw_path_qs or "/"
    if _TARGET_FORBIDDEN.search(target):
        raise Refused(f"the target {target!r} holds whitespace or a control character")
    host, given = _host(url), []
    for name, value in headers:
        lowered = _checked_name(name)
        if _VALUE_FORBIDDEN.search(value):
            raise Refused(f"the value of header {name!r} holds CR, LF or NUL")
        if lowered == "host":
            host = value  # as aiohttp: the caller's Host replaces the URL's, in its place
        else:
            given.append(f"{name}: {value}\r\n")
    lines = [f"{method} {target} HTTP/1.1\r\nHost: {host}\r\n", *given]
    credentials = _authorization(url, headers)
    if credentials is not None:
        lines.append(f"Authorization: {credentials}\r\n")
    if body_length is not None or method not in _BODILESS_METHODS:
        lines.append(f"Content-Length: {body_length or 0}\r\n")
    lines.append("\r\n")
    try:
        return "".join(lines).encode("utf-8")
    except UnicodeEncodeError:
        raise Refused("the head holds text that cannot be written as UTF-8") from None


def _checked_name(name: str) -> str:
    if not _TOKEN.fullmatch(name):
        raise Refused(f"the header name {name!r} is not a token")
    lowered = name.lower()
    if lowered in _FRAMING:
        raise Refused(f"{name} is the client's to set, from the body")
    return lowered


def _host(url: URL) -> str:
    """Host as aiohttp writes it: IPv6 bracketed, the port only when not the scheme's."""
    host = url.host_port_subcomponent
    if host is None:
        raise Refused(f"no host in {url}")
    return host


def _authorization(url: URL, headers: list[tuple[str, str]]) -> str | None:
    """`Basic` from credentials in the URL, as aiohttp encodes them (latin-1)."""
    if url.raw_user is None and url.raw_password is None:
        return None
    if any(name.lower() == "authorization" for name, _ in headers):
        raise Refused("an Authorization header and credentials in the URL cannot both be sent")
    login, password = url.user or "", url.password or ""
    if ":" in login:
        raise Refused('A ":" is not allowed in login (RFC 7617#section-2)')
    try:
        encoded = f"{login}:{password}".encode("latin-1")
    except UnicodeEncodeError:
        raise Refused("the URL's credentials are not latin-1") from None
    return "Basic " + base64.b64encode(encoded).decode("ascii")
