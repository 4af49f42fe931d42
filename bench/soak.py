"""Soak: a bounded run at a steady high rate with a full ring, 10 websocket clients reading
everything and one that never reads. Prints one JSON line; exit 1 if anything was lost, an
answer was an error, or memory grew past the caps.

Usage: python bench/soak.py [--seconds 120] [--rate 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import socket
import sys
import threading
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scenarios
from run import SECRET, inspector_args, process, urls

MAX_REQUESTS = 2000


def stalled_client(ui_url: str) -> socket.socket:
    """A websocket that completes its handshake and never reads again."""
    host, port = ui_url.rsplit("/", 1)[1].split(":")
    frozen = socket.create_connection((host, int(port)))
    frozen.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    key = base64.b64encode(os.urandom(16)).decode()
    frozen.sendall((f"GET /ws?after=0 HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                    f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                    "Sec-WebSocket-Version: 13\r\n\r\n").encode())
    frozen.recv(1024)
    return frozen


def get_json(url: str) -> dict:  # type: ignore[type-arg]
    with urllib.request.urlopen(url, timeout=10) as answer:
        return dict(json.loads(answer.read()))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--rate", type=float, default=1000.0, help="requests per second")
    options = parser.parse_args()
    seconds, rate = options.seconds, options.rate
    # The count is the binding cap (2,000 requests of about 1.3 KB with their headers).
    args = inspector_args(*SECRET, "--max-requests", str(MAX_REQUESTS), "--max-bytes", "4MiB")
    with process(args, "Webhooks") as (proc, line):
        hook, ui = urls(line, proc)
        clients = scenarios.start_clients(ui, 10, seconds + 5)
        frozen = stalled_client(ui)
        samples: list[int] = []
        done = threading.Event()

        def sample() -> None:
            while not done.wait(max(1.0, seconds / 24)):
                samples.append(scenarios.rss_kib(proc.pid))

        sampler = threading.Thread(target=sample)
        sampler.start()
        sent, errors = asyncio.run(scenarios.paced(hook, rate, seconds, workers=8))
        done.set()
        sampler.join()
        received = scenarios.finish_clients(clients)
        frozen.close()
        health = get_json(ui + "/healthz")
        last_id = get_json(ui + "/api/requests?limit=1")["last_id"]
    settled = samples[len(samples) // 4:] or samples
    growth = (max(settled) - settled[0]) / settled[0] if settled else 0.0
    report = {
        "bench": "soak", "seconds": seconds, "rate": rate, "requests": sent,
        "errors": errors, "ids_allocated": last_id, "stored": health["requests"],
        "min_received_by_a_client": min(received["received"]),
        "rss_kib_first": samples[0] if samples else None,
        "rss_kib_last": samples[-1] if samples else None,
        "rss_growth_after_warmup": round(growth, 4),
    }
    print(json.dumps(report), flush=True)
    accounted = last_id == sent and health["requests"] == MAX_REQUESTS
    complete = report["min_received_by_a_client"] >= sent
    ok = errors == 0 and accounted and complete and growth < 0.10
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
