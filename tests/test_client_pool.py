"""The outgoing client's connections, counted by a raw server on loopback: kept alive between
forwards, a request the server dropped on a reused connection sent once more, idle ones closed
after their time and when the client closes, never more than the limit open, TLS verified."""

from __future__ import annotations

import asyncio
import datetime
import ssl
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from yarl import URL

from inspector.client import Client
from inspector.outbound import exchange

from .conftest import AppsFactory, eventually
from .raw_upstream import RawUpstream, ok, raw_upstream


async def test_sequential_forwards_share_one_connection(make_apps: AppsFactory) -> None:
    async with raw_upstream() as upstream:
        apps = await make_apps(forward=f"http://127.0.0.1:{upstream.port}")
        for n in range(20):
            response = await apps.hooks.post(f"/hook/{n}", data=b"{}")
            assert (response.status, await response.read()) == (200, b"ok")
        assert len(upstream.requests) == 20 and upstream.accepted == 1


async def test_forwards_on_either_side_of_the_server_closing_the_idle_connection(
        make_apps: AppsFactory) -> None:
    async with raw_upstream() as upstream:
        apps = await make_apps(forward=f"http://127.0.0.1:{upstream.port}")
        assert (await apps.hooks.post("/one", data=b"1")).status == 200
        upstream.close_idle_connections()
        await eventually(lambda: upstream.open_now == 0)
        assert (await apps.hooks.post("/two", data=b"2")).status == 200
        assert len(upstream.requests) == 2 and upstream.accepted == 2


async def test_a_request_dropped_on_a_reused_connection_is_sent_once_more() -> None:
    # the server reads the second request and closes without a byte of answer, as one closing
    # an idle connection while the request was on its way does
    answers = iter([ok(b"first"), None])
    upstream = RawUpstream(answer=lambda request: next(answers, ok(b"again")))
    async with raw_upstream(upstream), Client() as client:
        url = URL(f"http://127.0.0.1:{upstream.port}/", encoded=True)
        first = await exchange(client, "POST", url, [], b"a", 5)
        second = await exchange(client, "POST", url, [], b"b", 5)
    assert (first.body, second.body, second.error) == (b"first", b"again", None)
    assert len(upstream.requests) == 3 and upstream.requests[1] == upstream.requests[2]
    assert upstream.accepted == 2


async def test_a_fresh_connections_failure_is_never_retried() -> None:
    upstream = RawUpstream(answer=lambda request: None)
    async with raw_upstream(upstream), Client() as client:
        url = URL(f"http://127.0.0.1:{upstream.port}/", encoded=True)
        result = await exchange(client, "POST", url, [], b"a", 5)
    assert result.status is None and result.error is not None
    assert "unreachable: the connection closed before an answer" in result.error
    assert len(upstream.requests) == 1 and upstream.accepted == 1


async def test_a_reset_is_said_plainly_and_retried_only_on_a_reused_connection() -> None:
    answers = iter([ok(b"first"), None])
    upstream = RawUpstream(answer=lambda request: next(answers, None), reset=True)
    async with raw_upstream(upstream), Client() as client:
        url = URL(f"http://127.0.0.1:{upstream.port}/", encoded=True)
        assert (await exchange(client, "POST", url, [], b"a", 5)).body == b"first"
        second = await exchange(client, "POST", url, [], b"b", 5)
    assert second.error == f"upstream http://127.0.0.1:{upstream.port} unreachable: " \
        "Connection reset by peer"
    assert len(upstream.requests) == 3 and upstream.accepted == 2


async def test_idle_connections_expire_and_closing_the_client_closes_every_one() -> None:
    async with raw_upstream() as upstream:
        client = Client(idle_s=0.2)
        url = URL(f"http://127.0.0.1:{upstream.port}/", encoded=True)
        assert (await exchange(client, "GET", url, [], b"", 5)).status == 200
        await eventually(lambda: upstream.open_now == 0)
        assert (await exchange(client, "GET", url, [], b"", 5)).status == 200
        assert upstream.accepted == 2
        await client.close()
        await eventually(lambda: upstream.open_now == 0)
        long_lived = Client()
        await asyncio.gather(*(exchange(long_lived, "GET", url, [], b"", 5) for _ in range(3)))
        assert upstream.open_now == 3
        await long_lived.close()
        await eventually(lambda: upstream.open_now == 0)


async def test_150_at_once_through_at_most_100_connections_all_answered() -> None:
    upstream = RawUpstream(answer=lambda request: ok(request.split(b" ")[1]))
    upstream.hold = asyncio.Event()
    async with raw_upstream(upstream), Client() as client:
        url = URL(f"http://127.0.0.1:{upstream.port}", encoded=True)
        sent = [asyncio.ensure_future(exchange(client, "GET", url / str(n), [], b"", 20))
                for n in range(150)]
        await eventually(lambda: len(upstream.requests) == 100)
        assert upstream.accepted == 100
        upstream.hold.set()
        results = await asyncio.gather(*sent)
    assert [r.body for r in results] == [f"/{n}".encode() for n in range(150)]
    assert upstream.most_open == 100


async def test_closing_the_client_ends_what_is_sent_and_what_waits_for_a_connection() -> None:
    upstream = RawUpstream()
    upstream.hold = asyncio.Event()
    async with raw_upstream(upstream):
        client = Client(limit=1)
        url = URL(f"http://127.0.0.1:{upstream.port}/", encoded=True)
        sent = [asyncio.ensure_future(exchange(client, "GET", url, [], b"", 20)) for _ in "ab"]
        await eventually(lambda: len(upstream.requests) == 1)
        await client.close()
        going, waiting = await asyncio.wait_for(asyncio.gather(*sent), 5)
        upstream.hold.set()
    assert going.error == f"upstream http://127.0.0.1:{upstream.port} unreachable: " \
        "the connection closed before an answer"
    assert waiting.error == f"upstream http://127.0.0.1:{upstream.port} unreachable: " \
        "the client is closed"
    assert upstream.accepted == 1


async def test_proxies_from_the_environment_are_not_used(monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.setenv(name, "http://127.0.0.1:1")
    async with raw_upstream() as upstream, Client() as client:
        url = URL(f"http://127.0.0.1:{upstream.port}/direct", encoded=True)
        assert (await exchange(client, "GET", url, [], b"", 5)).status == 200
    assert upstream.requests[0].startswith(b"GET /direct HTTP/1.1\r\n")


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for `localhost` (and nothing else), and its key."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(days=1))
                   .not_valid_after(now + datetime.timedelta(days=1))
                   .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]),
                                  critical=False)
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None),
                                  critical=True)
                   .sign(key, hashes.SHA256()))
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


async def test_https_is_verified_with_the_default_context_and_the_urls_host(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cert, key = self_signed(tmp_path)
    served = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    served.load_cert_chain(cert, key)
    upstream = RawUpstream()
    server = await asyncio.start_server(upstream.serve, "127.0.0.1", 0, ssl=served)
    port = server.sockets[0].getsockname()[1]
    try:
        async with Client() as client:
            refused = await exchange(client, "GET", URL(f"https://localhost:{port}/"), [], b"", 5)
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # now trusted, for localhost only
        async with Client() as client:
            trusted = await exchange(client, "GET", URL(f"https://localhost:{port}/"), [], b"", 5)
            other_name = await exchange(client, "GET", URL(f"https://127.0.0.1:{port}/"), [], b"",
                                        5)
    finally:
        upstream.close_idle_connections()
        server.close()
        await eventually(lambda: upstream.open_now == 0)
    assert refused.error == (f"upstream https://localhost:{port} unreachable: "
                             "certificate verify failed: self-signed certificate")
    assert (trusted.status, trusted.body) == (200, b"ok")
    assert other_name.error is not None and "certificate verify failed: IP address mismatch" \
        in other_name.error
    assert len(upstream.requests) == 1
