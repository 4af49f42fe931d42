"""Passing a captured request on to the developer's app, and recording what it answered."""

from __future__ import annotations

import time
from dataclasses import dataclass

import aiohttp
from multidict import CIMultiDict
from yarl import URL

from .models import JSON_HEADERS, CapturedRequest, HeaderPairs, ResponseRecord, error_body

# RFC 9110 7.6.1 connection-specific headers, plus framing that the client recomputes.
HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
                        "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
                        "host", "content-length"})


def without_hop_by_hop(headers: HeaderPairs) -> list[tuple[str, str]]:
    return [(name, value) for name, value in headers if name.lower() not in HOP_BY_HOP]


def upstream_url(base: str, path: str, query: str) -> URL:
    """The base URL's path is a prefix; the captured raw path and query follow, not re-encoded."""
    target = base.rstrip("/") + path + (f"?{query}" if query else "")
    return URL(target, encoded=True)


@dataclass(frozen=True)
class Exchange:
    """One request sent to an upstream, and what came back (or why nothing did)."""

    status: int | None
    headers: HeaderPairs
    body: bytes
    duration_ms: float
    error: str | None
    timed_out: bool = False


async def exchange(session: aiohttp.ClientSession, method: str, url: URL,
                   headers: list[tuple[str, str]], body: bytes, timeout: float) -> Exchange:
    """Send exactly these bytes; never follow redirects; errors become values."""
    started = time.perf_counter()
    try:
        async with session.request(method, url, headers=CIMultiDict(headers), data=body,
                                   allow_redirects=False,
                                   timeout=aiohttp.ClientTimeout(total=timeout)) as response:
            answer = await response.read()
            pairs = tuple((k.decode("latin-1"), v.decode("utf-8", "replace"))
                          for k, v in response.raw_headers)
            return Exchange(response.status, pairs, answer, _since(started), None)
    except TimeoutError:
        return Exchange(None, (), b"", _since(started),
                        f"upstream {url.origin()} did not answer within {timeout:g} s",
                        timed_out=True)
    except (aiohttp.ClientError, OSError) as error:
        reason = str(error) or type(error).__name__
        return Exchange(None, (), b"", _since(started),
                        f"upstream {url.origin()} unreachable: {reason}")


def _since(started: float) -> float:
    return (time.perf_counter() - started) * 1000


async def forward(session: aiohttp.ClientSession, base: str, record: CapturedRequest,
                  timeout: float) -> ResponseRecord:
    """The upstream's answer as a ResponseRecord; 502/504 JSON errors when it fails."""
    url = upstream_url(base, record.path, record.query)
    result = await exchange(session, record.method, url, without_hop_by_hop(record.headers),
                            record.body, timeout)
    if result.status is not None:
        kept = tuple(without_hop_by_hop(result.headers))
        return ResponseRecord(result.status, kept, result.body, result.duration_ms, "forward")
    status = 504 if result.timed_out else 502
    return ResponseRecord(status, JSON_HEADERS, error_body(result.error or ""),
                          result.duration_ms, "error")


def client_session() -> aiohttp.ClientSession:
    """A session that adds nothing of its own and leaves bodies compressed as they came."""
    return aiohttp.ClientSession(
        auto_decompress=False,
        skip_auto_headers=("User-Agent", "Accept", "Accept-Encoding", "Content-Type"),
        connector=aiohttp.TCPConnector(limit=100, ttl_dns_cache=300),
    )

