"""The hooks listener's server: a HooksConnection per accepted socket, a sweep that closes
stalled connections, and a shutdown that lets requests in progress finish."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from .connection import HooksConnection, Receiver

READ_SIZE = 256 * 1024  # asyncio's own read size


class HooksServer:
    """Closes connections that send no complete request within IDLE_TIMEOUT_S (slow loris and
    idle keep-alive alike), so that a stalled sender cannot hold connections open forever."""

    IDLE_TIMEOUT_S = 10.0
    SWEEP_EVERY_S = 1.0

    def __init__(self, receiver: Receiver) -> None:
        self._receiver = receiver
        self.inflight = 0  # body bytes held by connections still reading them
        self._loop = asyncio.get_running_loop()
        # The connections' clock, asked twice a request: asyncio's own loop reads time.monotonic
        # in a Python method, so it is read directly (a frame fewer each time); another loop
        # (uvloop, a test's) keeps its own.
        self.now: Callable[[], float] = time.monotonic \
            if type(self._loop).time is asyncio.BaseEventLoop.time else self._loop.time
        self._connections: set[HooksConnection] = set()
        self._sweeper: asyncio.TimerHandle | None = None
        self._socket: asyncio.Server | None = None
        self.read_buffer = memoryview(bytearray(READ_SIZE))  # every connection reads into it

    def __call__(self) -> HooksConnection:
        return HooksConnection(self, self._receiver)

    async def start(self, host: str, port: int) -> tuple[str, int]:
        """Listen; the bound address (port 0 picks one). OSError when it cannot bind."""
        self._socket = await self._loop.create_server(self, host, port)
        bound = self._socket.sockets[0].getsockname()
        return str(bound[0]), int(bound[1])

    @property
    def connections(self) -> frozenset[HooksConnection]:
        """The connections open now."""
        return frozenset(self._connections)

    def track(self, connection: HooksConnection) -> None:
        self._connections.add(connection)
        self.idle(connection)
        if self._sweeper is None:
            self._sweeper = self._loop.call_later(self.SWEEP_EVERY_S, self._sweep)

    def forget(self, connection: HooksConnection) -> None:
        self._connections.discard(connection)

    def idle(self, connection: HooksConnection) -> None:
        connection.deadline = self.now() + self.IDLE_TIMEOUT_S

    def reserve(self, size: int) -> bool:
        if self.inflight + size > self._receiver.max_inflight:
            return False
        self.inflight += size
        return True

    def release(self, size: int) -> None:
        self.inflight -= size

    def _sweep(self) -> None:
        now = self.now()  # the clock the deadlines were set by
        for connection in list(self._connections):
            if connection.deadline is not None and connection.deadline < now:
                connection.expire()
        self._sweeper = self._loop.call_later(self.SWEEP_EVERY_S, self._sweep) \
            if self._connections else None

    async def close(self, timeout: float) -> None:
        """Stop listening, close idle and held connections now, give the others `timeout`
        seconds to finish their answers, then cut them off."""
        if self._socket is not None:
            self._socket.close()
        if self._sweeper is not None:
            self._sweeper.cancel()
            self._sweeper = None
        for connection in list(self._connections):
            if not connection.busy:
                connection.abort()
        deadline = self._loop.time() + timeout
        while any(c.busy for c in self._connections) and self._loop.time() < deadline:
            await asyncio.sleep(0.05)
        for connection in list(self._connections):
            connection.abort()
        if self._socket is not None:
            await self._socket.wait_closed()
        await self._receiver.close()
