"""An upstream on loopback that speaks raw bytes, for the outgoing client's tests: it records
each request's exact bytes and counts the connections it accepted; what it answers is the
test's (`answer(request_bytes) -> bytes`, and whether to close after it)."""

from __future__ import annotations

import asyncio
import re
import socket
import struct
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from .conftest import eventually

_LENGTH = re.compile(rb"\r\ncontent-length: *(\d+)\r\n", re.IGNORECASE)

Answering = Callable[[bytes], bytes | None]  # None: answer nothing, close


def ok(body: bytes = b"ok", *headers: str) -> bytes:
    head = "".join(f"{line}\r\n" for line in headers)
    return f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n{head}\r\n".encode() + body


@dataclass
class RawUpstream:
    answer: Answering = field(default=lambda request: ok())
    close_after: bool = False  # close each connection after its first answer
    reset: bool = False  # where `answer` gives None, reset the connection
    requests: list[bytes] = field(default_factory=list)
    accepted: int = 0
    open_now: int = 0
    most_open: int = 0
    hold: asyncio.Event | None = None  # when set up, answers wait for it
    writers: list[asyncio.StreamWriter] = field(default_factory=list)
    port: int = 0

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        self.open_now += 1
        self.most_open = max(self.most_open, self.open_now)
        self.writers.append(writer)
        try:
            while (request := await read_request(reader)) is not None:
                self.requests.append(request)
                if self.hold is not None:
                    await self.hold.wait()
                answer = self.answer(request)
                if answer is None:
                    if self.reset:  # RST rather than FIN
                        sock = writer.get_extra_info("socket")
                        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                        struct.pack("ii", 1, 0))
                    break
                writer.write(answer)
                await writer.drain()
                if self.close_after:
                    break
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self.open_now -= 1
            writer.close()

    def close_idle_connections(self) -> None:
        for writer in self.writers:
            writer.close()


async def read_request(reader: asyncio.StreamReader) -> bytes | None:
    """One request's head and Content-Length body, as bytes; None at EOF."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    length = _LENGTH.search(head)
    body = await reader.readexactly(int(length.group(1))) if length else b""
    return head + body


@asynccontextmanager
async def raw_upstream(upstream: RawUpstream | None = None) -> AsyncIterator[RawUpstream]:
    upstream = upstream or RawUpstream()
    server = await asyncio.start_server(upstream.serve, "127.0.0.1", 0)
    upstream.port = server.sockets[0].getsockname()[1]
    try:
        yield upstream
    finally:
        upstream.close_idle_connections()
        server.close()
        await server.wait_closed()
        await eventually(lambda: upstream.open_now == 0)  # each handler ends on its own
