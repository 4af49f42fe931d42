"""Instructions a read costs the hooks listener's way before and after session 9 (run under
callgrind, 1,000 and 4,000 messages, the difference over 3,000): asyncio's Protocol (a new
256 KiB bytes a read, cut to size, handed on) and a BufferedProtocol reading into one buffer
(a slice of it handed on). A loopback client sends 1.6 KB messages, each answered before the
next: one read each. bench/capture_path.py feeds the connection directly, without this part.

Usage: python bench/read_path.py {bytes,buffer} COUNT
"""

from __future__ import annotations

import asyncio
import socket
import sys

MESSAGE = b"x" * 1600
BUFFER = memoryview(bytearray(256 * 1024))


class ReadBytes(asyncio.Protocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.handed(data)

    def handed(self, data: bytes | memoryview) -> None:
        self.transport.write(b"k")


class ReadIntoBuffer(ReadBytes, asyncio.BufferedProtocol):
    def get_buffer(self, sizehint: int) -> memoryview:
        return BUFFER

    def buffer_updated(self, nbytes: int) -> None:
        self.handed(BUFFER[:nbytes])


async def exchange(kind: str, count: int) -> None:
    loop = asyncio.get_running_loop()
    protocol = {"bytes": ReadBytes, "buffer": ReadIntoBuffer}[kind]
    server = await loop.create_server(protocol, "127.0.0.1", 0)
    client = socket.socket()
    client.setblocking(False)
    await loop.sock_connect(client, server.sockets[0].getsockname())
    for _ in range(count):
        await loop.sock_sendall(client, MESSAGE)
        await loop.sock_recv(client, 16)
    client.close()
    server.close()


if __name__ == "__main__":
    asyncio.run(exchange(sys.argv[1], int(sys.argv[2])))
