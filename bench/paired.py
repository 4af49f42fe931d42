"""The baseline and one inspector subject under load at the same time, each with its own wrk,
so that both see the same machine: on a shared machine the load of the others moves threefold
between two windows of a few seconds (bench/README.md), which `run.py` (one after the other)
reads as a change of ratio. Run together, the two servers compete with the same neighbours
for the same seconds, so the ratio of their req/s is the ratio of what a request costs each.

Reports per round: req/s of each, server CPU µs per request, the share of one core each server
used (CPU seconds over wall seconds) and its voluntary context switches per request (a server
that waits for its sender, not for the CPU, switches voluntarily about once a request).

    python bench/paired.py [--seconds 4] [--rounds 3] [--subject capture_verified]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import BONDIFY, GITHUB, Scenario, run_wrk
from run import GITHUB_SECRET, SECRET, free_port, inspector_args, process

SUBJECTS: dict[str, tuple[list[str], Scenario]] = {
    "capture": (["--max-requests", "1000"], BONDIFY),
    "capture_verified": (["--max-requests", "1000", *SECRET], BONDIFY),
    "capture_github_verified": (["--max-requests", "1000", *GITHUB_SECRET], GITHUB),
}


def counters(pid: int) -> tuple[float, int]:
    """CPU seconds and voluntary context switches of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    status = Path(f"/proc/{pid}/status").read_text()
    voluntary = re.search(r"^voluntary_ctxt_switches:\s+(\d+)", status, re.MULTILINE)
    assert voluntary is not None
    return cpu, int(voluntary.group(1))


def together(targets: dict[str, tuple[int, str, Scenario]], seconds: float) -> dict[str, Any]:
    """wrk against every target at once; each server's figures over the same window."""
    before = {name: counters(pid) for name, (pid, _, _) in targets.items()}
    started = time.monotonic()
    with ThreadPoolExecutor(len(targets)) as pool:
        loads = {name: pool.submit(run_wrk, url, seconds, 32, scenario)
                 for name, (_, url, scenario) in targets.items()}
        results = {name: future.result() for name, future in loads.items()}
    wall = time.monotonic() - started
    report = {}
    for name, (pid, _, _) in targets.items():
        cpu, switches = counters(pid)
        requests = max(results[name].requests, 1)
        report[name] = {"rps": round(results[name].rps, 1),
                        "cpu_us_per_request": round((cpu - before[name][0]) / requests * 1e6, 1),
                        "core_share": round((cpu - before[name][0]) / wall, 3),
                        "voluntary_switches_per_request":
                            round((switches - before[name][1]) / requests, 4),
                        "errors": results[name].errors}
    return report


def paired_round(subject: str, seconds: float) -> dict[str, Any]:
    extra, scenario = SUBJECTS[subject]
    port = free_port()
    with process([sys.executable, "baseline_server.py", str(port)], "ready") as (base, _), \
            process(inspector_args(*extra), "Webhooks") as (inspector, line):
        targets = {"baseline": (base.pid, f"http://127.0.0.1:{port}{scenario.path}", scenario),
                   subject: (inspector.pid, line.split()[1] + scenario.path, scenario)}
        together(targets, 1.0)  # warm up, both at once
        report = together(targets, seconds)
    report["rps_ratio"] = round(report[subject]["rps"] / report["baseline"]["rps"], 3)
    report["cpu_ratio"] = round(report[subject]["cpu_us_per_request"]
                                / report["baseline"]["cpu_us_per_request"], 3)
    report["load_average"] = round(os.getloadavg()[0], 2)
    return report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--subject", choices=sorted(SUBJECTS), nargs="*",
                        default=["capture_verified"])
    args = parser.parse_args()
    report: dict[str, Any] = {}
    for subject in args.subject:
        rounds = [paired_round(subject, args.seconds) for _ in range(args.rounds)]
        report[subject] = {"rounds": rounds, "median_rps_ratio": statistics.median(
            r["rps_ratio"] for r in rounds), "median_cpu_ratio": statistics.median(
            r["cpu_ratio"] for r in rounds)}
    print(json.dumps(report), flush=True)


if __name__ == "__main__":
    main()
