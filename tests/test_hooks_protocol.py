"""The hooks connection on a mock transport (as uvicorn's tests/protocols/test_http.py do): the
order of pipelined answers, reading paused under backpressure, and refusals, with no socket."""

from __future__ import annotations

import asyncio
from typing import Any

from inspector.hooks import capture
from inspector.hooks.connection import HooksConnection
from inspector.hooks.cycle import Refusal, Refused
from inspector.hooks.flow_control import MAX_OWED
from inspector.hooks.ordered import Fault, Reply
from inspector.hooks.server import READ_SIZE
from inspector.models import Arrival, ResponseRecord
from inspector.signatures import Headers


class MockTransport(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.written = bytearray()
        self.reading = True
        self.closed = False
        self.eof_written = False

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return ("127.0.0.1", 40000) if name == "peername" else default

    def write(self, data: Any) -> None:
        self.written += data

    def is_reading(self) -> bool:
        return self.reading

    def pause_reading(self) -> None:
        self.reading = False

    def resume_reading(self) -> None:
        self.reading = True

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def abort(self) -> None:
        self.closed = True

    def can_write_eof(self) -> bool:
        return True

    def write_eof(self) -> None:
        self.eof_written = True

    def answers(self) -> list[bytes]:
        """The bodies of the answers written so far, in order."""
        return [part.split(b"\r\n\r\n", 1)[1].split(b"HTTP/1.1")[0]
                for part in bytes(self.written).split(b"HTTP/1.1 ")[1:]]


class MockHost:
    def __init__(self, max_inflight: int = 1 << 20) -> None:
        self.inflight = 0
        self.max_inflight = max_inflight
        self.read_buffer = memoryview(bytearray(READ_SIZE))

    def now(self) -> float:
        return 0.0

    def track(self, connection: HooksConnection) -> None: ...
    def forget(self, connection: HooksConnection) -> None: ...
    def idle(self, connection: HooksConnection) -> None: ...

    def reserve(self, size: int) -> bool:
        if self.inflight + size > self.max_inflight:
            return False
        self.inflight += size
        return True

    def release(self, size: int) -> None:
        self.inflight -= size


class MockReceiver:
    """Answers each request with what `replies` holds for its path (default: 200 `path`), and
    keeps what it received."""

    def __init__(self, max_body: int = 1024, replies: dict[str, Reply] | None = None) -> None:
        self.max_body = max_body
        self.max_inflight = 1 << 20
        self.replies = replies or {}
        self.received: list[tuple[Arrival, Refused | None]] = []
        self.headers: list[Headers | None] = []  # as the connection handed them on

    def receive(self, incoming: Arrival, refused: Refused | None,
                headers: Headers | None = None) -> Reply:
        self.received.append((incoming, refused))
        self.headers.append(headers)
        return self.replies.get(incoming.path, ok(incoming.path))


def ok(text: str) -> ResponseRecord:
    return ResponseRecord(200, (("Content-Type", "text/plain"),), text.encode(), 0.0, "inspector")


def connect(receiver: MockReceiver, host: MockHost | None = None
            ) -> tuple[HooksConnection, MockTransport]:
    connection = HooksConnection(host or MockHost(), receiver)
    transport = MockTransport()
    connection.connection_made(transport)
    return connection, transport


async def settle() -> None:
    """Let the loop run the callbacks and tasks the last step scheduled (no time passes)."""
    for _ in range(5):
        await asyncio.sleep(0)


def feed(connection: HooksConnection, data: bytes) -> None:
    """`data` in one read, as the event loop reads: into the connection's buffer."""
    buffer = connection.get_buffer(len(data))
    assert len(data) <= len(buffer)
    buffer[:len(data)] = data
    connection.buffer_updated(len(data))


def get(path: str) -> bytes:
    return b"GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % path.encode()


async def test_pipelined_answers_leave_in_request_order_whenever_they_are_ready() -> None:
    loop = asyncio.get_running_loop()
    later: asyncio.Future[ResponseRecord] = loop.create_future()
    connection, transport = connect(MockReceiver(replies={"/slow": later}))
    feed(connection, get("/slow") + get("/fast") + get("/last"))
    assert transport.answers() == []  # /fast is ready but waits behind /slow
    later.set_result(ok("/slow"))
    await settle()
    assert transport.answers() == [b"/slow", b"/fast", b"/last"]


async def test_a_coroutine_answer_is_awaited_in_turn() -> None:
    async def slow() -> ResponseRecord:
        await asyncio.sleep(0)
        return ok("/slow")

    connection, transport = connect(MockReceiver(replies={"/slow": slow()}))
    feed(connection, get("/slow") + get("/fast"))
    await settle()
    assert transport.answers() == [b"/slow", b"/fast"]


async def test_reading_pauses_while_the_sender_does_not_read_and_resumes_after() -> None:
    receiver = MockReceiver()
    connection, transport = connect(receiver)
    connection.pause_writing()
    assert not transport.reading
    feed(connection, get("/a") * 3)
    assert receiver.received == []  # kept as a backlog, not parsed
    connection.resume_writing()
    await settle()
    assert transport.reading  # once the backlog is parsed
    assert [incoming.path for incoming, _ in receiver.received] == ["/a"] * 3


async def test_too_many_owed_answers_pause_reading() -> None:
    loop = asyncio.get_running_loop()
    waiting: asyncio.Future[ResponseRecord] = loop.create_future()
    receiver = MockReceiver(replies={"/wait": waiting})
    connection, transport = connect(receiver)
    padded = b"GET /next HTTP/1.1\r\nHost: x\r\nX-Pad: %s\r\n\r\n" % (b"p" * 1000)
    feed(connection, get("/wait") + padded * (MAX_OWED + 40))
    assert not transport.reading
    # Parsed a slice at a time: what came after the slice that filled the queue waits.
    assert MAX_OWED <= len(receiver.received) < MAX_OWED + 41
    waiting.set_result(ok("/wait"))
    await settle()
    assert transport.reading and len(receiver.received) == MAX_OWED + 41
    assert len(transport.answers()) == MAX_OWED + 41


async def test_a_hang_holds_the_connection_without_counting_it_busy() -> None:
    connection, transport = connect(MockReceiver(replies={"/hang": Fault.HANG}))
    feed(connection, get("/hang"))
    await settle()
    assert transport.written == b"" and not connection.busy
    connection.connection_lost(None)
    await settle()
    assert transport.written == b""


async def test_refusals_reach_the_receiver_as_values() -> None:
    receiver = MockReceiver(max_body=10)
    connection, transport = connect(receiver)
    feed(connection, b"POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n")
    (incoming, refused), = receiver.received
    assert refused == Refused(Refusal.BODY_TOO_LARGE, "body too large")
    assert incoming.body_size == 11 and transport.eof_written


async def test_a_body_past_the_inflight_bound_is_refused_busy() -> None:
    receiver = MockReceiver()
    host = MockHost(max_inflight=5)
    connection, _ = connect(receiver, host)
    feed(connection, b"POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\n")
    (_, refused), = receiver.received
    assert refused is not None and refused.why is Refusal.BUSY and host.inflight == 0


async def test_a_body_cut_short_says_how_much_came() -> None:
    receiver = MockReceiver()
    connection, _ = connect(receiver)
    feed(connection, b"POST /cut HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n\r\nabc")
    connection.eof_received()
    (incoming, refused), = receiver.received
    assert incoming.body == b"abc"
    assert refused == Refused(Refusal.INCOMPLETE,
                              "body incomplete after 3 bytes of 9 declared: "
                              "the sender closed its side")


async def test_targets_are_split_alike_whether_remembered_or_not() -> None:
    """Short targets are split once and remembered (a bounded memo); long ones each time: the
    path and query are the same either way, and a path is one shared copy."""
    receiver = MockReceiver()
    connection, _ = connect(receiver)
    long_path = "/" + "p" * capture.SHORT_TARGET
    targets = ["/hook?a=1", "/hook?a=1", "http://example.com/x?y=2", "HTTP://h", "/hook",
               long_path + "?q", long_path + "?q", "/%E2%82%AC?x=%20"]
    for target in targets:
        feed(connection, get(target))
    got = [(incoming.path, incoming.query) for incoming, _ in receiver.received]
    assert got == [("/hook", "a=1"), ("/hook", "a=1"), ("/x", "y=2"), ("/", ""), ("/hook", ""),
                   (long_path, "q"), (long_path, "q"), ("/%E2%82%AC", "x=%20")]
    assert got[0][0] is got[4][0]  # one copy of a recurring path
    assert all(incoming.remote == "127.0.0.1" for incoming, _ in receiver.received)
    for number in range(capture.TARGETS_KEPT + 10):
        feed(connection, get(f"/n{number}"))
    assert capture._remembered_split.cache_info().currsize <= capture.TARGETS_KEPT
