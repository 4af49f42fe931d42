"""One sender's connection to the hooks listener: the parser's callbacks and the limits.

HTTP/1.1 is parsed with httptools as the bytes arrive; each request is handed on the moment it
is complete. Its answers go back in request order (`ordered`), and reading follows them
(`flow_control`). This replaces aiohttp's server on this one listener because, per request, its
task, request, stream and response objects cost more than capture and verification together
(bench/README.md has the figures).
"""

from __future__ import annotations

import asyncio
import time
from typing import Protocol

import httptools

from ..models import JSON_HEADERS, Arrival, ResponseRecord, error_body
from ..signatures import Headers
from .capture import arrival, peer_address, received_headers
from .cycle import PARTS_PER_LINE, Refusal, Refused, RequestInProgress
from .flow_control import FlowControl
from .ordered import FRAMINGS, Fault, Framing, OrderedAnswers, Reply
from .wire import CONTINUE, response_bytes

MAX_HEAD_BYTES = 64 * 1024  # request line and headers
MAX_HEADERS = 256
BODY_TIMEOUT_S = 60.0  # a body still trickling in after this is recorded as incomplete


class Receiver(Protocol):
    max_body: int
    max_inflight: int

    def receive(self, incoming: Arrival, refused: Refused | None,
                headers: Headers | None = None) -> Reply: ...
    async def close(self) -> None: ...


class ConnectionHost(Protocol):
    """What a connection needs from the server that accepted it: the clock, and the
    bookkeeping of the idle sweep."""

    def now(self) -> float: ...
    def track(self, connection: HooksConnection) -> None: ...
    def forget(self, connection: HooksConnection) -> None: ...
    def idle(self, connection: HooksConnection) -> None: ...
    def reserve(self, size: int) -> bool: ...
    def release(self, size: int) -> None: ...
    @property
    def read_buffer(self) -> memoryview: ...


class _StopParsing(Exception):
    """Raised inside a parser callback to stop parsing this connection."""


_WATCHED_LENGTHS = (len(b"content-length"), len(b"expect"))
_METHODS: dict[bytes, str] = {}
_VERSIONS = {"1.1": "HTTP/1.1", "1.0": "HTTP/1.0"}


class HooksConnection(asyncio.BufferedProtocol):
    def __init__(self, server: ConnectionHost, receiver: Receiver) -> None:
        self._server = server
        self._receiver = receiver
        self._parser = httptools.HttpRequestParser(self)
        self._transport: asyncio.Transport | None = None
        self._remote: str | None = None
        self._answers = OrderedAnswers(self)
        self._flow = FlowControl(self._feed, self._answers.count, self._has_ended)
        self._ended = False  # no more requests are read: answer what is owed, then close
        self._eof = False  # the sender closed its side
        self._eof_written = False
        self.deadline: float | None = None  # loop time after which expire() is called
        self._request = RequestInProgress(0.0)
        # Read since the last request ended (or the connection opened), then since this
        # one's body began, give or take a slice: what the parser buffers outside a body.
        self._read_bytes = 0

    # ---- asyncio.Protocol ----

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = self._flow.transport = transport
        self._remote = peer_address(transport.get_extra_info("peername"))
        self._server.track(self)

    def get_buffer(self, sizehint: int) -> memoryview:
        # The listener's one buffer, not asyncio's new 256 KiB bytes a read cut to size: freed
        # between the bodies the store keeps, those left ~110 B of heap holes per stored
        # request (bench/README.md, "Issue 24 (session 9): memory").
        return self._server.read_buffer

    def buffer_updated(self, nbytes: int) -> None:
        # nothing keeps what was read past the call: the next read reuses the buffer
        self._flow.received(self._server.read_buffer[:nbytes])

    def _feed(self, data: bytes | memoryview) -> None:
        if self._ended:
            return  # lingering after a final answer: what follows is discarded
        if self._request.upgrade_body_left:
            self._take_upgrade_body(data)
            return
        self._read_bytes += len(data)
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserUpgrade as upgrade:
            if self._request.upgrade_body_left:  # the parser stops at the body: read it
                self._take_upgrade_body(memoryview(data)[upgrade.args[0]:])
            else:
                self._end()  # the request was answered; what follows it is not HTTP
        except httptools.HttpParserCallbackError as error:
            if not isinstance(error.__context__, _StopParsing):
                raise
        except httptools.HttpParserError as error:
            reason = f"bad request: {str(error) or type(error).__name__}"
            if self._request.in_body:  # the head was fine: keep what came, say why it stopped
                self._incomplete(reason)
                self._end()
            else:
                self._reject(400, reason)
        if self._request.in_body or self._read_bytes > MAX_HEAD_BYTES:  # else within bounds
            self._bound_what_the_parser_holds()

    def _bound_what_the_parser_holds(self) -> None:
        request = self._request
        if not request.in_body:
            if self._read_bytes > MAX_HEAD_BYTES:
                self._reject_head()  # a head that never ends
        elif self._read_bytes - request.body_size > request.body_size + MAX_HEAD_BYTES:
            # Far more chunk framing or trailers than body: a trailer that never ends.
            self._incomplete("chunk framing or trailers too large")
            self._end()

    def eof_received(self) -> bool:
        self._eof = True  # read only while nothing is in the backlog, so it all came before
        if self._request.in_body:
            self._incomplete("the sender closed its side")
        self._end()
        return True  # owed answers are still written; _end closes after them

    def connection_lost(self, exc: Exception | None) -> None:
        self._server.forget(self)
        self._flow.drop_backlog()
        if self._request.in_body:
            self._incomplete("connection lost")
        self._release()
        self._answers.abandon()

    def pause_writing(self) -> None:
        self._flow.write_blocked = True
        self._flow.update()

    def resume_writing(self) -> None:
        self._flow.write_blocked = False
        self._flow.update()

    # ---- httptools callbacks ----

    def on_message_begin(self) -> None:
        if self._ended:
            raise _StopParsing  # a request after the last one this connection answers
        self._request = RequestInProgress(time.time())

    def on_url(self, url: bytes) -> None:
        self._request.url += url

    def on_header(self, name: bytes, value: bytes) -> None:
        request = self._request
        if request.in_body:
            self._trailer(b"%s: %s\r\n" % (name, value))
            return
        request.lines += (name, b": ", value, b"\r\n")  # no formatting: joined once, later
        if len(name) in _WATCHED_LENGTHS:  # lowering every name would cost more
            lowered = name.lower()
            if lowered == b"content-length" and value.isdigit():
                request.declared = int(value)
            elif lowered == b"expect":
                request.expect_continue = value.lower() == b"100-continue"

    def on_headers_complete(self) -> None:
        self._read_bytes = 0
        request = self._request
        request.header_block = b"".join(request.lines)
        request.head_bytes = len(request.url) + len(request.header_block)
        if len(request.lines) > MAX_HEADERS * PARTS_PER_LINE or request.head_bytes > MAX_HEAD_BYTES:
            self._reject_head()
            raise _StopParsing
        parser = self._parser
        request.keep_alive = parser.should_keep_alive()
        version = parser.get_http_version()
        request.version = _VERSIONS.get(version) or f"HTTP/{version}"
        raw_method = parser.get_method()
        method = _METHODS.get(raw_method)
        if method is None:
            method = _METHODS.setdefault(raw_method, raw_method.decode("ascii"))
        request.method = method
        request.in_body = True
        self.deadline = self._server.now() + BODY_TIMEOUT_S
        if request.declared is not None and request.declared > self._receiver.max_body:
            self._body_too_large(request.declared)
        if request.declared:
            self._reserve(request.declared)
        if request.expect_continue and self._answers.idle:
            self._write(CONTINUE)

    def on_body(self, chunk: bytes) -> None:
        request = self._request
        request.body_size += len(chunk)
        if request.body_size > self._receiver.max_body:
            self._body_too_large(request.body_size)
        if request.declared is None:  # chunked: reserved as it comes
            self._reserve(len(chunk))
        request.chunks.append(chunk)

    def _reserve(self, size: int) -> None:
        """Room for body bytes within --max-inflight over all connections, or a 503."""
        if not self._server.reserve(size):
            self._request.in_body = False
            self._request.chunks = []
            self._hand_on(b"", Refused.of(Refusal.BUSY), False)
            self._end()
            raise _StopParsing
        self._request.reserved += size

    def _release(self) -> None:
        self._server.release(self._request.reserved)
        self._request.reserved = 0

    def _trailer(self, line: bytes) -> None:
        """Trailers are kept apart from the headers, within the same limits as the head."""
        request = self._request
        request.trailers.append(line)
        request.head_bytes += len(line)
        if len(request.lines) // PARTS_PER_LINE + len(request.trailers) > MAX_HEADERS or \
                request.head_bytes > MAX_HEAD_BYTES:
            request.in_body = False
            request.trailers = []
            self._hand_on(request.take_body(), Refused.of(Refusal.TRAILERS_TOO_LARGE), False)
            self._end()
            raise _StopParsing

    def on_message_complete(self) -> None:
        request = self._request
        if self._parser.should_upgrade() and request.method != "CONNECT" and request.declared:
            # We never upgrade, so an upgrade request is a request like any other, but the
            # parser hands over at the end of the head: its body is read raw (_feed).
            request.upgrade_body_left = request.declared
            return
        request.in_body = False
        self._read_bytes = 0
        self._hand_on(request.take_body(), None, request.keep_alive)
        if not request.keep_alive:
            self._end()  # nothing after this request is read

    def _take_upgrade_body(self, data: bytes | memoryview) -> None:
        request = self._request
        taken = bytes(data[:request.upgrade_body_left])
        request.upgrade_body_left -= len(taken)
        self.on_body(taken)
        if not request.upgrade_body_left:
            request.in_body = False
            self._hand_on(request.take_body(), None, False)
            self._end()  # what follows an upgrade request is not read

    # ---- handing the request on ----

    def _hand_on(self, body: bytes, refused: Refused | None, keep_alive: bool) -> None:
        request = self._request
        if request.reserved:  # _release, spelt out: the body is the store's now (or dropped)
            self._server.release(request.reserved)
            request.reserved = 0
        incoming = arrival(request.received_at, request.method, request.url, request.version,
                           self._remote, request.header_block, body, request.body_size,
                           b"".join(request.trailers))
        reply = self._receiver.receive(incoming, refused, received_headers(request.lines,
                                                                        len(request.header_block)))
        framing = FRAMINGS[keep_alive, request.method == "HEAD", request.version == "HTTP/1.0"]
        if self._answers.add(reply, framing):
            if keep_alive and not request.in_body:
                self._server.idle(self)
        else:
            self.deadline = None

    def _body_too_large(self, size: int) -> None:
        self._request.in_body = False
        self._request.body_size = size
        self._request.chunks = []
        self._hand_on(b"", Refused.of(Refusal.BODY_TOO_LARGE), False)
        self._end()
        raise _StopParsing

    def _incomplete(self, reason: str) -> None:
        request = self._request
        request.in_body = False
        self._hand_on(request.take_body(), request.incomplete(reason), False)

    def expire(self) -> None:
        """Called by the server's sweep once `deadline` has passed."""
        self.deadline = None
        if self._request.in_body:
            self._incomplete(f"no complete body within {BODY_TIMEOUT_S:g} s")
            self._end()
        elif self._transport is not None:
            self._transport.close()  # idle, or a request head that never ended

    def _reject_head(self) -> None:
        # The target arrives in pieces as it is read: when it is most of what was read, it is
        # what is too long; otherwise a header line is (even one not yet complete).
        request = self._request
        if len(request.url) * 2 > max(self._read_bytes, request.head_bytes):
            self._reject(414, "request target too long")
        else:
            self._reject(431, "request header fields too large")

    def _reject(self, status: int, reason: str) -> None:
        """A request that cannot be parsed is answered, not captured, and ends the connection."""
        if self._ended:
            return
        response = ResponseRecord(status, JSON_HEADERS, error_body(reason), 0.0, "inspector")
        if not self._answers.add(response, Framing(False, False, False)):
            self.deadline = None
        self._end()

    # ---- answers (OrderedAnswers calls these) ----

    def send(self, reply: ResponseRecord | Fault, framing: Framing) -> None:
        transport = self._transport
        if transport is None or transport.is_closing() or self._eof_written:
            return
        if isinstance(reply, Fault):
            self._ended = True
            transport.abort()
            return
        keep_alive, head, http10 = framing  # read once: a NamedTuple's reads are not specialised
        transport.write(response_bytes(reply.status, reply.headers, reply.body, now=time.time(),
                                       keep_alive=keep_alive, http10=http10, head=head))
        if not keep_alive:
            self._end()

    def owed_changed(self) -> None:
        self._flow.update()

    def all_answered(self) -> None:
        if self._ended:
            self._close()
        else:
            self._server.idle(self)

    def _write(self, data: bytes) -> None:
        if self._transport is not None and not self._transport.is_closing():
            self._transport.write(data)

    def _has_ended(self) -> bool:
        return self._ended

    def _end(self) -> None:
        """No more requests: close once the owed answers are written. Until then input is
        read and dropped, so that a sender still writing a refused body gets our answer
        rather than a reset."""
        self._ended = True
        self._flow.update()
        if self._answers.idle:
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

    def abort(self) -> None:
        if self._transport is not None:
            self._transport.abort()

    @property
    def busy(self) -> bool:
        return self._request.in_body or self._answers.busy

    @property
    def reading(self) -> bool:
        """Whether the transport reads (it pauses while the sender does not read answers)."""
        return self._transport is not None and self._transport.is_reading()
