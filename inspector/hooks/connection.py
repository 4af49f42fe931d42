"""One sender's connection to the hooks listener.

HTTP/1.1 is parsed with httptools as the bytes arrive; each request is handed on the moment it
is complete, and the answers go back in the order the requests came (pipelining), written
straight to the socket. This replaces aiohttp's server on this one listener because, per
request, its task, request, stream and response objects cost more than capture and
verification together (bench/README.md has the figures).
"""

from __future__ import annotations

import asyncio
import enum
import time
from collections import deque
from collections.abc import Awaitable
from typing import Any, NamedTuple, Protocol

import httptools

from ..models import JSON_HEADERS, Arrival, ResponseRecord, error_body
from .capture import arrival
from .wire import CONTINUE, response_bytes

MAX_HEAD_BYTES = 64 * 1024  # request line and headers
MAX_HEADERS = 256
MAX_OWED = 64  # pipelined requests waiting for their answers before reading pauses
FEED_SLICE = 16 * 1024  # parsed at a time, so that a stalled sender stops the parsing too
BODY_TIMEOUT_S = 60.0  # a body still trickling in after this is recorded as incomplete
TOO_LARGE = "body too large"
TRAILERS_TOO_LARGE = "trailer fields too large"
BUSY = "too many bodies arriving at once (--max-inflight): try again shortly"


class Fault(enum.Enum):
    CLOSE = "close"  # drop the connection without answering
    HANG = "hang"  # hold it until the sender gives up or the server stops


Reply = ResponseRecord | Fault | Awaitable[ResponseRecord]


class Framing(NamedTuple):
    """How the answer to one request is framed: it belongs to that request, not to the one
    being read when the answer is ready."""

    keep_alive: bool
    head: bool  # a HEAD request: no body
    http10: bool


class Receiver(Protocol):
    max_body: int
    max_inflight: int

    def receive(self, incoming: Arrival, error: str | None) -> Reply: ...


class ConnectionHost(Protocol):
    """What a connection needs from the server that accepted it: the clock, and the
    bookkeeping of the idle sweep."""

    def now(self) -> float: ...
    def track(self, connection: HooksConnection) -> None: ...
    def forget(self, connection: HooksConnection) -> None: ...
    def idle(self, connection: HooksConnection) -> None: ...
    def reserve(self, size: int) -> bool: ...
    def release(self, size: int) -> None: ...


async def _settled(reply: Awaitable[ResponseRecord]) -> ResponseRecord:
    """The awaited answer, or a 502 whatever went wrong while it was made: every request
    gets an answer, and a failure here must not leave the sender waiting forever."""
    try:
        return await reply
    except Exception as error:
        reason = f"the inspector could not answer: {type(error).__name__}"
        return ResponseRecord(502, JSON_HEADERS, error_body(reason), 0.0, "error")


def _outcome(future: asyncio.Future[ResponseRecord]) -> ResponseRecord:
    """A settled future's answer, or a 502 when it failed (as `_settled` does)."""
    if future.cancelled() or future.exception() is not None:
        failure = "cancelled" if future.cancelled() else type(future.exception()).__name__
        return ResponseRecord(502, JSON_HEADERS,
                              error_body(f"the inspector could not answer: {failure}"), 0.0,
                              "error")
    return future.result()


class _Refused(Exception):
    """Raised inside a parser callback to stop parsing this connection."""


_WATCHED_LENGTHS = (len(b"content-length"), len(b"expect"))
_METHODS: dict[bytes, str] = {}
_VERSIONS = {"1.1": "HTTP/1.1", "1.0": "HTTP/1.0"}


class HooksConnection(asyncio.Protocol):
    def __init__(self, server: ConnectionHost, receiver: Receiver) -> None:
        self._server = server
        self._receiver = receiver
        self._parser = httptools.HttpRequestParser(self)
        self._transport: asyncio.Transport | None = None
        self._remote: str | None = None
        self._owed: deque[tuple[Reply, Framing]] = deque()
        # What answers the owed replies now: a task, or the future whose callback will.
        self._answering: asyncio.Future[Any] | None = None
        self._gone = asyncio.get_running_loop().create_future()
        self._write_blocked = False  # the sender does not read our answers fast enough
        self._ended = False  # no more requests are read: answer what is owed, then close
        self._eof = False  # the sender closed its side
        self._eof_written = False
        self._backlog: memoryview | None = None  # read but not parsed while answers are stalled
        self.deadline: float | None = None  # loop time after which expire() is called
        self.held = False
        # the request being read
        self._lines: list[bytes] = []
        self._trailers: list[bytes] = []
        self._head_bytes = 0  # request line, headers and trailers
        self._upgrade_body_left = 0  # body bytes of an upgrade request still to read raw
        self._held = 0  # in-flight bytes reserved for the body being read
        self._chunks: list[bytes] = []
        self._declared: int | None = None
        # Read since the last request ended (or the connection opened), then since this
        # one's body began, give or take a slice: what the parser buffers outside a body.
        self._read_bytes = 0
        self._begin(0.0)

    # ---- asyncio.Protocol ----

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        peer = transport.get_extra_info("peername")
        self._remote = str(peer[0]) if isinstance(peer, tuple) else None
        self._server.track(self)

    def data_received(self, data: bytes | memoryview) -> None:
        """Parse what came, a slice at a time: pipelined requests answered with large bodies
        would otherwise fill memory with answers the sender is not reading."""
        if len(data) <= FEED_SLICE and not self._blocked:
            self._feed(data)
            return
        view = memoryview(data)
        for start in range(0, len(view), FEED_SLICE):
            if self._blocked and not self._ended:
                self._backlog = view[start:]  # parsed once the answers move again
                return
            self._feed(view[start:start + FEED_SLICE])

    def _feed(self, data: bytes | memoryview) -> None:
        if self._ended:
            return  # lingering after a final answer: what follows is discarded
        if self._upgrade_body_left:
            self._take_upgrade_body(data)
            return
        self._read_bytes += len(data)
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserUpgrade as upgrade:
            if self._upgrade_body_left:  # the parser stops at the body: read it ourselves
                self._take_upgrade_body(memoryview(data)[upgrade.args[0]:])
            else:
                self._end()  # the request was answered; what follows it is not HTTP
        except httptools.HttpParserCallbackError as error:
            if not isinstance(error.__context__, _Refused):
                raise
        except httptools.HttpParserError as error:
            reason = f"bad request: {str(error) or type(error).__name__}"
            if self._in_body:  # the head was fine: keep what came, say why it stopped
                self._incomplete(reason)
                self._end()
            else:
                self._reject(400, reason)
        self._bound_what_the_parser_holds()

    def _bound_what_the_parser_holds(self) -> None:
        if not self._in_body:
            if self._read_bytes > MAX_HEAD_BYTES:
                self._reject_head()  # a head that never ends
        elif self._read_bytes - self._size > self._size + MAX_HEAD_BYTES:
            # Far more chunk framing or trailers than body: a trailer that never ends.
            self._incomplete("chunk framing or trailers too large")
            self._end()

    def eof_received(self) -> bool:
        self._eof = True  # read only while nothing is in the backlog, so it all came before
        if self._in_body:
            self._incomplete("the sender closed its side")
        self._end()
        return True  # owed answers are still written; _end closes after them

    def connection_lost(self, exc: Exception | None) -> None:
        self._server.forget(self)
        self._backlog = None
        if self._in_body:
            self._incomplete("connection lost")
        self._server.release(self._held)
        self._held = 0
        if not self._gone.done():
            self._gone.set_result(None)
        for reply, _ in self._owed:
            if asyncio.iscoroutine(reply):
                reply.close()  # never started: the sender is gone
        self._owed.clear()

    def pause_writing(self) -> None:
        self._write_blocked = True
        self._update_reading()

    def resume_writing(self) -> None:
        self._write_blocked = False
        self._update_reading()

    # ---- httptools callbacks ----

    def on_message_begin(self) -> None:
        if self._ended:
            raise _Refused  # a request after the last one this connection answers
        self._begin(time.time())

    def on_url(self, url: bytes) -> None:
        self._url += url

    def on_header(self, name: bytes, value: bytes) -> None:
        if self._in_body:
            self._trailer(b"%s: %s\r\n" % (name, value))
            return
        self._lines.append(b"%s: %s\r\n" % (name, value))
        if len(name) in _WATCHED_LENGTHS:  # lowering every name would cost more
            lowered = name.lower()
            if lowered == b"content-length" and value.isdigit():
                self._declared = int(value)
            elif lowered == b"expect":
                self._expect_continue = value.lower() == b"100-continue"

    def on_headers_complete(self) -> None:
        self._read_bytes = 0
        lines = self._lines
        self._head_bytes = len(self._url) + sum(map(len, lines))
        if len(lines) > MAX_HEADERS or self._head_bytes > MAX_HEAD_BYTES:
            self._reject_head()
            raise _Refused
        parser = self._parser
        self._keep_alive = parser.should_keep_alive()
        version = parser.get_http_version()
        self._version = _VERSIONS.get(version) or f"HTTP/{version}"
        raw_method = parser.get_method()
        method = _METHODS.get(raw_method)
        if method is None:
            method = _METHODS.setdefault(raw_method, raw_method.decode("ascii"))
        self._method = method
        self._in_body = True
        self.deadline = self._server.now() + BODY_TIMEOUT_S
        if self._declared is not None and self._declared > self._receiver.max_body:
            self._body_too_large(self._declared)
        if self._declared:
            self._hold(self._declared)
        if self._expect_continue and not self._owed and self._answering is None:
            self._write(CONTINUE)

    def on_body(self, chunk: bytes) -> None:
        self._size += len(chunk)
        if self._size > self._receiver.max_body:
            self._body_too_large(self._size)
        if self._declared is None:  # chunked: held as it comes
            self._hold(len(chunk))
        self._chunks.append(chunk)

    def _hold(self, size: int) -> None:
        """Room for body bytes within --max-inflight over all connections, or a 503."""
        if not self._server.reserve(size):
            self._in_body = False
            self._chunks = []
            self._hand_on(b"", BUSY, False)
            self._end()
            raise _Refused
        self._held += size

    def _trailer(self, line: bytes) -> None:
        """Trailers are kept apart from the headers, within the same limits as the head."""
        self._trailers.append(line)
        self._head_bytes += len(line)
        if len(self._lines) + len(self._trailers) > MAX_HEADERS or \
                self._head_bytes > MAX_HEAD_BYTES:
            self._in_body = False
            self._trailers = []
            self._hand_on(b"".join(self._chunks), TRAILERS_TOO_LARGE, False)
            self._end()
            raise _Refused

    def on_message_complete(self) -> None:
        if self._parser.should_upgrade() and self._method != "CONNECT" and self._declared:
            # We never upgrade, so an upgrade request is a request like any other, but the
            # parser hands over at the end of the head: its body is read raw (_feed).
            self._upgrade_body_left = self._declared
            return
        self._in_body = False
        self._read_bytes = 0
        chunks = self._chunks
        body = chunks[0] if len(chunks) == 1 else b"".join(chunks)
        self._hand_on(body, None, self._keep_alive)
        if not self._keep_alive:
            self._end()  # nothing after this request is read

    def _take_upgrade_body(self, data: bytes | memoryview) -> None:
        taken = bytes(data[:self._upgrade_body_left])
        self._upgrade_body_left -= len(taken)
        self.on_body(taken)
        if not self._upgrade_body_left:
            self._in_body = False
            self._hand_on(b"".join(self._chunks), None, False)
            self._end()  # what follows an upgrade request is not read

    # ---- the request in progress ----

    def _begin(self, received_at: float) -> None:
        self._received_at = received_at
        self._url = b""
        self._lines = []
        self._trailers = []
        self._head_bytes = 0
        self._upgrade_body_left = 0
        self._declared = None
        self._expect_continue = False
        self._chunks = []
        self._size = 0
        self._in_body = False
        self._keep_alive = False
        self._version = "HTTP/1.1"
        self._method = "GET"

    def _hand_on(self, body: bytes, error: str | None, keep_alive: bool) -> None:
        self._server.release(self._held)  # the body is the store's now (or dropped)
        self._held = 0
        # The connection lives in a reference cycle with its parser, freed only by the
        # collector: it must not keep the body's pieces until then (bench/README.md).
        self._chunks = []
        incoming = arrival(self._received_at, self._method, self._url, self._version,
                           self._remote, b"".join(self._lines), body, self._size,
                           b"".join(self._trailers))
        reply = self._receiver.receive(incoming, error)
        self._answer(reply, Framing(keep_alive, self._method == "HEAD",
                                    self._version == "HTTP/1.0"))

    def _body_too_large(self, size: int) -> None:
        self._in_body = False
        self._size = size
        self._hand_on(b"", TOO_LARGE, False)
        self._end()
        raise _Refused

    def _incomplete(self, reason: str) -> None:
        self._in_body = False
        declared = f" of {self._declared} declared" if self._declared is not None else ""
        error = f"body incomplete after {self._size} bytes{declared}: {reason}"
        self._hand_on(b"".join(self._chunks), error, False)

    def expire(self) -> None:
        """Called by the server's sweep once `deadline` has passed."""
        self.deadline = None
        if self._in_body:
            self._incomplete(f"no complete body within {BODY_TIMEOUT_S:g} s")
            self._end()
        elif self._transport is not None:
            self._transport.close()  # idle, or a request head that never ended

    def _reject_head(self) -> None:
        # The target arrives in pieces as it is read: when it is most of what was read, it is
        # what is too long; otherwise a header line is (even one not yet complete).
        if len(self._url) * 2 > max(self._read_bytes, self._head_bytes):
            self._reject(414, "request target too long")
        else:
            self._reject(431, "request header fields too large")

    def _reject(self, status: int, reason: str) -> None:
        """A request that cannot be parsed is answered, not captured, and ends the connection."""
        if self._ended:
            return
        self._answer(ResponseRecord(status, JSON_HEADERS, error_body(reason), 0.0, "inspector"),
                     Framing(False, False, False))
        self._end()

    # ---- answers, in order ----

    def _answer(self, reply: Reply, framing: Framing) -> None:
        if self._answering is None and not self._owed and (
                isinstance(reply, ResponseRecord) or reply is Fault.CLOSE):
            self._send(reply, framing)
            if framing.keep_alive and not self._in_body:
                self._server.idle(self)
            return
        self.deadline = None
        self._owed.append((reply, framing))
        self._update_reading()
        if self._answering is None:
            self._answer_next()

    def _answer_next(self) -> None:
        """A future at the head is answered from its callback (a durable store's commit: no
        task per request); anything else is awaited in order by a task."""
        head, _ = self._owed[0]
        if isinstance(head, asyncio.Future):
            self._answering = head
            head.add_done_callback(self._future_answered)
        else:
            self._answering = asyncio.get_running_loop().create_task(self._answer_in_order())

    def _future_answered(self, future: asyncio.Future[ResponseRecord]) -> None:
        self._answering = None
        if not self._owed or self._owed[0][0] is not future:
            if not future.cancelled():
                future.exception()  # the connection was lost meanwhile: nobody to answer
            return
        _, framing = self._owed.popleft()
        self._update_reading()
        self._send(_outcome(future), framing)
        if self._owed:
            self._answer_next()
        elif self._ended:
            self._close()
        else:
            self._server.idle(self)

    async def _answer_in_order(self) -> None:
        try:
            while self._owed:
                reply, framing = self._owed.popleft()
                self._update_reading()
                if reply is Fault.HANG:
                    self.held = True
                    await self._gone
                elif not isinstance(reply, ResponseRecord | Fault):
                    reply = await _settled(reply)
                self._send(reply, framing)
        finally:
            self._answering = None
        if self._ended:
            self._close()
        else:
            self._server.idle(self)

    def _send(self, reply: ResponseRecord | Fault, framing: Framing) -> None:
        transport = self._transport
        if transport is None or transport.is_closing() or self._eof_written:
            return
        if isinstance(reply, Fault):
            self._ended = True
            transport.abort()
            return
        transport.write(response_bytes(reply.status, reply.headers, reply.body, now=time.time(),
                                       keep_alive=framing.keep_alive, http10=framing.http10,
                                       head=framing.head))
        if not framing.keep_alive:
            self._end()

    def _write(self, data: bytes) -> None:
        if self._transport is not None and not self._transport.is_closing():
            self._transport.write(data)

    def _end(self) -> None:
        """No more requests: close once the owed answers are written. Until then input is
        read and dropped, so that a sender still writing a refused body gets our answer
        rather than a reset."""
        self._ended = True
        self._update_reading()
        if self._answering is None and not self._owed:
            self._close()

    def _close(self) -> None:
        transport = self._transport
        if transport is None or transport.is_closing():
            return
        if not self._eof and transport.can_write_eof():
            if not self._eof_written:
                self._eof_written = True
                try:
                    transport.write_eof()  # the sender reads our answer, then closes
                except OSError:  # the sender left already: nothing more to say
                    transport.abort()
                    return
                self._server.idle(self)  # and is cut off if it does not
        else:
            transport.close()

    @property
    def _blocked(self) -> bool:
        return self._write_blocked or len(self._owed) >= MAX_OWED

    def _update_reading(self) -> None:
        """Read while answers keep up; once the last answer is decided, read (and drop)
        whatever still comes. A backlog is parsed before anything new is read."""
        wanted = self._ended or not self._blocked
        if wanted and self._backlog is not None:
            if self._ended:
                self._backlog = None
            else:
                asyncio.get_running_loop().call_soon(self._parse_backlog)
                return
        transport = self._transport
        if transport is None or transport.is_closing() or wanted == transport.is_reading():
            return
        if wanted:
            transport.resume_reading()
        else:
            transport.pause_reading()

    def _parse_backlog(self) -> None:
        backlog, self._backlog = self._backlog, None
        if backlog is not None:
            self.data_received(backlog)
        self._update_reading()

    def abort(self) -> None:
        if self._transport is not None:
            self._transport.abort()

    @property
    def busy(self) -> bool:
        return self._in_body or (self._answering is not None and not self.held)
