"""Memory with large bodies sent one at a time: the server's RSS after each, against what the
caps allow. Bounded: COUNT bodies of SIZE, one connection each, in sequence.

Usage: python bench/large_bodies.py [--count 60] [--size-mib 8] [--max-bytes 64MiB]
       [--env NAME=VALUE]...   (e.g. MALLOC_MMAP_THRESHOLD_=131072 to compare allocators)
Prints one JSON line: RSS in MiB after each body, and the peak.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError("no VmRSS")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--size-mib", type=int, default=8)
    parser.add_argument("--max-bytes", default="64MiB")
    parser.add_argument("--env", action="append", default=[])
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT),
           **dict(item.split("=", 1) for item in args.env)}
    server = subprocess.Popen(
        [sys.executable, "-m", "inspector", "--hook", "127.0.0.1:0", "--ui", "127.0.0.1:0",
         "--max-bytes", args.max_bytes, "--max-body", f"{args.size_mib * 2}MiB"],
        stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert server.stdout is not None
        host, port = server.stdout.readline().split()[1].rsplit("/", 1)[1].split(":")
        server.stdout.readline()
        body = b"x" * (args.size_mib * 1024 * 1024)
        samples = []
        for _ in range(args.count):
            connection = http.client.HTTPConnection(host, int(port), timeout=30)
            connection.request("POST", "/big", body=body)
            connection.getresponse().read()
            connection.close()
            samples.append(rss_mib(server.pid))
        print(json.dumps({"size_mib": args.size_mib, "max_bytes": args.max_bytes,
                          "env": args.env, "rss_mib": samples, "peak_mib": max(samples),
                          "last_mib": samples[-1]}))
    finally:
        server.terminate()
        server.wait(10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
