"""Capture throughput against a bare aiohttp baseline, both run in this one invocation,
interleaved: each round runs the baseline and then every throughput subject, and each subject
is judged against its own round's baseline (the machine's speed drifts between rounds, not
within one).

Prints one JSON line: per round, req/s, CPU µs per request (server process), p50/p99 latency
and ratios to that round's baseline; the median ratio of each subject over the rounds.
Usage: python bench/run.py [--seconds 5] [--rounds 3] [--only ...] [--smoke]
`table` gives the rows of issue 24's table, each as measured in this run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scenarios
from load import BENCH_SECRET, BONDIFY, GITHUB, PAYLOAD, LoadResult, Scenario, run_load
from ports import free_port, wait_listening
from verify_cost import measure as measure_verification


@contextmanager
def process(args: list[str], ready: str, cwd: Path = Path(__file__).parent
            ) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """Start a server and yield it with the first stdout line that starts with `ready`."""
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True, cwd=cwd)
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


def measure(proc: subprocess.Popen[str], url: str, seconds: float,
            scenario: Scenario = BONDIFY) -> dict[str, Any]:
    run_load(url, 1.0, scenario=scenario)  # warm up
    cpu_before = scenarios.cpu_seconds(proc.pid)
    result: LoadResult = run_load(url, seconds, scenario=scenario)
    cpu = scenarios.cpu_seconds(proc.pid) - cpu_before
    return {
        "rps": round(result.rps, 1),
        "cpu_us_per_request": round(cpu / max(result.requests, 1) * 1e6, 1),
        "p50_ms": round(result.p50_ms, 3),
        "p99_ms": round(result.p99_ms, 3),
        "requests": result.requests,
        "errors": result.errors,
        "load_tool": result.tool,
    }


def bench_baseline(seconds: float) -> dict[str, Any]:
    port = free_port()
    with process([sys.executable, "baseline_server.py", str(port)], "ready") as (proc, _):
        return measure(proc, f"http://127.0.0.1:{port}/webhooks/bondify", seconds)


def inspector_args(*extra: str) -> list[str]:
    return [sys.executable, "-m", "inspector", "--hook", "0", "--ui", "0", *extra]


def urls(line: str, proc: subprocess.Popen[str]) -> tuple[str, str]:
    assert proc.stdout is not None
    hook = line.split()[1]
    ui = proc.stdout.readline().split()[1]
    return hook, ui


def bench_inspector(seconds: float, extra: list[str], scenario: Scenario = BONDIFY
                    ) -> dict[str, Any]:
    with process(inspector_args(*extra), "Webhooks") as (proc, line):
        return measure(proc, line.split()[1] + scenario.path, seconds, scenario)


RATIO_FIGURES = ("rps", "cpu_us_per_request", "p99_ms")


def ratios(result: dict[str, Any], baseline: dict[str, Any]) -> dict[str, float]:
    """Each figure the subject reports, over the baseline's (fan-out reports only req/s)."""
    return {figure: round(result[figure] / baseline[figure], 3)
            for figure in RATIO_FIGURES if figure in result}


SECRET = ["--secret", f"bondify={BENCH_SECRET}"]
GITHUB_SECRET = ["--secret", f"github={GITHUB.secret}"]


def bench_fanout(seconds: float, *extra: str) -> dict[str, Any]:
    with process(inspector_args(*SECRET, *extra), "Webhooks") as (proc, line):
        hook, ui = urls(line, proc)
        return scenarios.fanout(ui, hook, seconds)


def bench_latency(seconds: float) -> dict[str, Any]:
    with process(inspector_args(*SECRET), "Webhooks") as (proc, line):
        hook, ui = urls(line, proc)
        return scenarios.latency(ui, hook, seconds)


def bench_memory(count: int) -> dict[str, Any]:
    args = inspector_args(*SECRET, "--max-requests", str(count), "--max-bytes", "1GiB")
    with process(args, "Webhooks") as (proc, line):
        result = scenarios.memory(proc.pid, line.split()[1], count)
        time.sleep(3)  # quiet: the store indexes its text (counted in --max-bytes)
        indexed = scenarios.rss_kib(proc.pid)
        result["bytes_per_request_text_indexed"] = round(
            (indexed - result["rss_before_kib"]) * 1024 / count)
    capped = inspector_args(*SECRET, "--max-requests", str(count), "--max-bytes", "2MiB")
    with process(capped, "Webhooks") as (proc, line):
        hook, ui = urls(line, proc)
        asyncio.run(scenarios.send_count(hook + "/cap", count // 2))
        with urllib.request.urlopen(ui + "/healthz") as answer:
            kept = json.loads(answer.read())["requests"]
    result["with_2MiB_cap_kept"] = kept
    result["with_2MiB_cap_body_bytes"] = kept * len(PAYLOAD)
    return result


def bench_forward(seconds: float) -> dict[str, Any]:
    port = free_port()
    with process([sys.executable, "baseline_server.py", str(port)], "ready"):
        upstream = f"http://127.0.0.1:{port}"
        # p50 added by the hop: one request at a time, so neither side queues.
        direct = run_load(upstream + "/webhooks/bondify", seconds, connections=1)
        with process(inspector_args("--forward", upstream), "Webhooks") as (proc, line):
            hop = run_load(line.split()[1] + "/webhooks/bondify", seconds, connections=1)
            forward = measure(proc, line.split()[1] + "/webhooks/bondify", seconds)
        result: dict[str, Any] = {
            "direct_p50_ms_one_at_a_time": round(direct.p50_ms, 3),
            "forward_p50_ms_one_at_a_time": round(hop.p50_ms, 3),
            "added_p50_ms": round(hop.p50_ms - direct.p50_ms, 3),
            "forward": forward,
        }
        mitmdump = scenarios.mitmdump_path()
        if mitmdump is None:
            result["mitmdump"] = "not installed (bench/README.md says how)"
            return result
        mitm_port = free_port()
        command = [mitmdump, "--mode", f"reverse:{upstream}", "-p", str(mitm_port), "-q",
                   "--set", "flow_detail=0"]
        with subprocess.Popen(command, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL) as mitm_process:
            wait_listening(mitm_port)  # mitmdump starts slowly
            mitm = run_load(f"http://127.0.0.1:{mitm_port}/webhooks/bondify", seconds)
            mitm_process.terminate()
        result["mitmdump_rps"] = round(mitm.rps, 1)
        if mitm.rps:
            result["ratio_to_mitmdump"] = round(forward["rps"] / mitm.rps, 2)
        return result


THREE_ROUTES = ("provider:stripe", "header.x-kind:bot", "path:/webhooks/*")  # the last matches


def bench_routes(seconds: float, rounds: int) -> dict[str, Any]:
    """Forwarding through three routes (the request matches the third: two predicates fail
    first) against one --forward, to the same app, interleaved round by round."""
    port = free_port()
    with process([sys.executable, "baseline_server.py", str(port)], "ready"):
        upstream = f"http://127.0.0.1:{port}"
        routed = [arg for match in THREE_ROUTES for arg in ("--route", f"{match} => {upstream}")]
        subjects = [("forward", ["--forward", upstream]), ("three_routes", routed)]
        measured = []
        for number in range(rounds):
            pair = {}
            for name, extra in subjects[::-1] if number % 2 else subjects:  # each goes first
                with process(inspector_args(*extra), "Webhooks") as (proc, line):
                    pair[name] = measure(proc, line.split()[1] + "/webhooks/bondify", seconds)
            pair["ratio"] = {figure: round(pair["three_routes"][figure] / pair["forward"][figure],
                                           3) for figure in RATIO_FIGURES}
            measured.append(pair)
    return {"rounds": measured, "choose_us_in_process": choose_cost(), "median_ratio": {
        figure: statistics.median(r["ratio"][figure] for r in measured)
        for figure in RATIO_FIGURES}}


def choose_cost(count: int = 50_000) -> dict[str, float]:
    """µs to choose a route for one captured request: the catch-all alone, and three routes
    of which the third matches (two compiled predicates fail first)."""
    from inspector.captured import recorded
    from inspector.config import RouteSpec
    from inspector.conformance.judged import Judge
    from inspector.models import Arrival
    from inspector.routing import choose, compile_routes

    head = b"Host: x\r\nContent-Type: application/json\r\nX-Bondify-Signature: a\r\n\r\n"
    arrival = Arrival(time.time(), "POST", "/webhooks/bondify", "", "1.1", "127.0.0.1", head,
                      PAYLOAD, len(PAYLOAD), b"")
    record = recorded(arrival, 0, provider="bondify")
    costs = {}
    for name, matches in (("one", ("",)), ("three", THREE_ROUTES)):
        routes = compile_routes([RouteSpec(match, "http://127.0.0.1:1") for match in matches],
                                Judge(None))
        started = time.perf_counter()
        for _ in range(count):
            choose(routes, record)
        costs[name] = round((time.perf_counter() - started) / count * 1e6, 2)
    return costs


def bench_ui(count: int) -> dict[str, Any]:
    with process(inspector_args("--max-requests", str(count)), "Webhooks") as (proc, line):
        hook, ui = urls(line, proc)
        asyncio.run(scenarios.send_count(hook + "/ui", count))
        return {"stored": count,
                "newest_visible_ms": scenarios.ui_newest_visible_ms(ui, count)}


def bench_busy(seconds: float, smoke: bool) -> dict[str, Any]:
    """Capture while each inspector-side job runs (capture_while_busy.py, its own process);
    with --smoke its quick run (smaller hostile inputs, 1 s a job: about 15 s in all)."""
    args = [sys.executable, "capture_while_busy.py",
            *(["--quick"] if smoke else ["--seconds", str(seconds)])]
    done = subprocess.run(args, capture_output=True, text=True, check=True,
                          cwd=Path(__file__).parent, timeout=1800)
    return dict(json.loads(done.stdout.splitlines()[-1]))


def bench_capture_sqlite(seconds: float) -> dict[str, Any]:
    """Verified capture, committed to a SQLite file before each answer leaves."""
    with tempfile.TemporaryDirectory() as directory:
        store = f"sqlite:{Path(directory) / 'bench.db'}"
        return bench_inspector(seconds, ["--max-requests", "100000", *SECRET, "--store", store])


@contextmanager
def redis_server() -> Iterator[str]:
    """A redis-server of the bench's own on a free loopback port (nothing kept on disk)."""
    port = free_port()
    with tempfile.TemporaryDirectory() as directory, subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", directory,
             "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL) as server:
        try:
            deadline = time.monotonic() + 10
            while subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True,
                                 text=True).stdout.strip() != "PONG":
                if time.monotonic() > deadline:
                    raise RuntimeError("redis-server did not start")
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            server.terminate()


def bench_capture_redis(seconds: float) -> dict[str, Any]:
    """Verified capture, written to Redis (and read back from its log) before each answer
    leaves; then capture-to-client latency at 300 req/s through the same store."""
    with redis_server() as store:
        result = bench_inspector(seconds, ["--max-requests", "100000", *SECRET, "--store", store])
    with redis_server() as store, process(inspector_args(*SECRET, "--store", store),
                                          "Webhooks") as (proc, line):
        hook, ui = urls(line, proc)
        paced = scenarios.latency(ui, hook, min(seconds, 3.0))
    return {**result, "latency_300rps_10_clients": paced}


# Subjects measured against the baseline, in every round ("capture" names the unverified and
# the verified capture in memory).
THROUGHPUT: dict[str, Callable[[float], dict[str, Any]]] = {
    "capture": lambda seconds: bench_inspector(seconds, ["--max-requests", "1000"]),
    "capture_verified": lambda seconds: bench_inspector(seconds,
                                                        ["--max-requests", "1000", *SECRET]),
    # the same without conformance (SPEC 13: it may cost verified capture at most 10 %)
    "capture_verified_no_conformance": lambda seconds: bench_inspector(
        seconds, ["--max-requests", "1000", *SECRET, "--no-conformance"]),
    "capture_github": lambda seconds: bench_inspector(seconds, ["--max-requests", "1000"],
                                                      GITHUB),
    "capture_github_verified": lambda seconds: bench_inspector(
        seconds, ["--max-requests", "1000", *GITHUB_SECRET], GITHUB),
    "capture_sqlite": bench_capture_sqlite,
    "capture_redis": bench_capture_redis,
    "fanout_10_clients": bench_fanout,
    # every summary published carries the conformance status: judged as it is first read
    "fanout_10_clients_no_conformance": lambda seconds: bench_fanout(seconds,
                                                                     "--no-conformance"),
}
CHOSEN_BY = {"capture": "capture", "capture_verified": "capture",
             "capture_verified_no_conformance": "capture", "capture_github": "capture",
             "capture_github_verified": "capture", "capture_sqlite": "capture_sqlite",
             "capture_redis": "capture_redis", "fanout_10_clients": "fanout",
             "fanout_10_clients_no_conformance": "fanout"}
ALL = ("capture", "capture_sqlite", "capture_redis", "fanout", "latency", "memory", "forward",
       "routes", "ui", "busy")


def throughput_round(subjects: list[str], seconds: float) -> dict[str, Any]:
    """The baseline, then each subject, judged against this round's baseline."""
    baseline = bench_baseline(seconds)
    measured: dict[str, Any] = {"baseline": baseline}
    for name in subjects:
        result = THROUGHPUT[name](seconds)
        measured[name] = {**result, "ratio": ratios(result, baseline)}
    return measured


def median_ratios(rounds: list[dict[str, Any]], subjects: list[str]) -> dict[str, Any]:
    return {name: {figure: statistics.median(r[name]["ratio"][figure] for r in rounds)
                   for figure in rounds[0][name]["ratio"]}
            for name in subjects}


def median_of(rounds: list[dict[str, Any]], figure: Callable[[dict[str, Any]], float]
              ) -> float | None:
    """A figure of each round, median over the rounds; None when a round lacks a subject or
    the run had no rounds (`--only memory`)."""
    try:
        return round(statistics.median(figure(r) for r in rounds), 3)
    except (KeyError, statistics.StatisticsError):
        return None


def table(report: dict[str, Any]) -> dict[str, Any]:
    """Issue 24's table: each row as measured in this run (medians over the rounds)."""
    rounds = report.get("rounds", [])
    ratio = report.get("median_ratio", {})

    def rps(name: str) -> float | None:
        return ratio.get(name, {}).get("rps")

    def cpu(name: str) -> float | None:
        return median_of(rounds, lambda r: r[name]["cpu_us_per_request"])

    memory = report.get("memory", {})
    forward = report.get("forward", {})
    return {
        "capture_no_secret_vs_bare": rps("capture"),
        "capture_verified_bondify_vs_bare": rps("capture_verified"),
        "capture_verified_github_vs_bare": rps("capture_github_verified"),
        "cpu_us_unverified_to_verified_bondify": [cpu("capture"), cpu("capture_verified")],
        "cpu_us_unverified_to_verified_github": [cpu("capture_github"),
                                                 cpu("capture_github_verified")],
        "fanout_10_clients_vs_bare": rps("fanout_10_clients"),
        "rss_bytes_per_stored_1kb_request": memory.get("bytes_per_request"),
        "rss_bytes_per_stored_1kb_request_text_indexed":
            memory.get("bytes_per_request_text_indexed"),
        "capture_sqlite_vs_bare": rps("capture_sqlite"),
        "capture_sqlite_vs_verified_memory": median_of(
            rounds, lambda r: r["capture_sqlite"]["rps"] / r["capture_verified"]["rps"]),
        "capture_redis_vs_bare": rps("capture_redis"),
        "forward_vs_mitmdump": forward.get("ratio_to_mitmdump"),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3,
                        help="baseline-then-subjects rounds (1 with --smoke)")
    parser.add_argument("--smoke", action="store_true", help="short runs, for CI")
    parser.add_argument("--only", nargs="*", choices=ALL, default=list(ALL))
    args = parser.parse_args()
    seconds = 1.0 if args.smoke else args.seconds
    report: dict[str, Any] = {"bench": "webhook-inspector", "seconds": seconds}
    subjects = [name for name in THROUGHPUT if CHOSEN_BY[name] in args.only]
    if subjects:
        rounds = [throughput_round(subjects, seconds)
                  for _ in range(1 if args.smoke else max(args.rounds, 1))]
        report["rounds"] = rounds
        report["median_ratio"] = median_ratios(rounds, subjects)
    if "capture" in args.only:
        report["verification_in_process"] = measure_verification()
    if "latency" in args.only:
        report["latency_300rps_10_clients"] = bench_latency(min(seconds, 3.0))
    if "memory" in args.only:
        report["memory"] = bench_memory(2000 if args.smoke else 20_000)
    if "forward" in args.only:
        report["forward"] = bench_forward(seconds)
    if "routes" in args.only:
        report["routes"] = bench_routes(seconds, 1 if args.smoke else max(args.rounds, 1))
    if "ui" in args.only:
        report["ui"] = bench_ui(500 if args.smoke else 10_000)
    if "busy" in args.only:
        report["capture_while_busy"] = bench_busy(seconds, args.smoke)
    report["table"] = table(report)
    print(json.dumps(report), flush=True)


if __name__ == "__main__":
    main()
