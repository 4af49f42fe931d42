"""Reading follows the answers: a sender that pipelines requests but does not read our answers
is paused, not buffered (uvicorn's flow_control.py does the same for its protocols).

Input is parsed a slice at a time; once the socket's write buffer is full or too many answers
are owed, what was read but not parsed waits as a backlog and the transport stops reading,
until the answers move again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

MAX_OWED = 64  # pipelined requests waiting for their answers before reading pauses
FEED_SLICE = 16 * 1024  # parsed at a time, so that a stalled sender stops the parsing too


class FlowControl:
    def __init__(self, parse: Callable[[bytes | memoryview], None], owed: Callable[[], int],
                 ended: Callable[[], bool]) -> None:
        """`parse` takes input; `owed` counts the answers owed; `ended` says that no more
        requests are read (the last answer is decided)."""
        self._parse = parse
        self._owed = owed
        self._ended = ended
        self.transport: asyncio.Transport | None = None
        self.write_blocked = False  # the sender does not read our answers fast enough
        self._backlog: memoryview | None = None  # read but not parsed while answers stall

    @property
    def blocked(self) -> bool:
        return self.write_blocked or self._owed() >= MAX_OWED

    def received(self, data: bytes | memoryview) -> None:
        """Parse what came, a slice at a time: pipelined requests answered with large bodies
        would otherwise fill memory with answers the sender is not reading."""
        if len(data) <= FEED_SLICE and not self.write_blocked and self._owed() < MAX_OWED:
            self._parse(data)  # the usual read: `blocked` spelt out, one frame fewer a read
            return
        view = memoryview(data)
        for start in range(0, len(view), FEED_SLICE):
            if self.blocked and not self._ended():
                backlog = view[start:]  # parsed once the answers move again
                # a copy of what was read into the listener's buffer: the next read reuses it
                self._backlog = backlog if isinstance(view.obj, bytes) else \
                    memoryview(bytes(backlog))
                return
            self._parse(view[start:start + FEED_SLICE])

    def drop_backlog(self) -> None:
        self._backlog = None

    def update(self) -> None:
        """Read while answers keep up; once the last answer is decided, read and drop
        whatever still comes. A backlog is parsed before anything new is read."""
        ended = self._ended()
        wanted = ended or not self.blocked
        if wanted and self._backlog is not None:
            if ended:
                self._backlog = None
            else:
                asyncio.get_running_loop().call_soon(self._parse_backlog)
                return
        transport = self.transport
        if transport is None or transport.is_closing() or wanted == transport.is_reading():
            return
        if wanted:
            transport.resume_reading()
        else:
            transport.pause_reading()

    def _parse_backlog(self) -> None:
        backlog, self._backlog = self._backlog, None
        if backlog is not None:
            self.received(backlog)
        self.update()
