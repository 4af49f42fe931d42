"""Capture throughput against a bare aiohttp baseline, both run in this one invocation.

Prints one JSON line: req/s, CPU µs per request (server process), p50/p99 latency, and ratios to
the baseline. Usage: python bench/run.py [--seconds 5] [--smoke]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import BENCH_SECRET, LoadResult, run_load
from verify_cost import measure as measure_verification

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


@contextmanager
def process(args: list[str], ready: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """Start a server and yield it with the first stdout line that starts with `ready`."""
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parent)
    assert proc.stdout is not None
    try:
        line = proc.stdout.readline()
        while line and not line.startswith(ready):
            line = proc.stdout.readline()
        if not line:
            raise RuntimeError(f"{args} did not start")
        yield proc, line.strip()
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stdout.close()


def measure(proc: subprocess.Popen[str], url: str, seconds: float) -> dict[str, Any]:
    run_load(url, 1.0)  # warm up
    cpu_before = cpu_seconds(proc.pid)
    result: LoadResult = run_load(url, seconds)
    cpu = cpu_seconds(proc.pid) - cpu_before
    return {
        "rps": round(result.rps, 1),
        "cpu_us_per_request": round(cpu / max(result.requests, 1) * 1e6, 1),
        "p50_ms": round(result.p50_ms, 3),
        "p99_ms": round(result.p99_ms, 3),
        "requests": result.requests,
        "errors": result.errors,
        "load_tool": result.tool,
    }


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def bench_baseline(seconds: float) -> dict[str, Any]:
    port = free_port()
    with process([sys.executable, "baseline_server.py", str(port)], "ready") as (proc, _):
        return measure(proc, f"http://127.0.0.1:{port}/webhooks/bondify", seconds)


def bench_inspector(seconds: float, extra: list[str]) -> dict[str, Any]:
    args = [sys.executable, "-m", "inspector", "--hook", "0", "--ui", "0", *extra]
    with process(args, "Webhooks") as (proc, line):
        return measure(proc, line.split()[1] + "/webhooks/bondify", seconds)


def ratios(result: dict[str, Any], baseline: dict[str, Any]) -> dict[str, float]:
    return {
        "rps": round(result["rps"] / baseline["rps"], 3),
        "cpu_us_per_request": round(result["cpu_us_per_request"]
                                    / baseline["cpu_us_per_request"], 3),
        "p99_ms": round(result["p99_ms"] / baseline["p99_ms"], 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--smoke", action="store_true", help="a one-second run, for CI")
    args = parser.parse_args()
    seconds = 1.0 if args.smoke else args.seconds
    baseline = bench_baseline(seconds)
    capture = bench_inspector(seconds, ["--max-requests", "1000"])
    verified = bench_inspector(seconds, ["--max-requests", "1000",
                                         "--secret", f"bondify={BENCH_SECRET}"])
    print(json.dumps({
        "bench": "capture",
        "seconds": seconds,
        "baseline": baseline,
        "capture": capture,
        "capture_verified": verified,
        "ratio_capture": ratios(capture, baseline),
        "ratio_capture_verified": ratios(verified, baseline),
        "verification_in_process": measure_verification(),
    }), flush=True)


if __name__ == "__main__":
    main()
