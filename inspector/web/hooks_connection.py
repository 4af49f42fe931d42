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
import json
import time
from collections import deque
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Protocol

import httptools

from ..capture import Arrival, arrival
from ..models import ResponseRecord
from .http1 import CONTINUE, response_bytes

if TYPE_CHECKING:
    from .hooks_server import HooksServer

MAX_HEAD_BYTES = 64 * 1024  # request line and headers
MAX_HEADERS = 256
MAX_OWED = 64  # pipelined requests waiting for their answers before reading pauses
BODY_TIMEOUT_S = 60.0  # a body still trickling in after this is recorded as incomplete
TOO_LARGE = "body too large"


class Fault(enum.Enum):
    CLOSE = "close"  # drop the connection without answering
    HANG = "hang"  # hold it until the sender gives up or the server stops


Reply = ResponseRecord | Fault | Awaitable[ResponseRecord]


class Receiver(Protocol):
    max_body: int

    def receive(self, incoming: Arrival, error: str | None) -> Reply: ...


class _Refused(Exception):
    """Raised inside a parser callback to stop parsing this connection."""


_WATCHED_LENGTHS = (len(b"content-length"), len(b"expect"))
_METHODS: dict[bytes, str] = {}
_VERSIONS = {"1.1": "HTTP/1.1", "1.0": "HTTP/1.0"}


class HooksConnection(asyncio.Protocol):
    def __init__(self, server: HooksServer, receiver: Receiver) -> None:
        self._server = server
        self._receiver = receiver
        self._parser = httptools.HttpRequestParser(self)
        self._transport: asyncio.Transport | None = None
        self._remote: str | None = None
        self._owed: deque[tuple[Reply, bool, bool]] = deque()  # reply, keep_alive, head
        self._answering: asyncio.Task[None] | None = None
        self._gone = asyncio.get_running_loop().create_future()
        self._reading = True
        self._ended = False  # no more requests are read: answer what is owed, then close
        self._eof = False  # the sender closed its side
        self.deadline: float | None = None  # loop time after which expire() is called
        self.held = False
        # the request being read
        self._lines: list[bytes] = []
        self._chunks: list[bytes] = []
        self._declared: int | None = None
        self._head_bytes = 0  # read since the current request's head began (or a little more)
        self._begin(0.0)

    # ---- asyncio.Protocol ----

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        peer = transport.get_extra_info("peername")
        self._remote = str(peer[0]) if isinstance(peer, tuple) else None
        self._server.track(self)

    def data_received(self, data: bytes) -> None:
        if self._ended:
            return  # lingering after a final answer: what follows is discarded
        if not self._in_body:
            self._head_bytes += len(data)
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self._end()  # the request was answered; what follows it is not HTTP
        except httptools.HttpParserCallbackError as error:
            if not isinstance(error.__context__, _Refused):
                raise
        except httptools.HttpParserError as error:
            self._reject(400, f"bad request: {str(error) or type(error).__name__}")
        # A head that never ends: the parser would keep buffering it.
        if not self._in_body and self._head_bytes > MAX_HEAD_BYTES:
            self._reject_head()

    def eof_received(self) -> bool:
        self._eof = True
        if self._in_body:
            self._incomplete("the sender closed its side")
        self._end()
        return True  # owed answers are still written; _end closes after them

    def connection_lost(self, exc: Exception | None) -> None:
        self._server.forget(self)
        if self._in_body:
            self._incomplete("connection lost")
        if not self._gone.done():
            self._gone.set_result(None)
        for reply, _, _ in self._owed:
            if asyncio.iscoroutine(reply):
                reply.close()  # never started: the sender is gone
        self._owed.clear()

    def pause_writing(self) -> None:
        self._pause()

    def resume_writing(self) -> None:
        self._resume()

    # ---- httptools callbacks ----

    def on_message_begin(self) -> None:
        if self._ended:
            raise _Refused  # a request after the last one this connection answers
        self._begin(time.time())

    def on_url(self, url: bytes) -> None:
        self._url += url

    def on_header(self, name: bytes, value: bytes) -> None:
        self._lines.append(b"%s: %s\r\n" % (name, value))
        if len(name) in _WATCHED_LENGTHS:  # lowering every name would cost more
            lowered = name.lower()
            if lowered == b"content-length" and value.isdigit():
                self._declared = int(value)
            elif lowered == b"expect":
                self._expect_continue = value.lower() == b"100-continue"

    def on_headers_complete(self) -> None:
        self._head_bytes = 0
        lines = self._lines
        if len(lines) > MAX_HEADERS or \
                len(self._url) + sum(map(len, lines)) > MAX_HEAD_BYTES:
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
        if self._expect_continue and not self._owed and self._answering is None:
            self._write(CONTINUE)

    def on_body(self, chunk: bytes) -> None:
        self._size += len(chunk)
        if self._size > self._receiver.max_body:
            self._body_too_large(self._size)
        self._chunks.append(chunk)

    def on_message_complete(self) -> None:
        self._in_body = False
        chunks = self._chunks
        body = chunks[0] if len(chunks) == 1 else b"".join(chunks)
        self._hand_on(body, None, self._keep_alive)
        if not self._keep_alive:
            self._end()  # nothing after this request is read

    # ---- the request in progress ----

    def _begin(self, received_at: float) -> None:
        self._received_at = received_at
        self._url = b""
        self._lines = []
        self._declared = None
        self._expect_continue = False
        self._chunks = []
        self._size = 0
        self._in_body = False
        self._keep_alive = False
        self._version = "HTTP/1.1"
        self._method = "GET"

    def _hand_on(self, body: bytes, error: str | None, keep_alive: bool) -> None:
        incoming = arrival(self._received_at, self._method, self._url, self._version,
                           self._remote, b"".join(self._lines), body, self._size)
        reply = self._receiver.receive(incoming, error)
        self._answer(reply, keep_alive, self._method == "HEAD")

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
        if len(self._url) > MAX_HEAD_BYTES or not self._lines:
            self._reject(414, "request target too long")
        else:
            self._reject(431, "request header fields too large")

    def _reject(self, status: int, reason: str) -> None:
        """A request that cannot be parsed is answered, not captured, and ends the connection."""
        if self._ended:
            return
        body = json.dumps({"error": reason}).encode()
        self._answer(ResponseRecord(status, (("Content-Type", "application/json"),), body, 0.0,
                                    "inspector"), False, False)
        self._end()

    # ---- answers, in order ----

    def _answer(self, reply: Reply, keep_alive: bool, head: bool) -> None:
        if self._answering is None and not self._owed and (
                isinstance(reply, ResponseRecord) or reply is Fault.CLOSE):
            self._send(reply, keep_alive, head)
            if keep_alive and not self._in_body:
                self._server.idle(self)
            return
        self.deadline = None
        self._owed.append((reply, keep_alive, head))
        if len(self._owed) >= MAX_OWED:
            self._pause()
        if self._answering is None:
            self._answering = asyncio.get_running_loop().create_task(self._answer_in_order())

    async def _answer_in_order(self) -> None:
        try:
            while self._owed:
                reply, keep_alive, head = self._owed.popleft()
                if len(self._owed) < MAX_OWED // 2:
                    self._resume()
                if reply is Fault.HANG:
                    self.held = True
                    await self._gone
                elif not isinstance(reply, ResponseRecord | Fault):
                    reply = await reply
                self._send(reply, keep_alive, head)
        finally:
            self._answering = None
        if self._ended:
            self._close()
        else:
            self._server.idle(self)

    def _send(self, reply: ResponseRecord | Fault, keep_alive: bool, head: bool) -> None:
        transport = self._transport
        if transport is None or transport.is_closing():
            return
        if isinstance(reply, Fault):
            transport.abort()
            return
        status, headers, body = reply.status, reply.headers, reply.body
        transport.write(response_bytes(status, headers, body, now=time.time(),
                                       keep_alive=keep_alive,
                                       http10=self._version == "HTTP/1.0", head=head))
        if not keep_alive:
            self._end()

    def _write(self, data: bytes) -> None:
        if self._transport is not None and not self._transport.is_closing():
            self._transport.write(data)

    def _end(self) -> None:
        """No more requests: close once the owed answers are written. Until then input is
        read and dropped, so that a sender still writing a refused body gets our answer
        rather than a reset."""
        self._ended = True
        self._resume()
        if self._answering is None and not self._owed:
            self._close()

    def _close(self) -> None:
        transport = self._transport
        if transport is None or transport.is_closing():
            return
        if not self._eof and transport.can_write_eof():
            transport.write_eof()  # the sender reads our answer, then closes
            self._server.idle(self)  # and is cut off if it does not
        else:
            transport.close()

    def _pause(self) -> None:
        if self._reading and self._transport is not None:
            self._reading = False
            self._transport.pause_reading()

    def _resume(self) -> None:
        if not self._reading and self._transport is not None and \
                not self._transport.is_closing():
            self._reading = True
            self._transport.resume_reading()

    def abort(self) -> None:
        if self._transport is not None:
            self._transport.abort()

    @property
    def busy(self) -> bool:
        return self._in_body or (self._answering is not None and not self.held)
