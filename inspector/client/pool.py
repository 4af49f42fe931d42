"""Open connections, idle ones kept per origin: at most `limit` open at once (callers beyond
wait), idle ones closed after `idle_s`, one the server closed never handed out."""

from __future__ import annotations

import asyncio
import os
import socket
import ssl
from collections import deque
from typing import NamedTuple

from .connection import Connection
from .errors import Failure


class Origin(NamedTuple):
    scheme: str
    host: str  # as connected to: IPv6 without brackets
    port: int


class Pool:
    def __init__(self, limit: int, idle_s: float) -> None:
        self._limit = limit
        self._idle_s = idle_s
        self._idle: dict[Origin, list[Connection]] = {}
        self._open: set[Connection] = set()
        self._connecting = 0
        self._waiters: deque[asyncio.Future[None]] = deque()
        self._sweep: asyncio.TimerHandle | None = None
        self._tls: ssl.SSLContext | None = None
        self._closed = False

    async def acquire(self, origin: Origin, fresh: bool) -> tuple[Connection, bool]:
        """A connection to `origin` and whether it was used before (`fresh`: never reused)."""
        while True:
            if self._closed:
                raise Failure("the client is closed")
            if not fresh and (idle := self._take_idle(origin)) is not None:
                return idle, True
            if len(self._open) + self._connecting < self._limit:
                break
            if not self._close_one_idle():
                await self._wait()
        self._connecting += 1
        try:
            connection = await self._connect(origin)
        finally:
            self._connecting -= 1
            self._wake()
        self._open.add(connection)
        return connection, False

    def release(self, connection: Connection, origin: Origin, keep: bool) -> None:
        if keep and not connection.closed and not self._closed:
            connection.idle_since = asyncio.get_running_loop().time()
            self._idle.setdefault(origin, []).append(connection)
            if self._sweep is None:
                self._sweep = asyncio.get_running_loop().call_later(self._idle_s, self._expire)
        else:
            connection.close()
        self._wake()

    async def close(self) -> None:
        self._closed = True
        if self._sweep is not None:
            self._sweep.cancel()
        for connection in list(self._open):
            connection.close()  # each wakes a waiter, which finds the client closed
        await asyncio.sleep(0)  # let the transports' close callbacks run

    def _take_idle(self, origin: Origin) -> Connection | None:
        """A closed connection is no longer idle (`_forget`); the most recently used is the
        least likely to be closed by the server."""
        idle = self._idle.get(origin)
        return idle.pop() if idle else None

    def _close_one_idle(self) -> bool:
        """Make room for another origin's connection; False when none is idle."""
        for idle in self._idle.values():
            if idle:
                idle.pop(0).close()
                return True
        return False

    def _forget(self, connection: Connection) -> None:
        """The connection is closed (by us, or by the server: `connection_lost`); called
        again when both happen."""
        if connection in self._open:
            self._open.discard(connection)
            for idle in self._idle.values():
                if connection in idle:
                    idle.remove(connection)
            self._wake()

    def _expire(self) -> None:
        now = asyncio.get_running_loop().time()
        self._sweep = None
        oldest = None
        for idle in self._idle.values():
            for connection in [c for c in idle if now - c.idle_since >= self._idle_s]:
                connection.close()
            if idle:
                oldest = min(oldest or idle[0].idle_since, idle[0].idle_since)
        if oldest is not None:
            wait = oldest + self._idle_s - now
            self._sweep = asyncio.get_running_loop().call_later(wait, self._expire)

    async def _wait(self) -> None:
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await waiter
        except BaseException:
            if waiter.done() and not waiter.cancelled():
                self._wake()  # woken, but leaving: the turn goes to the next one
            elif waiter in self._waiters:
                self._waiters.remove(waiter)
            raise

    def _wake(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return

    async def _connect(self, origin: Origin) -> Connection:
        loop = asyncio.get_running_loop()
        tls = self._tls_context() if origin.scheme == "https" else None
        try:
            _, connection = await loop.create_connection(
                lambda: Connection(self._forget), origin.host, origin.port, ssl=tls,
                server_hostname=origin.host if tls else None)
        except OSError as error:
            raise Failure(plain_reason(error)) from None
        except UnicodeError:  # the idna codec: an empty label, or one over 63 characters
            raise Failure("not a valid host name") from None
        return connection

    def _tls_context(self) -> ssl.SSLContext:
        if self._tls is None:
            self._tls = ssl.create_default_context()
        return self._tls


def plain_reason(error: OSError) -> str:
    """What went wrong connecting, without asyncio's address or OpenSSL's source line."""
    if isinstance(error, ssl.SSLCertVerificationError):
        return f"certificate verify failed: {error.verify_message}"
    if isinstance(error, ssl.SSLError):
        return f"TLS failed: {(error.reason or 'unknown').lower().replace('_', ' ')}"
    if isinstance(error, socket.gaierror):
        return error.strerror or str(error)
    if error.errno is not None:
        return os.strerror(error.errno)
    return str(error) or type(error).__name__
