"""What `send` puts on the wire, read as raw bytes by a receiver on loopback: each header
once, every header the provider's SDK requires, the body as the provider serialises it."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from inspector.outbound import client_session
from inspector.send.policies import POLICIES
from inspector.send.samples import EVENTS
from inspector.send.sender import deliver, plan_delivery
from inspector.send.signing_keys import signing_key
from inspector.signatures import SCHEMES, Delivery, Headers

from .cli_process import run
from .conftest import scheme_of

# No published scheme, by the scheme's own declaration: `send` refuses it (tests below).
UNPUBLISHED = {scheme.name for scheme in SCHEMES if not scheme.sending.published}
NOW = 1767225600.0


class RawReceiver:
    """Reads one request's bytes as they arrive and answers 200."""

    def __init__(self) -> None:
        self.requests: list[tuple[bytes, bytes]] = []  # (head, body)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                       if line.lower().startswith(b"content-length:")), 0)
        self.requests.append((head, await reader.readexactly(length)))
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        await writer.drain()
        writer.close()


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[RawReceiver, str]]:
    raw = RawReceiver()
    server = await asyncio.start_server(raw.handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    yield raw, f"http://127.0.0.1:{port}/hook"
    server.close()


def header_pairs(head: bytes) -> list[tuple[str, str]]:
    lines = head.decode("latin-1").split("\r\n")[1:]
    return [(name, value.strip()) for name, _, value in
            (line.partition(":") for line in lines if line)]


@pytest.mark.parametrize("provider", [name for name in EVENTS if name not in UNPUBLISHED])
async def test_each_header_once_and_the_signature_verifies_on_the_wire(
        receiver: tuple[RawReceiver, str], provider: str) -> None:
    raw, url = receiver
    scheme = scheme_of(provider)
    key = signing_key(scheme, None)
    delivery = plan_delivery(provider, None, url, None, time.time())
    async with client_session() as session:
        (attempt,) = await deliver(session, delivery, key.signing, POLICIES[provider], False)
    assert attempt.status == 200
    ((head, body),) = raw.requests
    pairs = header_pairs(head)
    names = [name.lower() for name, _ in pairs]
    assert len(names) == len(set(names)), sorted(names)
    target = head.split(b" ", 2)[1].decode()
    assert key.verifying is not None
    verdict = scheme.verify(Delivery("POST", url.rsplit("/", 1)[0] + target, Headers(pairs),
                                     body), key.verifying, time.time())
    assert verdict.status == "valid", verdict.reason


def test_shopify_sends_every_header_its_library_requires() -> None:
    delivery = plan_delivery("shopify", None, "http://x/", None, NOW)
    signed = delivery.signed(signing_key(scheme_of("shopify"), None).signing, NOW)
    names = {name.lower() for name, _ in delivery.headers(signed)}
    assert {"x-shopify-hmac-sha256", "x-shopify-topic", "x-shopify-api-version",
            "x-shopify-shop-domain", "x-shopify-webhook-id", "x-shopify-event-id",
            "x-shopify-triggered-at"} <= names


@pytest.mark.parametrize("provider", ["zoom", "github", "bondify", "primebot"])
def test_json_bodies_are_compact_and_keep_utf8(provider: str) -> None:
    data: dict[str, Any] = {"note": "Über ✓"}
    body = plan_delivery(provider, None, "http://x/", data, NOW).body
    assert body == json.dumps(json.loads(body), separators=(",", ":"),
                              ensure_ascii=False).encode()
    assert "Über ✓".encode() in body


def test_a_scheme_that_is_not_published_is_refused_in_one_line(tmp_path: Any) -> None:
    result = run("send", "bondio", "--to", "http://127.0.0.1:1/", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "not published" in result.stderr
    assert "Traceback" not in result.stderr and "secret" not in result.stdout


@pytest.mark.parametrize("provider", sorted(UNPUBLISHED - set(EVENTS)))
def test_a_provider_without_a_published_scheme_is_refused_in_one_line(
        provider: str, tmp_path: Any) -> None:
    result = run("send", provider, "--to", "http://127.0.0.1:1/", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "publishes no signature scheme" in result.stderr and "send hmac" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    listed = run("events", provider, cwd=tmp_path)
    assert listed.returncode == 2 and "publishes no signature scheme" in listed.stderr


def test_an_unreachable_target_is_named_without_client_noise(tmp_path: Any) -> None:
    result = run("send", "bondify", "--to", "http://127.0.0.1:1/hook", cwd=tmp_path)
    assert result.returncode == 1
    assert "127.0.0.1:1" in result.stdout and "ssl:default" not in result.stdout
    assert "Traceback" not in result.stderr
