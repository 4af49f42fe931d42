"""Requests the inspector sends out (forwarding, replay, send): one client, fixed origins,
exact bytes, errors as values."""

from __future__ import annotations

import time
from dataclasses import dataclass

from yarl import URL

from .captured import CapturedRequest
from .client import Client, Failure, Refused
from .models import JSON_HEADERS, HeaderPairs, ResponseRecord, error_body

# RFC 9110 7.6.1 connection-specific headers, framing that the client recomputes, and
# Expect: the body has already been read, so nobody is waiting for a 100 Continue.
HOP_BY_HOP = frozenset({"connection", "keep-alive", "te", "trailer", "transfer-encoding",
                        "upgrade", "host", "content-length", "expect"})


def without_hop_by_hop(headers: HeaderPairs, keep_length: bool = False) -> list[tuple[str, str]]:
    """Headers less the hop-by-hop ones, `Proxy-*`, and every header `Connection` names.
    `keep_length` keeps Content-Length (an answer to HEAD carries the length of what a GET
    would get)."""
    named = {token.strip().lower() for name, value in headers if name.lower() == "connection"
             for token in value.split(",")}
    dropped = HOP_BY_HOP - {"content-length"} if keep_length else HOP_BY_HOP
    return [(name, value) for name, value in headers
            if (lowered := name.lower()) not in dropped and lowered not in named
            and not lowered.startswith("proxy-")]


@dataclass(frozen=True)
class Upstream:
    """Where requests go: an origin fixed when the URL is given (scheme, credentials, host,
    port) and a path prefix. Nothing appended to it can change the origin."""

    origin: URL
    prefix: str

    @classmethod
    def parse(cls, base: str) -> Upstream:
        """ValueError when `base` is not an absolute http(s) URL."""
        url = URL(base)
        if url.scheme not in ("http", "https") or not url.host:
            raise ValueError(f"not an http(s) URL: {base!r}")
        return cls(url.origin().with_user(url.user).with_password(url.password),
                   url.raw_path.rstrip("/"))

    def url(self, path: str, query: str) -> URL:
        """The prefix, then the captured raw path (made origin-form) and query, not re-encoded."""
        if not path.startswith("/"):
            path = "/" + path
        origin = self.origin
        return URL.build(scheme=origin.scheme, user=origin.raw_user,
                         password=origin.raw_password, host=origin.raw_host or "",
                         port=origin.explicit_port, path=self.prefix + path,
                         query_string=query, encoded=True)


@dataclass(frozen=True)
class Exchange:
    """One request sent to an upstream, and what came back (or why nothing did)."""

    status: int | None
    headers: HeaderPairs
    body: bytes
    duration_ms: float
    error: str | None
    timed_out: bool = False


async def exchange(client: Client, method: str, url: URL, headers: list[tuple[str, str]],
                   body: bytes, timeout: float) -> Exchange:
    """Send exactly these bytes; never follow redirects; errors become values."""
    started = time.perf_counter()
    try:
        answer = await client.request(method, url, headers, body, timeout)
    except Failure as failure:
        return Exchange(None, (), b"", _since(started), _message(failure, url, timeout),
                        timed_out=failure.timed_out)
    pairs = tuple((name.decode("latin-1"), value.decode("utf-8", "replace"))
                  for name, value in answer.headers)
    return Exchange(answer.status, pairs, answer.body, _since(started), None)


def _message(failure: Failure, url: URL, timeout: float) -> str:
    if failure.timed_out:
        return f"upstream {url.origin()} did not answer within {timeout:g} s"
    if isinstance(failure, Refused):
        return f"not sent to upstream {url.origin()}: {failure.reason}"
    return f"upstream {url.origin()} unreachable: {failure.reason}"


def _since(started: float) -> float:
    return (time.perf_counter() - started) * 1000


async def forward(session: Client, upstream: Upstream, record: CapturedRequest,
                  timeout: float) -> ResponseRecord:
    """The upstream's answer as a ResponseRecord; 502/504 JSON errors when it fails."""
    url = upstream.url(record.path, record.query)
    result = await exchange(session, record.method, url, without_hop_by_hop(record.headers),
                            record.body, timeout)
    if result.status is not None:
        kept = tuple(without_hop_by_hop(result.headers, keep_length=True))
        return ResponseRecord(result.status, kept, result.body, result.duration_ms, "forward")
    status = 504 if result.timed_out else 502
    return ResponseRecord(status, JSON_HEADERS, error_body(result.error or ""),
                          result.duration_ms, "error")


def client_session() -> Client:
    """A client that adds nothing of its own and leaves bodies compressed as they came."""
    return Client()

