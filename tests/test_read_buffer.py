"""The hooks listener reads into one buffer of its own (HooksConnection.get_buffer), not into a new
256 KiB bytes a read: those, cut to size and freed between the bodies the store keeps, left heap
holes worth ~110 B per stored request (bench/README.md, "Issue 24 (session 9): memory")."""

from __future__ import annotations

import asyncio
import socket
import tracemalloc

from inspector.hooks.server import READ_SIZE

from .conftest import AppsFactory
from .test_hooks_protocol import MockHost, MockReceiver, connect, get, settle


class BufferedHost(MockHost):
    def __init__(self) -> None:
        super().__init__()
        self.read_buffer = memoryview(bytearray(1024))


def read(connection: object, data: bytes) -> None:
    """What asyncio does for a BufferedProtocol: fill its buffer, say how much came."""
    buffer = connection.get_buffer(-1)  # type: ignore[attr-defined]
    buffer[:len(data)] = data
    connection.buffer_updated(len(data))  # type: ignore[attr-defined]


async def test_what_waits_unparsed_outlives_the_next_read_into_the_buffer() -> None:
    receiver = MockReceiver()
    host = BufferedHost()
    connection, transport = connect(receiver, host)  # type: ignore[arg-type]
    connection.pause_writing()  # the sender does not read: what comes waits as a backlog
    read(connection, get("/a") * 3)
    assert receiver.received == []
    host.read_buffer[:] = b"x" * len(host.read_buffer)  # the next read, on another connection
    connection.resume_writing()
    await settle()
    assert [incoming.path for incoming, _ in receiver.received] == ["/a"] * 3
    assert len(transport.answers()) == 3


async def test_a_request_is_read_without_a_read_sized_allocation(make_apps: AppsFactory
                                                                 ) -> None:
    apps = await make_apps()
    host, port = apps.hooks.server.host, apps.hooks.server.port
    loop = asyncio.get_running_loop()
    body = b"{}" * 512
    request = (b"POST /webhooks/x HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n%s"
               % (len(body), body))
    with socket.socket() as client:
        client.setblocking(False)
        await loop.sock_connect(client, (host, port))
        await exchange(loop, client, request)  # the connection's first read, warmed
        tracemalloc.start()
        try:
            for _ in range(5):
                await exchange(loop, client, request)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert peak < READ_SIZE // 4, peak  # asyncio's read was READ_SIZE, then cut to size


async def exchange(loop: asyncio.AbstractEventLoop, client: socket.socket, request: bytes
                   ) -> None:
    await loop.sock_sendall(client, request)
    answer = b""
    while b"\r\n\r\n" not in answer or not answer.endswith(b"}"):
        answer += await loop.sock_recv(client, 4096)
