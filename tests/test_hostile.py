"""Hostile bytes on the hooks listener: each is answered or closed, nothing crashes, and
well-formed traffic sent at the same time is all captured."""

from __future__ import annotations

import asyncio
import gzip

import pytest

from inspector.hooks.server import HooksServer

from .conftest import Apps, AppsFactory, eventually

CORPUS = {
    "random bytes": bytes(range(256)) * 4,
    "no request line": b"\r\n\r\n",
    "bad method": b"G(T / HTTP/1.1\r\nHost: x\r\n\r\n",
    "bad version": b"GET / HTTP/9.9\r\nHost: x\r\n\r\n",
    "conflicting content-length": b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
                                  b"Content-Length: 5\r\n\r\nabcde",
    "content-length and chunked": b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
                                  b"Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
    "bad chunk size": b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                      b"zz\r\nabc\r\n0\r\n\r\n",
    "negative content-length": b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
    "huge header": b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 100_000 + b"\r\n\r\n",
    "many headers": b"GET / HTTP/1.1\r\nHost: x\r\n" + b"".join(
        b"X-%d: v\r\n" % n for n in range(20_000)) + b"\r\n",
    "invalid utf-8 path": b"GET /caf\xe9/\xff\xfe?q=\x80 HTTP/1.1\r\nHost: x\r\n"
                          b"Connection: close\r\n\r\n",
    "header injection": b"GET / HTTP/1.1\r\nHost: x\r\nX-A: a\rX-B: b\r\n\r\n",
    "nul in header": b"GET / HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n",
    "truncated body": b"POST /t HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nshort",
    "gzip-labelled garbage": b"POST /gz HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\n"
                             b"Content-Length: 7\r\nConnection: close\r\n\r\ngarbage",
    "http/2 preface": b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
    "tls hello": bytes.fromhex("160301020001") + b"\x00" * 200,
}


async def exchange(apps: Apps, data: bytes, linger: float = 0.2) -> bytes:
    """Send raw bytes, half-close, and read until the server answers and/or closes."""
    reader, writer = await asyncio.open_connection(apps.hooks.host, apps.hooks.port)
    try:
        writer.write(data)
        await writer.drain()
        await asyncio.sleep(linger)
        if writer.can_write_eof():
            writer.write_eof()
        return await asyncio.wait_for(reader.read(), 10)
    except (ConnectionError, OSError):
        return b""
    finally:
        writer.close()


async def steady_traffic(apps: Apps, count: int) -> list[int]:
    ids = []
    for n in range(count):
        response = await apps.hooks.post(f"/steady/{n}", data=b"%d" % n)
        assert response.status == 200
        ids.append((await response.json())["id"])
    return ids


async def test_hostile_corpus_is_answered_or_closed_while_good_traffic_is_all_kept(
        make_apps: AppsFactory) -> None:
    apps = await make_apps(max_requests=1000)
    good = asyncio.create_task(steady_traffic(apps, 60))
    answers = await asyncio.gather(*(exchange(apps, data) for data in CORPUS.values()))
    good_ids = await good
    for name, answer in zip(CORPUS, answers, strict=True):
        assert answer == b"" or answer.startswith(b"HTTP/1."), (name, answer[:80])
    stored = {r["path"] for r in (await (await apps.ui.get("/api/requests?limit=1000")).json())[
        "requests"]}
    assert {f"/steady/{n}" for n in range(60)} <= stored
    assert len(good_ids) == 60
    assert (await apps.hooks.post("/after", data=b"ok")).status == 200


async def test_truncated_and_gzip_bodies_are_recorded_as_they_came(apps: Apps) -> None:
    await exchange(apps, CORPUS["truncated body"])
    await exchange(apps, CORPUS["gzip-labelled garbage"])
    real = gzip.compress(b'{"event": "auth.confirmed"}')
    response = await apps.hooks.post("/gzip-real", data=real,
                                     headers={"Content-Encoding": "gzip"})
    assert response.status == 200
    listed = (await (await apps.ui.get("/api/requests")).json())["requests"]
    by_path = {r["path"]: r for r in listed}
    assert "body incomplete after 5 bytes of 1000 declared" in by_path["/t"]["error"]
    assert by_path["/gz"]["body_size"] == 7 and by_path["/gz"]["error"] is None
    raw = await apps.ui.get(f"/api/requests/{by_path['/gzip-real']['id']}/raw")
    assert await raw.read() == real  # not decompressed: signatures cover these bytes


async def test_invalid_utf8_path(apps: Apps) -> None:
    # Raw non-ASCII bytes are not HTTP (RFC 3986): the parser answers 400.
    assert b" 400 " in (await exchange(apps, CORPUS["invalid utf-8 path"])).split(b"\r\n")[0]
    # Percent-encoded, the same bytes are a valid request: captured, and shown.
    answer = await exchange(apps, b"GET /caf%E9/%FF%FE?q=%80 HTTP/1.1\r\nHost: x\r\n"
                                  b"Connection: close\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 200")
    (summary,) = (await (await apps.ui.get("/api/requests")).json())["requests"]
    assert summary["path"] == "/caf%E9/%FF%FE" and summary["query"] == "q=%80"
    detail = await (await apps.ui.get(f"/api/requests/{summary['id']}")).json()
    assert detail["query_params"] == [["q", "\ufffd"]]


async def test_slow_loris_connections_are_closed(make_apps: AppsFactory,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(HooksServer, "IDLE_TIMEOUT_S", 0.5)
    monkeypatch.setattr(HooksServer, "SWEEP_EVERY_S", 0.1)
    apps = await make_apps()
    connections = []
    for _ in range(20):
        reader, writer = await asyncio.open_connection(apps.hooks.host, apps.hooks.port)
        writer.write(b"POST /slow HTTP/1.1\r\nHost: x\r\nX-Drip: ")
        connections.append((reader, writer))
    server = apps.hooks.server.hooks  # type: ignore[attr-defined]

    async def all_accepted() -> bool:
        return len(server.connections) == 20

    async def all_cut_off() -> bool:  # by the idle sweep, as the head never completes
        return not server.connections

    await eventually(all_accepted)
    await eventually(all_cut_off)
    for _, writer in connections:
        writer.write(b"a")  # still dripping
    closed = await asyncio.gather(*(asyncio.wait_for(reader.read(), 3)
                                    for reader, _ in connections))
    assert all(data == b"" or data.startswith(b"HTTP/1.1 4") for data in closed)
    for _, writer in connections:
        writer.close()
    assert (await apps.hooks.post("/fine", data=b"1")).status == 200


async def test_bodies_over_max_body_while_good_traffic_flows(make_apps: AppsFactory) -> None:
    apps = await make_apps(max_body=10_000, max_requests=500)
    good = asyncio.create_task(steady_traffic(apps, 30))
    big = [apps.hooks.post("/big", data=b"x" * 50_000) for _ in range(10)]
    statuses = [r.status for r in await asyncio.gather(*big)]
    assert statuses == [413] * 10
    assert len(await good) == 30
