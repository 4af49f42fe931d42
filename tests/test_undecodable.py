"""Values the inspector listener cannot decode (cookies, headers, forms, charsets, numbers)
are a 4xx, never a 500: sent as raw bytes to the real listener."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from .conftest import Apps, AppsFactory

TOKEN = "s3cret-token-0123456"
BEARER = f"Authorization: Bearer {TOKEN}\r\n".encode()


async def status_of(apps: Apps, head: bytes, body: bytes = b"") -> int:
    """The status of one raw request (`head`: request line and headers, without Host)."""
    reader, writer = await asyncio.open_connection(apps.ui_server.host, apps.ui_server.port)
    try:
        length = f"Content-Length: {len(body)}\r\n".encode() if body else b""
        writer.write(head + b"Host: 127.0.0.1\r\nConnection: close\r\n" + length + b"\r\n" + body)
        await writer.drain()
        status_line = await asyncio.wait_for(reader.readline(), 10)
    finally:
        writer.close()
    return int(status_line.split()[1])


GATED = [  # with --ui-token
    (b"GET /api/requests HTTP/1.1\r\nCookie: inspector_session=\xc3\xa9\xc3\xa9\r\n", b"", 401),
    (b"GET /api/requests HTTP/1.1\r\nCookie: inspector_session=\xff\r\n", b"", 401),
    (b'GET /api/requests HTTP/1.1\r\nCookie: inspector_session="\\377"\r\n', b"", 401),
    (b"GET /api/requests HTTP/1.1\r\nAuthorization: Bearer \xff\xfe\r\n", b"", 401),
    (b"GET /api/requests HTTP/1.1\r\nAuthorization: Bearer \xc3\xa9\r\n", b"", 401),
    (b"GET /healthz HTTP/1.1\r\nCookie: inspector_session=\xc3\xa9\r\n", b"", 401),
    (b"POST /login HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded; charset=nope\r\n",
     b"token=x", 400),
    (b"POST /login HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=b\r\n",
     b'--b\r\nContent-Disposition: form-data; name="token"\r\n\r\n\xff\r\n--b--\r\n', 400),
]


@pytest.mark.parametrize(("head", "body", "expected"), GATED,
                         ids=[f"gated{number}" for number in range(len(GATED))])
async def test_undecodable_credentials_are_refused_not_a_500(
        make_apps: AppsFactory, head: bytes, body: bytes, expected: int) -> None:
    apps = await make_apps(ui_token=TOKEN)
    assert await status_of(apps, head, body) == expected
    assert await status_of(apps, b"GET /api/requests HTTP/1.1\r\n" + BEARER) == 200


TOO_BIG = str(2**64).encode()
OPEN = [
    (b"PUT /api/response HTTP/1.1\r\nContent-Type: application/json; charset=nope\r\n", b"{}"),
    (b"POST /api/verify HTTP/1.1\r\nContent-Type: application/json\r\n", b"[" * 100_000),
    (b"POST /api/verify HTTP/1.1\r\nContent-Type: application/json\r\n", b'{"a": "\xff"}'),
    (b"GET /api/requests?after=" + TOO_BIG + b" HTTP/1.1\r\n", b""),
    (b"GET /api/requests?before=" + TOO_BIG + b" HTTP/1.1\r\n", b""),
    (b"GET /api/requests?after=" + TOO_BIG + b"&q=x HTTP/1.1\r\n", b""),
    (b"GET /api/requests?after=%D9%A3 HTTP/1.1\r\n", b""),  # an Arabic-Indic 3
    (b"GET /api/requests?limit=1_0 HTTP/1.1\r\n", b""),
    (b"GET /ws?after=" + TOO_BIG + b" HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
     b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n", b""),
    (b"GET /api/requests HTTP/1.1\r\nOrigin: \xff\r\n", b""),
    (b"POST /api/verify HTTP/1.1\r\nContent-Type: application/json\r\n",
     b'{"provider": "twilio", "secret": "x", "url": "http://[::1", '
     b'"headers": [["X-Twilio-Signature", "abc"]], "body": "a=1"}'),
    (b"POST /api/send HTTP/1.1\r\nContent-Type: application/json\r\n",
     b'{"provider": "stripe", "target": "http://h:99999"}'),
]


@pytest.mark.parametrize("store", ["memory", "sqlite"])
@pytest.mark.parametrize(("head", "body"), OPEN,
                         ids=[f"open{number}" for number in range(len(OPEN))])
async def test_undecodable_bodies_and_numbers_are_a_4xx(
        make_apps: AppsFactory, tmp_path: Path, store: str, head: bytes, body: bytes) -> None:
    url = "memory" if store == "memory" else f"sqlite:{tmp_path / 'history.db'}"
    apps = await make_apps(store=url)
    await apps.hooks.post("/x", data=b"{}")
    status = await status_of(apps, head, body)
    assert 400 <= status < 500, (head, status)
    assert await status_of(apps, b"GET /api/requests/1 HTTP/1.1\r\n") == 200
