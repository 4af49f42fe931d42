"""Fuzzing the hooks listener of the real CLI with raw sockets, on a fixed budget (FUZZ_EXAMPLES,
400 by default): every input
is answered or closed, the server lives on, and the well-formed request sent after each input
is captured."""

from __future__ import annotations

import json
import os
import signal
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .cli_process import Running, close, start

TOKENS = [b"GET", b"POST", b"PROPFIND", b" ", b"/", b"?", b"&", b"=", b"%", b"%zz", b"\r\n",
          b"\n", b"\r", b":", b"HTTP/1.1", b"HTTP/1.0", b"Host: x", b"Content-Length: ",
          b"Transfer-Encoding: chunked", b"Content-Encoding: gzip", b"0", b"5", b"-1",
          b"99999999999999999999", b"\x00", b"\xff", b"\xc3\x28", b"{", b"}", b"\"", b"\t"]

request_like = st.lists(st.sampled_from(TOKENS) | st.binary(max_size=16), max_size=40).map(
    b"".join)
anything = st.binary(max_size=2048)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    running = start("--hook", "127.0.0.1:0", "--ui", "127.0.0.1:0", "--max-requests", "5000",
                    cwd=Path(tmp_path_factory.mktemp("fuzz")))
    yield running
    running.process.send_signal(signal.SIGINT)
    _, errors = running.process.communicate(timeout=10)
    # Nothing the fuzzer sent may reach the event loop's handler of unexpected errors.
    assert "Traceback" not in errors and "exception" not in errors.lower(), errors[-3000:]
    close(running.process)


def send_raw(server: Running, data: bytes, half_close: bool = True) -> bytes:
    """Send bytes and read until the server closes. Half-closing ends an incomplete request at
    once (the server then closes, as it does for any client that stops sending)."""
    split = urlsplit(server.hook_url)
    with socket.create_connection((split.hostname, split.port), timeout=5) as connection:
        try:
            connection.sendall(data)
            if half_close:
                connection.shutdown(socket.SHUT_WR)
            chunks = []
            while chunk := connection.recv(65536):
                chunks.append(chunk)
            return b"".join(chunks)
        except (ConnectionError, TimeoutError):
            return b""


counter = iter(range(1_000_000))


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "400")), deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=request_like | anything)
def test_fuzzed_input_is_answered_or_closed_and_good_requests_still_land(
        server: Running, data: bytes) -> None:
    answer = send_raw(server, data)
    assert answer == b"" or answer.startswith(b"HTTP/1."), answer[:100]
    marker = next(counter)
    good = send_raw(server, b"POST /good/%d HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                            b"Connection: close\r\n\r\nok" % marker, half_close=False)
    assert good.startswith(b"HTTP/1.1 200"), good[:200]
    request_id = json.loads(good.split(b"\r\n\r\n", 1)[1])["id"]
    assert server.api(f"/api/requests/{request_id}")["path"] == f"/good/{marker}"
    assert server.process.poll() is None
