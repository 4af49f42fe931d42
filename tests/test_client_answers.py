"""What the outgoing client reads back, from a raw server on loopback: every framing of a body
(length, chunked with trailers, until close), the answers without one (HEAD, 204, 304), 1xx
interim answers skipped; malformed or oversized answers, timeouts and refused connections as
plain reasons, and a connection that failed never used again."""

from __future__ import annotations

import asyncio
import socket
from dataclasses import replace

import pytest
from yarl import URL

from inspector.client import Client
from inspector.outbound import Exchange, exchange

from .conftest import eventually
from .raw_upstream import RawUpstream, ok, raw_upstream


async def exchanges(upstream: RawUpstream, *methods: str, timeout: float = 5
                    ) -> list[Exchange]:
    async with raw_upstream(upstream), Client() as client:
        url = URL(f"http://127.0.0.1:{upstream.port}/p", encoded=True)
        return [await exchange(client, method, url, [], b"", timeout) for method in methods]


@pytest.mark.parametrize(("answer", "body", "trailing_header"), [
    (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n"
     b"3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\nX-Trailer: t\r\n\r\n", b"abcde", "X-A"),
    (b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Encoding: gzip\r\n\r\n\x1f\x8b\x08\x00x",
     b"\x1f\x8b\x08\x00x", "Content-Encoding"),
    (b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\n"
     b"HTTP/1.1 201 Created\r\nContent-Length: 2\r\nX-Final: y\r\n\r\nhi", b"hi", "X-Final"),
])
async def test_bodies_as_framed_and_kept_alive(answer: bytes, body: bytes,
                                               trailing_header: str) -> None:
    upstream = RawUpstream(answer=lambda request: answer)
    first, second = await exchanges(upstream, "POST", "POST")
    assert first == replace(second, duration_ms=first.duration_ms)
    assert first.body == body and first.error is None
    assert first.headers[-1][0] == trailing_header
    assert all(name != "X-Trailer" for name, _ in first.headers)
    assert upstream.accepted == 1


async def test_a_body_read_until_close() -> None:
    upstream = RawUpstream(answer=lambda request: b"HTTP/1.1 200 OK\r\nX-A: 1\r\n\r\nuntil close",
                           close_after=True)
    first, second = await exchanges(upstream, "GET", "GET")
    assert (first.status, first.body, second.body) == (200, b"until close", b"until close")
    assert upstream.accepted == 2


@pytest.mark.parametrize("status", [204, 304])
async def test_answers_without_a_body(status: int) -> None:
    upstream = RawUpstream(answer=lambda request: f"HTTP/1.1 {status} X\r\nA: b\r\n\r\n".encode())
    first, second = await exchanges(upstream, "GET", "GET")
    assert (first.status, first.headers, first.body) == (status, (("A", "b"),), b"")
    assert second.status == status and upstream.accepted == 1


async def test_a_head_answer_has_no_body_whatever_its_length_and_its_connection_ends() -> None:
    upstream = RawUpstream(answer=lambda request: b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"
                           + (b"" if request.startswith(b"HEAD") else b"12345"))
    head, get = await exchanges(upstream, "HEAD", "GET")
    assert (head.status, head.headers, head.body) == (200, (("Content-Length", "5"),), b"")
    assert (get.status, get.body) == (200, b"12345")
    assert upstream.accepted == 2


async def test_a_read_limit_keeps_the_start_of_the_body_and_ends_the_connection() -> None:
    upstream = RawUpstream(answer=lambda request: ok(b"x" * 100_000))
    async with raw_upstream(upstream), Client() as client:
        url = URL(f"http://127.0.0.1:{upstream.port}/cert.pem", encoded=True)
        limited = await client.request("GET", url, [], None, 5, read_limit=10)
        whole = await client.request("GET", url, [], None, 5)
    assert (limited.status, limited.body, len(whole.body)) == (200, b"x" * 10, 100_000)
    assert upstream.requests[0] == f"GET /cert.pem HTTP/1.1\r\nHost: 127.0.0.1:{upstream.port}" \
        "\r\n\r\n".encode()  # no body at all: no Content-Length, as aiohttp's GET
    assert upstream.accepted == 2


async def test_header_values_are_utf8_with_replacement() -> None:
    upstream = RawUpstream(answer=lambda request: b"HTTP/1.1 200 OK\r\nX-V: caf\xc3\xa9 \xff"
                           b"\r\nContent-Length: 0\r\n\r\n")
    (result,) = await exchanges(upstream, "GET")
    assert result.headers[0] == ("X-V", "café \ufffd")


@pytest.mark.parametrize(("answer", "reason"), [
    (b"HTTP/1.1 2OO OK\r\n\r\n", "malformed answer: "),
    (b"NOT HTTP AT ALL\r\n\r\n", "malformed answer: "),
    (b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nab", "malformed answer"),
    (b"HTTP/1.1 200 OK\r\n" + b"X-Big: " + b"a" * 70_000 + b"\r\n\r\n",
     "the answer's head is over 64 KB"),
    (b"HTTP/1.1 200 OK\r\n" + b"X: y\r\n" * 101 + b"Content-Length: 0\r\n\r\n",
     "the answer has more than 100 header lines"),
    (b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", "closed in the middle of the answer"),
    (b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: upgrade\r\n\r\n",
     "a protocol switch nobody asked for"),
])
async def test_a_bad_answer_is_a_reason_and_its_connection_is_not_reused(
        answer: bytes, reason: str) -> None:
    answers = iter([answer])
    upstream = RawUpstream(answer=lambda request: next(answers, ok()),
                           close_after=b"short" in answer)
    bad, good = await exchanges(upstream, "GET", "GET")
    assert bad.status is None and bad.error is not None
    assert bad.error.startswith(f"upstream http://127.0.0.1:{upstream.port} unreachable: ")
    assert reason in bad.error
    assert (good.status, good.body) == (200, b"ok")
    assert upstream.accepted == 2


async def test_extra_bytes_after_an_answer_end_the_connection() -> None:
    upstream = RawUpstream(answer=lambda request: ok() + ok(b"unasked"))
    first, second = await exchanges(upstream, "GET", "GET")
    assert first.body == second.body == b"ok"
    assert upstream.accepted == 2


async def test_bytes_arriving_while_idle_end_the_connection() -> None:
    async with raw_upstream() as upstream, Client() as client:
        url = URL(f"http://127.0.0.1:{upstream.port}", encoded=True)
        assert (await exchange(client, "GET", url / "a", [], b"", 5)).body == b"ok"
        upstream.writers[0].write(ok(b"stale"))
        await eventually(lambda: upstream.open_now == 0)
        assert (await exchange(client, "GET", url / "b", [], b"", 5)).body == b"ok"
    assert upstream.accepted == 2


async def test_a_timeout_closes_the_connection_and_its_late_answer_is_never_read() -> None:
    upstream = RawUpstream(answer=lambda request: ok(request.split(b" ")[1]))
    async with raw_upstream(upstream), Client() as client:
        url = URL(f"http://127.0.0.1:{upstream.port}", encoded=True)
        assert (await exchange(client, "GET", url / "first", [], b"", 5)).body == b"/first"
        upstream.hold = asyncio.Event()
        late = await exchange(client, "GET", url / "slow", [], b"", 0.3)
        upstream.hold.set()
        after = await exchange(client, "GET", url / "after", [], b"", 5)
    assert late.timed_out and late.status is None
    assert late.error == f"upstream http://127.0.0.1:{upstream.port} did not answer within 0.3 s"
    assert after.body == b"/after"
    assert upstream.accepted == 2


async def test_a_refused_connection_is_said_plainly() -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
        async with Client() as client:
            result = await exchange(client, "GET", URL(f"http://127.0.0.1:{port}/"), [], b"", 5)
    assert result.error == f"upstream http://127.0.0.1:{port} unreachable: Connection refused"
    assert not result.timed_out


@pytest.mark.parametrize("host", ["a..b", "a" * 64 + ".example"])
async def test_a_host_name_dns_cannot_carry_is_an_error_value(host: str) -> None:
    """The idna codec's UnicodeError (an empty label, one over 63 characters) in a replay's
    edited URL is a reason like any other, not an exception out of `exchange`."""
    async with Client() as client:
        result = await exchange(client, "GET", URL(f"http://{host}/x"), [], b"", 5)
    assert result.status is None and not result.timed_out
    assert result.error == f"upstream http://{host} unreachable: not a valid host name"


async def test_only_http_and_https_urls_are_sent_to() -> None:
    async with Client() as client:
        result = await exchange(client, "GET", URL("ftp://127.0.0.1/x"), [], b"", 5)
    assert result.status is None and result.error is not None
    assert "not sent to upstream" in result.error and "only http and https" in result.error
