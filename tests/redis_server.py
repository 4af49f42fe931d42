"""A real redis-server process on an ephemeral loopback port, with its own temporary directory.

Without redis-server on the PATH the Redis tests skip, unless INSPECTOR_REQUIRE_REDIS=1 (CI),
where they fail instead.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest

READY_WITHIN_S = 10.0


def redis_server_or_skip() -> str:
    found = shutil.which("redis-server")
    if found is None:
        if os.environ.get("INSPECTOR_REQUIRE_REDIS") == "1":
            pytest.fail("redis-server is not on the PATH (apt-get install -y redis-server)")
        pytest.skip("redis-server is not on the PATH (apt-get install -y redis-server)")
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def ready_notice() -> tuple[socket.socket, str]:
    """A datagram socket (abstract: no file, no path length) for redis-server to say it is
    ready on, as it tells systemd (`--supervised systemd`), and its NOTIFY_SOCKET name."""
    name = f"webhook-inspector-test-redis-{uuid.uuid4().hex}"
    notices = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    notices.bind("\0" + name)
    notices.settimeout(READY_WITHIN_S)
    return notices, "@" + name


def said_ready(notices: socket.socket) -> bool:
    """Whether redis-server said READY=1 (once it accepts connections, its data loaded)
    before READY_WITHIN_S went by without a word."""
    try:
        while b"READY=1" not in notices.recv(4096):
            pass
    except TimeoutError:
        return False
    return True


class RedisServer:
    """`start()` and `stop()` as often as a test needs; `keep_data` makes it append every
    write to a file in its directory (fsync always), so a restart finds the data again."""

    def __init__(self, directory: Path, keep_data: bool = True) -> None:
        self.binary = redis_server_or_skip()
        self.directory = directory
        self.keep_data = keep_data
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        arguments = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1",
                     "--dir", str(self.directory), "--save", "", "--daemonize", "no",
                     "--appendonly", "yes" if self.keep_data else "no",
                     "--appendfsync", "always", "--logfile", "redis.log",
                     "--supervised", "systemd"]
        notices, address = ready_notice()
        with notices:
            self.process = subprocess.Popen(arguments, stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL,
                                            env={**os.environ, "NOTIFY_SOCKET": address})
            if not said_ready(notices):
                log = self.directory / "redis.log"
                raise RuntimeError("redis-server did not start: " +
                                   (log.read_text()[-2000:] if log.exists() else ""))

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self.process = None

    def client(self) -> Any:
        """A client of our own (redis-py, synchronous) to change the server under the
        inspector: FLUSHALL, SAVE, CONFIG SET, keys of the wrong type."""
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=5)

    def everything(self) -> dict[bytes, bytes]:
        """Every key with its serialised value (DUMP): to show that nothing was written."""
        with self.client() as client:
            return {key: client.dump(key) for key in client.keys("*")}

    def forget_everything(self) -> None:
        """Stop, and lose the data, as a Redis restarted without persistence does."""
        self.stop()
        for name in ("appendonlydir", "appendonly.aof", "dump.rdb"):
            path = self.directory / name
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
