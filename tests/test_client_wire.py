"""The outgoing client's request bytes, read by a raw server on loopback: exactly what the
caller gave (method, raw target, headers in order and case, body), `Host` and
`Content-Length` as aiohttp wrote them before, nothing added; and what could split a request
is refused with its reason, nothing sent."""

from __future__ import annotations

import pytest
from yarl import URL

from inspector.client import Client
from inspector.client.request_head import request_head
from inspector.outbound import exchange

from .raw_upstream import RawUpstream, raw_upstream

HEADERS = [("x-One", "1"), ("content-type", "a/b"), ("X-one", "2"), ("X-Utf8", "✓")]


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS",
                                    "PROPFIND", "post"])
async def test_the_request_is_the_callers_bytes_and_nothing_added(method: str) -> None:
    async with raw_upstream() as upstream, Client() as client:
        url = URL(f"http://127.0.0.1:{upstream.port}/a%2Fb/%7e?x=%20y&z", encoded=True)
        result = await exchange(client, method, url, HEADERS, b"", 5)
        assert result.error is None
        with_body = await exchange(client, method, url, [], b"\x00body\xff", 5)
        assert with_body.error is None
    host = f"Host: 127.0.0.1:{upstream.port}\r\n"
    assert upstream.requests == [
        f"{method.upper()} /a%2Fb/%7e?x=%20y&z HTTP/1.1\r\n{host}x-One: 1\r\n"
        "content-type: a/b\r\nX-one: 2\r\nX-Utf8: ✓\r\nContent-Length: 0\r\n\r\n".encode(),
        f"{method.upper()} /a%2Fb/%7e?x=%20y&z HTTP/1.1\r\n{host}"
        "Content-Length: 6\r\n\r\n\x00body\xff".encode("latin-1")]


@pytest.mark.parametrize(("base", "expected"), [
    ("http://us%40er:p%3Ass@{host}/", "Authorization: Basic dXNAZXI6cDpzcw==\r\n"),
    ("http://user@{host}/", "Authorization: Basic dXNlcjo=\r\n"),
    ("http://:pw@{host}/", "Authorization: Basic OnB3\r\n"),
    ("http://{host}/", ""),
])
async def test_credentials_in_the_url_are_sent_as_basic_after_the_headers(
        base: str, expected: str) -> None:
    async with raw_upstream() as upstream, Client() as client:
        url = URL(base.format(host=f"127.0.0.1:{upstream.port}"), encoded=True)
        assert (await exchange(client, "GET", url, [("A", "b")], b"", 5)).error is None
    assert upstream.requests == [
        f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{upstream.port}\r\nA: b\r\n{expected}"
        "Content-Length: 0\r\n\r\n".encode()]


async def test_no_cookie_is_added_from_what_an_app_set() -> None:
    answer = b"HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nContent-Length: 0\r\n\r\n"
    async with raw_upstream(RawUpstream(answer=lambda request: answer)) as upstream, \
            Client() as client:
        url = URL(f"http://localhost:{upstream.port}/", encoded=True)
        for _ in "ab":
            assert (await exchange(client, "POST", url, [], b"", 5)).status == 200
    assert upstream.requests[0] == upstream.requests[1]
    assert b"Cookie" not in upstream.requests[1]


async def test_host_names_the_url_bracketed_and_without_the_default_port() -> None:
    async with raw_upstream() as upstream, Client() as client:
        url = URL(f"http://localhost:{upstream.port}/", encoded=True)
        assert (await exchange(client, "GET", url, [], b"", 5)).error is None
    assert upstream.requests[0].split(b"\r\n")[1] == f"Host: localhost:{upstream.port}".encode()
    assert b"\r\nHost: [::1]\r\n" in request_head("GET", URL("http://[::1]/"), [], None)
    assert b"\r\nHost: [::1]:81\r\n" in request_head("GET", URL("http://[::1]:81/"), [], None)
    assert b"\r\nHost: h.example\r\n" in request_head("GET", URL("https://h.example:443/"), [],
                                                      None)


@pytest.mark.parametrize(("method", "target", "headers", "problem"), [
    ("GE T", "/", [], "the method 'GE T' is not a token"),
    ("GET\r\nX", "/", [], "is not a token"),
    ("GET", "/a b", [], "the target '/a b' holds whitespace or a control character"),
    ("GET", "/a\x01b", [], "holds whitespace or a control character"),
    ("GET", "/a\x7f", [], "holds whitespace or a control character"),
    ("GET", "/a%0D%0A", [("a b", "x")], "the header name 'a b' is not a token"),
    ("GET", "/", [("X:Y", "x")], "is not a token"),
    ("GET", "/", [("", "x")], "is not a token"),
    ("GET", "/", [("A", "x\r\nInjected: 1")], "the value of header 'A' holds CR, LF or NUL"),
    ("GET", "/", [("A", "x\ny")], "holds CR, LF or NUL"),
    ("GET", "/", [("A", "x\x00y")], "holds CR, LF or NUL"),
    ("GET", "/", [("Content-Length", "3")], "Content-Length is the client's to set"),
    ("GET", "/", [("transfer-encoding", "chunked")], "is the client's to set"),
    ("GET", "/", [("A", "\udcff")], "cannot be written as UTF-8"),
])
async def test_what_could_split_a_request_is_refused_and_nothing_sent(
        method: str, target: str, headers: list[tuple[str, str]], problem: str) -> None:
    async with raw_upstream() as upstream, Client() as client:
        url = URL(f"http://127.0.0.1:{upstream.port}{target}", encoded=True)
        result = await exchange(client, method, url, headers, b"body", 5)
    assert result.status is None and result.error is not None
    assert result.error.startswith(f"not sent to upstream http://127.0.0.1:{upstream.port}: ")
    assert problem in result.error
    assert upstream.accepted == 0


async def test_credentials_beside_an_authorization_header_are_refused() -> None:
    async with raw_upstream() as upstream, Client() as client:
        url = URL(f"http://u:p@127.0.0.1:{upstream.port}/", encoded=True)
        both = await exchange(client, "GET", url, [("authorization", "Bearer x")], b"", 5)
        colon = await exchange(client, "GET", URL(f"http://a%3Ab:p@127.0.0.1:{upstream.port}/",
                                                  encoded=True), [], b"", 5)
    assert both.error is not None and "cannot both be sent" in both.error
    assert colon.error is not None and 'A ":" is not allowed in login' in colon.error
    assert upstream.accepted == 0


async def test_a_large_body_is_sent_whole() -> None:
    body = bytes(range(256)) * 20_000  # 5 MB: more than a socket takes at once
    async with raw_upstream() as upstream, Client() as client:
        url = URL(f"http://127.0.0.1:{upstream.port}/big", encoded=True)
        result = await exchange(client, "POST", url, [], body, 10)
    assert result.status == 200
    (request,) = upstream.requests
    assert request.endswith(b"\r\nContent-Length: 5120000\r\n\r\n" + body)
