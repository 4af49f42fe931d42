"""Loopback ports for the bench's servers: a free one, and waiting until one listens."""

from __future__ import annotations

import socket
import time


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_listening(port: int, within_s: float = 120.0) -> None:
    """Return once 127.0.0.1:`port` accepts a connection; ConnectionRefusedError after
    `within_s`."""
    deadline = time.monotonic() + within_s
    while True:
        try:
            socket.create_connection(("127.0.0.1", port)).close()
            return
        except ConnectionRefusedError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
