"""HTTP/1.1 on the hooks listener, spoken with raw sockets: pipelining, HEAD, 100-continue,
half-close, HTTP/1.0 keep-alive, upgrades, bodiless statuses, limits and timeouts."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

import pytest

from inspector.config import ResponseSpec, Rule
from inspector.hooks import connection as hooks_connection
from inspector.hooks.server import HooksServer

from .conftest import Apps, AppsFactory, eventually


class Raw:
    """One raw connection to the hooks listener."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, apps: Apps) -> Raw:
        return cls(*await asyncio.open_connection(apps.hooks.host, apps.hooks.port))

    def send(self, data: bytes) -> None:
        self.writer.write(data)

    async def response(self) -> tuple[int, dict[str, str], bytes]:
        """One response: status, headers (lowercased names) and the body its length frames."""
        head = await asyncio.wait_for(self.reader.readuntil(b"\r\n\r\n"), 5)
        lines = head.decode().split("\r\n")
        status = int(lines[0].split()[1])
        headers = {k.lower(): v for k, _, v in (line.partition(": ") for line in lines[1:] if line)}
        length = int(headers.get("content-length", "0"))
        return status, headers, await self.reader.readexactly(length)

    async def closed(self) -> bool:
        try:
            return await asyncio.wait_for(self.reader.read(), 5) == b""
        except ConnectionResetError:
            return True

    def close(self) -> None:
        self.writer.close()


def post(path: str, body: bytes = b"{}", extra: bytes = b"") -> bytes:
    return b"POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n%s\r\n%s" % (
        path.encode(), len(body), extra, body)


async def final_answer(apps: Apps, data: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send `data` on a new connection and read the one answer after which the server closes."""
    raw = await Raw.open(apps)
    raw.send(data)
    answer = await raw.response()
    assert await raw.closed()
    raw.close()
    return answer


async def listed(apps: Apps) -> list[dict[str, object]]:
    answer = await apps.ui.get("/api/requests?limit=1000")
    return list((await answer.json())["requests"])


async def test_pipelined_requests_are_answered_in_order_even_when_one_waits(
        make_apps: AppsFactory) -> None:
    slow = Rule(path="/slow", response=ResponseSpec(body="slow", delay_ms=300))
    apps = await make_apps(rules=(slow,))
    raw = await Raw.open(apps)
    raw.send(post("/first") + post("/slow") + post("/third") + b"GET /fourth HTTP/1.1\r\n\r\n")
    answers = [await raw.response() for _ in range(4)]
    raw.close()
    assert [status for status, _, _ in answers] == [200] * 4
    assert answers[1][2] == b"slow"
    ids = [json.loads(answers[n][2])["id"] for n in (0, 2, 3)]
    assert ids == sorted(ids)
    assert [r["path"] for r in await listed(apps)] == [
        "/first", "/slow", "/third", "/fourth"]


async def test_head_gets_the_length_without_a_body(apps: Apps) -> None:
    raw = await Raw.open(apps)
    raw.send(b"HEAD /h HTTP/1.1\r\nHost: x\r\n\r\n" + post("/after"))
    head = await asyncio.wait_for(raw.reader.readuntil(b"\r\n\r\n"), 5)
    assert b"Content-Length: " in head and not head.endswith(b"}")
    status, _, body = await raw.response()  # the next response starts right after the head
    raw.close()
    assert status == 200 and json.loads(body)["ok"] is True


async def test_expect_100_continue(apps: Apps) -> None:
    raw = await Raw.open(apps)
    raw.send(b"POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
    interim = await asyncio.wait_for(raw.reader.readuntil(b"\r\n\r\n"), 5)
    assert interim == b"HTTP/1.1 100 Continue\r\n\r\n"
    raw.send(b"hello")
    status, _, _ = await raw.response()
    raw.close()
    assert status == 200
    (summary,) = await listed(apps)
    assert summary["body_size"] == 5


async def test_a_sender_that_half_closes_still_gets_its_answer(apps: Apps) -> None:
    raw = await Raw.open(apps)
    raw.send(post("/half"))
    raw.writer.write_eof()
    status, _, _ = await raw.response()
    assert status == 200 and await raw.closed()
    raw.close()


async def test_http_1_0_keep_alive_is_honoured_and_plain_1_0_is_closed(apps: Apps) -> None:
    raw = await Raw.open(apps)
    raw.send(b"GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
    status, headers, _ = await raw.response()
    assert status == 200 and headers["connection"] == "keep-alive"
    raw.send(b"GET /b HTTP/1.0\r\n\r\n")
    status, headers, _ = await raw.response()
    assert status == 200 and headers["connection"] == "close"
    assert await raw.closed()
    raw.close()
    assert {r["http_version"] for r in [await (await apps.ui.get(f"/api/requests/{s['id']}"))
                                        .json() for s in await listed(apps)]} == {"HTTP/1.0"}


async def test_an_upgrade_request_is_captured_answered_and_ends_the_connection(
        apps: Apps) -> None:
    status, _, _ = await final_answer(apps, b"GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                                            b"Connection: Upgrade\r\n\r\n\x81\x05hello")
    assert status == 200
    assert [r["path"] for r in await listed(apps)] == ["/ws"]


@pytest.mark.parametrize("pieces", [1, 3])
async def test_an_upgrade_request_keeps_its_body(apps: Apps, pieces: int) -> None:
    data = (b"POST /up HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
            b"Content-Length: 5\r\n\r\nhello")
    raw = await Raw.open(apps)
    cut = len(data) - 3 if pieces == 3 else len(data)
    raw.send(data[:cut])
    if pieces == 3:
        await raw.writer.drain()  # the head and two body bytes go on their own
        raw.send(data[cut:cut + 1])
        raw.send(data[cut + 1:])
    status, _, _ = await raw.response()
    raw.close()
    (row,) = await listed(apps)
    assert status == 200 and row["body_size"] == 5
    assert await (await apps.ui.get(f"/api/requests/{row['id']}/raw")).read() == b"hello"


async def test_bodiless_statuses_send_no_body(make_apps: AppsFactory) -> None:
    apps = await make_apps(response=ResponseSpec(status=204))
    raw = await Raw.open(apps)
    raw.send(post("/n") + post("/m"))
    first = await asyncio.wait_for(raw.reader.readuntil(b"\r\n\r\n"), 5)
    second = await asyncio.wait_for(raw.reader.readuntil(b"\r\n\r\n"), 5)
    raw.close()
    assert first.startswith(b"HTTP/1.1 204 No Content\r\n") and b"Content-Length" not in first
    assert second.startswith(b"HTTP/1.1 204 ")


async def test_oversized_heads_are_refused_without_capture(apps: Apps) -> None:
    status, _, body = await final_answer(
        apps, b"GET / HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"p" * 70_000 + b"\r\n\r\n")
    assert status == 431 and b"too large" in body
    status, _, _ = await final_answer(apps, b"GET /" + b"u" * 70_000 + b" HTTP/1.1\r\n\r\n")
    assert status == 414
    assert await listed(apps) == []


async def test_a_body_that_stalls_is_recorded_as_incomplete(
        make_apps: AppsFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hooks_connection, "BODY_TIMEOUT_S", 0.3)
    monkeypatch.setattr(HooksServer, "SWEEP_EVERY_S", 0.1)
    apps = await make_apps()
    status, _, body = await final_answer(
        apps, b"POST /stall HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789")
    assert status == 400
    (summary,) = await listed(apps)
    assert summary["error"] == json.loads(body)["error"]
    assert re.fullmatch(r"body incomplete after 10 bytes of 100 declared: "
                        r"no complete body within 0.3 s", str(summary["error"]))
    raw_body = await apps.ui.get(f"/api/requests/{summary['id']}/raw")
    assert await raw_body.read() == b"0123456789"


async def test_nothing_after_a_closing_request_is_read(apps: Apps) -> None:
    status, headers, _ = await final_answer(
        apps, post("/last", extra=b"Connection: close\r\n") + post("/ignored"))
    assert status == 200 and headers["connection"] == "close"
    assert [r["path"] for r in await listed(apps)] == ["/last"]


async def test_shutdown_lets_go_of_held_requests_and_finishes_delayed_ones(
        make_apps: AppsFactory) -> None:
    rules = (Rule(path="/hang", action="hang"),
             Rule(path="/wait", response=ResponseSpec(body="done", delay_ms=1000)))
    apps = await make_apps(rules=rules)
    held, waiting, idle = await Raw.open(apps), await Raw.open(apps), await Raw.open(apps)
    held.send(post("/hang"))
    waiting.send(post("/wait"))

    async def both_arrived() -> bool:
        return apps.inspector.store.last_id == 2

    await eventually(both_arrived)
    closing = asyncio.create_task(apps.hooks.server.hooks.close(10.0))  # type: ignore[attr-defined]
    # The held and idle connections go at once; the delayed answer is still on its way.
    assert await held.closed() and await idle.closed()
    assert not closing.done()
    status, _, body = await waiting.response()
    assert (status, body) == (200, b"done")
    await closing
    for raw in (held, waiting, idle):
        raw.close()


async def test_a_broken_chunked_body_is_kept_with_the_reason(apps: Apps) -> None:
    status, _, _ = await final_answer(apps, b"POST /chunks HTTP/1.1\r\nHost: x\r\n"
                                            b"Transfer-Encoding: chunked\r\n\r\n"
                                            b"5\r\nhello\r\nzz\r\n")
    assert status == 400
    (summary,) = await listed(apps)
    assert str(summary["error"]).startswith("body incomplete after 5 bytes: bad request: ")
    raw_body = await apps.ui.get(f"/api/requests/{summary['id']}/raw")
    assert await raw_body.read() == b"hello"


async def test_a_close_rule_drops_what_was_pipelined_behind_it(make_apps: AppsFactory) -> None:
    apps = await make_apps(rules=(Rule(path="/drop", action="close"),))
    raw = await Raw.open(apps)
    raw.send(post("/drop") + post("/behind"))
    assert await raw.closed()
    raw.close()
    assert [r["path"] for r in await listed(apps)] == ["/drop"]


async def pipelined_with_large_answers(make_apps: AppsFactory, count: int) -> tuple[Apps, Raw]:
    """`count` GETs in one write, each answered with 10 KB: more than socket buffers hold."""
    apps = await make_apps(max_requests=count, response=ResponseSpec(body="a" * 10_000))
    raw = await Raw.open(apps)
    raw.send(b"GET /p HTTP/1.1\r\nHost: x\r\n\r\n" * count)
    return apps, raw


async def read_answers(raw: Raw, count: int) -> None:
    for _ in range(count):
        status, _, body = await raw.response()
        assert status == 200 and len(body) == 10_000


async def test_a_sender_that_does_not_read_its_answers_is_paused_not_buffered(
        make_apps: AppsFactory) -> None:
    apps, raw = await pipelined_with_large_answers(make_apps, 3000)
    server = apps.hooks.server.hooks  # type: ignore[attr-defined]

    async def reading_paused() -> bool:
        return any(not connection.reading for connection in server.connections)

    await eventually(reading_paused)
    assert apps.inspector.store.last_id < 3000  # reading stopped with 30 MB of answers unread
    await read_answers(raw, 3000)
    raw.close()
    assert apps.inspector.store.last_id == 3000


async def test_requests_pipelined_before_a_half_close_are_all_answered(
        make_apps: AppsFactory) -> None:
    apps, raw = await pipelined_with_large_answers(make_apps, 1000)
    raw.writer.write_eof()
    await read_answers(raw, 1000)
    assert await raw.closed()
    raw.close()
    assert apps.inspector.store.last_id == 1000


async def test_trailers_are_kept_and_an_endless_one_is_cut_off(apps: Apps) -> None:
    chunked = (b"POST /%s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
               b"Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n")
    status, _, _ = await final_answer(apps, chunked % b"trailer" + b"X-T: 1\r\n\r\n")
    raw = await Raw.open(apps)
    raw.send(chunked % b"endless" + b"X-Endless: ")
    for _ in range(20):
        raw.send(b"e" * 16384)
    status_endless, _, _ = await raw.response()
    raw.close()
    first, second = await listed(apps)
    detail = await (await apps.ui.get(f"/api/requests/{first['id']}")).json()
    assert status == 200 and first["body_size"] == 3
    assert detail["trailers"] == [["X-T", "1"]] and ["X-T", "1"] not in detail["headers"]
    assert status_endless == 400 and second["path"] == "/endless"
    assert second["error"] == "body incomplete after 3 bytes: chunk framing or trailers too large"


async def test_a_large_body_does_not_count_against_the_next_requests_head(apps: Apps) -> None:
    raw = await Raw.open(apps)
    raw.send(post("/big", b"b" * 200_000) + b"POST /next HTTP/1.1\r\nHost: x\r\n")
    first, _, _ = await raw.response()  # the head's start was read with the body
    raw.send(b"Content-Length: 2\r\n\r\nok")
    second, _, _ = await raw.response()
    raw.send(post("/big-alone", b"b" * 200_000))  # its body ends the read
    third, _, _ = await raw.response()
    raw.send(post("/after"))
    fourth, _, _ = await raw.response()
    raw.close()
    assert (first, second, third, fourth) == (200, 200, 200, 200)
    assert [r["path"] for r in await listed(apps)] == ["/big", "/next", "/big-alone", "/after"]


async def test_expect_100_continue_with_a_body_over_max_body_gets_413_at_once(
        make_apps: AppsFactory) -> None:
    apps = await make_apps(max_body=1000)
    status, _, body = await final_answer(
        apps, b"POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n"
              b"Expect: 100-continue\r\n\r\n")
    assert status == 413 and b"5000 bytes exceeds --max-body 1000" in body
    (summary,) = await listed(apps)
    assert summary["error"] == "body too large" and summary["body_size"] == 5000


@pytest.mark.parametrize("chunked", [False, True])
async def test_bodies_of_every_size_in_turn_on_one_connection(make_apps: AppsFactory,
                                                               chunked: bool) -> None:
    """Sizes around the parser's slice and the head limit, one after another (keep-alive)."""
    apps = await make_apps(max_body=2_000_000, max_bytes=10_000_000)
    sizes = [0, 1, 16_383, 16_384, 16_385, 65_535, 65_536, 65_537, 200_000, 1_000_000, 3]
    raw = await Raw.open(apps)
    for n, size in enumerate(sizes):
        body = bytes([n]) * size
        if chunked:
            framed = b"%x\r\n%s\r\n" % (size, body) if size else b""
            raw.send(b"POST /s/%d HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                     b"%s0\r\n\r\n" % (size, framed))
        else:
            raw.send(post(f"/s/{size}", body))
        status, _, _ = await raw.response()
        assert status == 200, size
    raw.close()
    stored = await listed(apps)
    assert [r["body_size"] for r in stored] == sizes
    for summary, (n, size) in zip(stored, enumerate(sizes), strict=True):
        raw_body = await apps.ui.get(f"/api/requests/{summary['id']}/raw")
        assert await raw_body.read() == bytes([n]) * size


async def test_a_chunked_body_over_max_body_gets_413_once_it_grows_too_large(
        make_apps: AppsFactory) -> None:
    apps = await make_apps(max_body=1000)
    raw = await Raw.open(apps)
    raw.send(b"POST /grow HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
    for _ in range(3):
        raw.send(b"190\r\n" + b"g" * 400 + b"\r\n")  # 400 bytes a chunk; the third crosses 1000
    status, _, body = await raw.response()
    assert status == 413 and b"1200 bytes exceeds --max-body 1000" in body
    raw.send(b"190\r\n" + b"g" * 400 + b"\r\n")  # still sending: read and dropped, no reset
    assert await raw.closed()
    raw.close()
    (summary,) = await listed(apps)
    assert (summary["error"], summary["body_size"]) == ("body too large", 1200)


async def test_many_trailer_fields_count_against_the_head_limits(apps: Apps) -> None:
    head = (b"POST /many HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n")
    trailers = b"".join(b"X-T%d: %s\r\n" % (i, b"v" * 20) for i in range(300))
    status, _, body = await final_answer(apps, head + trailers + b"\r\n")
    (row,) = await listed(apps)
    detail = await (await apps.ui.get(f"/api/requests/{row['id']}")).json()
    assert status == 431 and json.loads(body)["error"] == "trailer fields too large"
    assert row["error"] == "trailer fields too large" and detail["trailers"] == []


async def test_one_header_line_over_the_head_limit_is_431(apps: Apps) -> None:
    status, _, _ = await final_answer(
        apps, b"GET /h HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * (70 * 1024) + b"\r\n\r\n")
    assert status == 431
    status, _, _ = await final_answer(apps, b"GET /" + b"t" * (70 * 1024) + b" HTTP/1.1\r\n\r\n")
    assert status == 414


async def test_senders_that_leave_mid_answer_are_no_error(apps: Apps) -> None:
    """A sender that resets the connection while its refused body is still being sent: the
    fixture fails the test on any error that reaches the event loop's handler."""
    async def leave_early(index: int) -> None:
        raw = await Raw.open(apps)
        raw.send(b"POST /big%d HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n"
                 % (index, 4 * 1024 * 1024) + b"b" * 65536)
        await raw.writer.drain()
        raw.writer.transport.abort()

    for start in range(0, 200, 50):
        await asyncio.gather(*(leave_early(i) for i in range(start, start + 50)))
    async def all_captured() -> bool:
        return apps.inspector.store.last_id == 200

    await eventually(all_captured)


async def test_bodies_arriving_at_once_are_bounded_by_max_inflight(
        make_apps: AppsFactory) -> None:
    apps = await make_apps(max_inflight=100 * 1024)
    hooks = apps.hooks.server.hooks  # type: ignore[attr-defined]
    slow = await Raw.open(apps)
    slow.send(b"POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % (80 * 1024)
              + b"s" * 1000)

    async def slow_is_held() -> bool:
        return bool(hooks.inflight == 80 * 1024)

    await eventually(slow_is_held)
    status, headers, body = await final_answer(apps, post("/refused", b"r" * (30 * 1024)))
    assert status == 503 and headers["retry-after"] == "1" and b"--max-inflight" in body
    chunked = (b"POST /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
               b"".join(b"2000\r\n" + b"c" * 0x2000 + b"\r\n" for _ in range(4)) + b"0\r\n\r\n")
    status, _, _ = await final_answer(apps, chunked)
    assert status == 503  # 32 KiB in chunks crosses the bound part way through
    slow.send(b"s" * (80 * 1024 - 1000))
    assert (await slow.response())[0] == 200
    slow.close()

    async def released() -> bool:
        return bool(hooks.inflight == 0)

    await eventually(released)
    later = await Raw.open(apps)
    later.send(post("/later", b"r" * (30 * 1024)))
    assert (await later.response())[0] == 200
    later.close()
    rows = await listed(apps)
    assert [(r["path"], r["response_status"]) for r in rows] == [
        ("/refused", 503), ("/chunked", 503), ("/slow", 200), ("/later", 200)]


def bytes_held(start: object, depth: int = 4, shared: object = None) -> int:
    """The bytes of large bytes objects reachable from `start` within `depth` references, but
    `shared` (the listener's read buffer, one for every connection)."""
    import gc

    seen: set[int] = {id(shared)}
    frontier, held = [start], 0
    for _ in range(depth):
        found = []
        for item in frontier:
            for referent in gc.get_referents(item):
                if id(referent) in seen:
                    continue
                seen.add(id(referent))
                if isinstance(referent, bytes | bytearray | memoryview):
                    held += len(referent) if len(referent) > 4096 else 0
                else:
                    found.append(referent)
        frontier = found
    return held


async def test_a_finished_connection_keeps_no_body(make_apps: AppsFactory) -> None:
    """Connections are freed by the cyclic collector (they and their parser refer to each
    other): until then they must hold none of the bodies they read (RSS grew by a body per
    request before; bench/large_bodies.py)."""
    import gc

    from inspector.hooks.connection import HooksConnection

    apps = await make_apps(max_body=2 * 1024 * 1024)
    gc.disable()
    try:
        # Only this test's connections (an earlier test's may still be alive, mid-request), by
        # their exact type: isinstance() on a dead weak proxy among gc's objects raises.
        earlier = {id(o) for o in gc.get_objects() if type(o) is HooksConnection}
        for _ in range(5):
            await final_answer(apps, post("/big", b"b" * (1024 * 1024)).replace(
                b"Host: x\r\n", b"Host: x\r\nConnection: close\r\n"))
        connections = [o for o in gc.get_objects()
                       if type(o) is HooksConnection and id(o) not in earlier]
        buffer = apps.hooks.server.hooks.read_buffer
        assert connections and sum(bytes_held(o, shared=buffer) for o in connections) == 0
    finally:
        gc.enable()


async def test_with_a_durable_store_answers_leave_in_order_once_stored(
        make_apps: AppsFactory, tmp_path: Any) -> None:
    apps = await make_apps(store=f"sqlite:{tmp_path / 'history.db'}",
                           rules=(Rule(path="/slow", response=ResponseSpec(delay_ms=50)),))
    raw = await Raw.open(apps)
    raw.send(post("/a") + post("/slow") + post("/b") + post("/c"))
    answers = [json.loads((await raw.response())[2])["id"] for _ in range(4)]
    raw.close()
    assert answers == [1, 2, 3, 4]
    store = apps.inspector.store
    assert store.durable() is None  # nothing is left to commit
    assert [r.path for r in store.after(0)] == ["/a", "/slow", "/b", "/c"]


async def test_header_lines_are_counted_to_the_limit_and_kept_as_sent(apps: Apps) -> None:
    """MAX_HEADERS lines are taken, stored as sent (in order, case and repeats kept); one more
    is a 431 and nothing is captured."""
    limit = hooks_connection.MAX_HEADERS
    lines = [b"X-H%d: v%d\r\n" % (i, i) for i in range(limit - 2)]
    head = b"POST /lines HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n" + b"".join(lines)
    status, _, _ = await final_answer(apps, head.replace(b"HTTP/1.1\r\n",
                                                         b"HTTP/1.1\r\nConnection: close\r\n",
                                                         1)[:-len(lines[-1])] + b"\r\n{}")
    assert status == 200
    (row,) = await listed(apps)
    detail = await (await apps.ui.get(f"/api/requests/{row['id']}")).json()
    assert len(detail["headers"]) == limit
    assert detail["headers"][:3] == [["Connection", "close"], ["Host", "x"],
                                     ["Content-Length", "2"]]
    assert detail["headers"][-1] == [f"X-H{limit - 4}", f"v{limit - 4}"]
    status, _, body = await final_answer(apps, head + b"Connection: close\r\n\r\n{}")  # one more
    assert status == 431 and b"too large" in body
    assert len(await listed(apps)) == 1
