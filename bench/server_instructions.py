"""Instructions per request of the whole server process, the bare aiohttp baseline against the
inspector, as each runs under `wrk`'s kind of load: the real server (its event loop, sockets,
parser, capture and answer), counted by callgrind, so the figure does not depend on the load
of the machine the way req/s and CPU time do.

Each server is run twice under `valgrind --tool=callgrind`, answering N and then 4N requests
sent by a client of 32 keep-alive connections (each sends its next request when its answer is
read, as wrk does); the difference over 3N is what one request costs, start and stop cancelled
out. User-space instructions only: the kernel's share (one recvfrom and one sendto a request
for both, `strace -c`) is not counted.

    python bench/server_instructions.py [--requests 100] [--only baseline capture_verified ...]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import selectors
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import BENCH_SECRET, BONDIFY, GITHUB, Scenario
from ports import free_port, wait_listening

PYTHON = os.path.realpath(sys.executable)  # not the pyenv shim: callgrind would count a shell
CONNECTIONS = 32
# The inspector's CLI with its text index made only when asked: on its timer it would run
# fifty times as often per request under valgrind's slowdown (bench/capture_path.py does the same).
INSPECTOR = ("import sys; from inspector.store import memory; "
             "memory.INDEX_WAIT_S = memory.INDEX_BUSY_PAUSE_S = 3600.0; "
             "from inspector.cli import main; sys.exit(main())")
# A history of 100 (at most N): each of the 3N requests counted evicts one, as every request
# of a wrk run does at the default --max-requests of 1,000 (one kept whole, none evicted,
# left out ~7,000 instructions a request).
KEPT = ("--max-requests", "100")
SUBJECTS: dict[str, tuple[list[str], Scenario]] = {
    "baseline": ([str(Path(__file__).resolve().parent / "baseline_server.py")], BONDIFY),
    "capture": (["-c", INSPECTOR, "--ui", "0", *KEPT], BONDIFY),
    "capture_verified": (["-c", INSPECTOR, "--ui", "0", *KEPT,
                          "--secret", f"bondify={BENCH_SECRET}"], BONDIFY),
    "capture_github_verified": (["-c", INSPECTOR, "--ui", "0", *KEPT,
                                 "--secret", f"github={BENCH_SECRET}"], GITHUB),
}


def request_bytes(scenario: Scenario, port: int) -> bytes:
    head = [f"POST {scenario.path} HTTP/1.1", f"Host: 127.0.0.1:{port}",
            f"Content-Length: {len(scenario.body)}"]
    head += [f"{name}: {value}" for name, value in scenario.headers.items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + scenario.body


def answered(buffer: bytearray) -> bool:
    """Whether `buffer` holds one complete answer (taken off it when so)."""
    end = buffer.find(b"\r\n\r\n")
    if end < 0:
        return False
    length = re.search(rb"(?i)content-length: *(\d+)", bytes(buffer[:end]))
    total = end + 4 + (int(length.group(1)) if length else 0)
    if len(buffer) < total:
        return False
    del buffer[:total]
    return True


def send(port: int, scenario: Scenario, count: int) -> None:
    """`count` requests over CONNECTIONS connections, each sending its next once answered."""
    request = request_bytes(scenario, port)
    selector = selectors.DefaultSelector()
    sent = done = 0
    for _ in range(min(CONNECTIONS, count)):
        connection = socket.create_connection(("127.0.0.1", port))
        connection.sendall(request)
        sent += 1
        selector.register(connection, selectors.EVENT_READ, bytearray())
    while done < count:
        for key, _ in selector.select(timeout=120):
            connection, buffer = key.fileobj, key.data
            assert isinstance(connection, socket.socket)
            data = connection.recv(65536)
            if not data:
                raise RuntimeError("the server closed a connection")
            buffer += data
            while answered(buffer):
                done += 1
                if sent < count:
                    connection.sendall(request)
                    sent += 1
    for key in list(selector.get_map().values()):
        key.fileobj.close()  # type: ignore[union-attr]


def instructions(name: str, count: int, directory: Path) -> int:
    """The server's instructions from start to stop, having answered `count` requests."""
    args, scenario = SUBJECTS[name]
    port = free_port()
    args = [*args, str(port)] if name == "baseline" else [*args, "--hook", str(port)]
    out = directory / f"{name}.{count}.out"
    server = subprocess.Popen(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", PYTHON, *args],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**os.environ, "PYTHONHASHSEED": "0"})
    assert server.stdout is not None
    try:
        line = server.stdout.readline()  # "ready", or the inspector's "Webhooks  http://…"
        if not line:
            raise RuntimeError(f"{name} did not start")
        wait_listening(port)  # aiohttp says "ready" before its site listens
        send(port, scenario, count)
    finally:
        server.send_signal(2)
        server.wait(timeout=300)
    summary = re.search(r"^summary: (\d+)", out.read_text(), re.MULTILINE)
    assert summary is not None
    return int(summary.group(1))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100,
                        help="N (at least 100): runs of N and 4N")
    parser.add_argument("--only", nargs="*", choices=sorted(SUBJECTS), default=list(SUBJECTS))
    args = parser.parse_args()
    if args.requests < int(KEPT[1]):
        parser.error(f"--requests: at least {KEPT[1]}, so that every request counted evicts one")
    report: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as directory:
        for name in args.only:
            low = instructions(name, args.requests, Path(directory))
            high = instructions(name, 4 * args.requests, Path(directory))
            report[name] = round((high - low) / (3 * args.requests))
    if "baseline" in report:
        report.update({f"{name}_over_baseline": round(value / report["baseline"], 3)
                       for name, value in report.items() if name != "baseline"})
    print(json.dumps({"instructions_per_request": report}), flush=True)


if __name__ == "__main__":
    main()
