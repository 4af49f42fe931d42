"""What a sender may have signed when what arrived differs: the usual transformations of a
body or a URL between signing and arrival (a trailing newline, a re-serialised JSON body, a
tunnel's scheme or port). Diagnosis tries each and names the first that matches."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import urlsplit

# A JSON body is re-serialised (parsed, then written five ways, each holding the interpreter
# lock throughout) only up to this size: beyond it the cause goes unnamed rather than the
# event loop waiting.
MAX_RESERIALISED = 512 * 1024


def body_variants(body: bytes) -> Iterator[tuple[bytes, str]]:
    """Bodies a sender may have signed when what arrived differs: the usual transformations."""
    if body.endswith(b"\r\n"):
        yield body[:-2], "without its trailing CRLF"
    if body.endswith(b"\n"):
        yield body[:-1], "without its trailing newline"
    else:
        yield body + b"\n", "with a trailing newline"
    yield from _reserialised(body)


def _reserialised(body: bytes) -> list[tuple[bytes, str]]:
    """The JSON body written as the usual serialisers write it; none when it is not JSON (or is
    nested too deep for Python's parser, or too large)."""
    if len(body) > MAX_RESERIALISED:
        return []
    try:
        document = json.loads(body)
        return [
            (json.dumps(document, separators=(",", ":")).encode(),
             "re-serialised as compact JSON"),
            (json.dumps(document).encode(), "re-serialised by json.dumps"),
            (json.dumps(document, indent=2).encode(), "pretty-printed (indent 2)"),
            (json.dumps(document, ensure_ascii=False).encode(), "re-serialised with raw unicode"),
            (json.dumps(document, separators=(",", ":"), sort_keys=True).encode(),
             "re-serialised with sorted keys")]
    except (ValueError, RecursionError):
        return []


def url_variants(url: str) -> Iterator[tuple[str, str]]:
    """URLs a provider may have signed when the one rebuilt here differs (tunnels, proxies)."""
    split = urlsplit(url)
    other_scheme = "http" if split.scheme == "https" else "https"
    yield split._replace(scheme=other_scheme).geturl(), f"the URL with {other_scheme}://"
    if split.port is not None:
        yield split._replace(netloc=split.hostname or "").geturl(), "the URL without its port"
    if split.query:
        yield split._replace(query="").geturl(), "the URL without its query string"
    if split.path.endswith("/"):
        yield split._replace(path=split.path.rstrip("/")).geturl(), "the URL without the final /"
    else:
        yield split._replace(path=split.path + "/").geturl(), "the URL with a final /"


URL_CAUSE = ("the provider signed {how}: the URL configured at the provider differs from the one "
             "this request arrived at ({url}); check the tunnel's X-Forwarded-Proto/-Host")
