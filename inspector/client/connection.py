"""One connection to an upstream: a request's bytes out, one answer read back with httptools,
then either idle for the next request or closed. Anything arriving while idle closes it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import NamedTuple

import httptools

from .errors import Failure

MAX_HEAD_BYTES = 64 * 1024  # an answer's status line and headers
MAX_HEADER_LINES = 100
_SMALL_BODY = 64 * 1024  # sent in one write with the head; a larger one in its own write


class Answer(NamedTuple):
    status: int
    headers: list[tuple[bytes, bytes]]  # as received, trailers apart
    body: bytes  # as sent: never decompressed


class Dropped(Failure):
    """The connection ended before any byte of the answer: on a reused connection, the server
    most likely closed it idle as the request went out, so it may be sent again."""


class _Stop(Exception):
    """Raised in a parser callback to stop reading; the reason is already recorded."""


class Connection(asyncio.Protocol):
    def __init__(self, on_lost: Callable[[Connection], None]) -> None:
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self.idle_since = 0.0
        self.reusable = False  # after an answer: whether another request may follow
        self._on_lost = on_lost
        self._parser = httptools.HttpResponseParser(self)
        self._waiter: asyncio.Future[Answer] | None = None
        self._head_only = False
        self._read_limit: int | None = None
        self._got_bytes = False
        self._reset_answer()

    def _reset_answer(self) -> None:
        self._headers: list[tuple[bytes, bytes]] = []
        self._body: list[bytes] = []
        self._body_size = 0
        self._head_size = 0
        self._head_fed = 0
        self._headers_done = False
        self._interim = False
        self._problem: str | None = None

    async def exchange(self, head: bytes, body: bytes, head_only: bool,
                       read_limit: int | None) -> Answer:
        """Send one request, read its answer; `Failure` (or `Dropped`) when none came."""
        assert self.transport is not None and self._waiter is None
        self._waiter = asyncio.get_running_loop().create_future()
        self._head_only, self._read_limit, self.reusable = head_only, read_limit, False
        self._got_bytes = False
        self._reset_answer()
        if len(body) <= _SMALL_BODY:
            self.transport.write(head + body)
        else:  # the transport keeps what the socket does not take yet: all of it is ours anyway
            self.transport.write(head)
            self.transport.write(body)
        try:
            return await self._waiter
        finally:
            self._waiter = None

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()
        self._on_lost(self)  # at once: the transport says so only on the loop's next turn

    # asyncio.Protocol

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        if self._waiter is None or self._waiter.done():
            self.close()  # nothing was asked: a connection saying more cannot be trusted
            return
        self._got_bytes = True
        if not self._headers_done:
            self._head_fed += len(data)
            if self._head_fed - len(data) > MAX_HEAD_BYTES:
                self._fail(f"the answer's head is over {MAX_HEAD_BYTES // 1024} KB")
                return
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self._fail("malformed answer: a protocol switch nobody asked for")
        except httptools.HttpParserError as error:
            self._fail(self._problem or f"malformed answer: {error}")

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._on_lost(self)
        waiter = self._waiter
        if waiter is None or waiter.done():
            return
        if self._headers_done and not self._framed():
            self._finish()  # read until close: the close is the end of the body
        elif not self._got_bytes:
            waiter.set_exception(Dropped(_closed_reason(exc)))
        else:
            waiter.set_exception(Failure("the connection closed in the middle of the answer"))

    # httptools callbacks

    def on_message_begin(self) -> None:
        if self._waiter is None or self._waiter.done():
            self.reusable = False
            self._stop("an answer nobody asked for")

    def on_header(self, name: bytes, value: bytes) -> None:
        if self._headers_done:
            return  # a trailer: ignored
        self._head_size += len(name) + len(value) + 4
        if self._head_size > MAX_HEAD_BYTES:
            self._stop(f"the answer's head is over {MAX_HEAD_BYTES // 1024} KB")
        if len(self._headers) >= MAX_HEADER_LINES:
            self._stop(f"the answer has more than {MAX_HEADER_LINES} header lines")
        self._headers.append((name, value))

    def on_headers_complete(self) -> None:
        self._headers_done = True
        status = self._parser.get_status_code()
        self._interim = 100 <= status < 200
        if self._head_only and not self._interim:
            self._finish()  # its Content-Length is a GET's; what follows cannot be read

    def on_body(self, body: bytes) -> None:
        if self._waiter is None or self._waiter.done():
            return
        self._body.append(body)
        self._body_size += len(body)
        if self._read_limit is not None and self._body_size >= self._read_limit:
            self._finish()

    def on_message_complete(self) -> None:
        if self._interim:  # 1xx: the real answer follows
            self._reset_answer()
        elif self._waiter is not None and not self._waiter.done():
            self._finish(self._parser.should_keep_alive())

    def _framed(self) -> bool:
        """Whether the answer says where its body ends (else the close does)."""
        return self._interim or self._parser.get_status_code() in (204, 304) or any(
            name.lower() in (b"content-length", b"transfer-encoding")
            for name, _ in self._headers)

    def _finish(self, keep: bool = False) -> None:
        assert self._waiter is not None
        self.reusable = keep and not self.closed
        body = b"".join(self._body)
        if self._read_limit is not None:
            body = body[:self._read_limit]
        self._waiter.set_result(Answer(self._parser.get_status_code(), self._headers, body))

    def _stop(self, problem: str) -> None:
        self._problem = problem
        raise _Stop(problem)

    def _fail(self, problem: str) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_exception(Failure(problem))
        self.close()


def _closed_reason(error: Exception | None) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror  # "Connection reset by peer", without the errno
    return str(error) if error else "the connection closed before an answer"
