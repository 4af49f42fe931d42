"""A bounded load generator: wrk when installed, else a Python aiohttp client.

Both send the same 1 KB JSON POST for a fixed time and report requests/s and latency percentiles.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import aiohttp

PAYLOAD = json.dumps({
    "event": "auth.confirmed",
    "session_token": "s" * 32,
    "data": {"user": "u" * 40, "padding": "p" * 860},
}).encode()
BENCH_SECRET = "bench-secret-key"
HEADERS = {"Content-Type": "application/json",
           "X-Bondify-Signature": hmac.new(BENCH_SECRET.encode(), PAYLOAD, "sha256").hexdigest()}
# A GitHub delivery of the same size: its signature in X-Hub-Signature-256, the header GitHub
# shares with Meta's products, Bitbucket and Jira.
GITHUB_PAYLOAD = json.dumps({
    "action": "opened",
    "repository": {"full_name": "octo/bench", "private": False},
    "sender": {"login": "octocat"},
    "pull_request": {"number": 1, "title": "t" * 40, "body": "b" * 820},
}).encode()
GITHUB_HEADERS = {
    "Content-Type": "application/json", "X-GitHub-Event": "pull_request",
    "X-GitHub-Delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958", "X-GitHub-Hook-ID": "1",
    "X-Hub-Signature-256": "sha256=" + hmac.new(BENCH_SECRET.encode(), GITHUB_PAYLOAD,
                                                "sha256").hexdigest()}


@dataclass(frozen=True)
class Scenario:
    """What the load sends: a provider's signed 1 KB JSON delivery."""

    name: str
    provider: str
    path: str
    body: bytes
    headers: dict[str, str]
    secret: str = BENCH_SECRET


BONDIFY = Scenario("bondify", "bondify", "/webhooks/bondify", PAYLOAD, HEADERS)
GITHUB = Scenario("github", "github", "/webhooks/github", GITHUB_PAYLOAD, GITHUB_HEADERS)
SCENARIOS = {scenario.name: scenario for scenario in (BONDIFY, GITHUB)}


@dataclass
class LoadResult:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    tool: str

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


def _wrk_script(directory: Path, scenario: Scenario) -> Path:
    script = directory / "post.lua"
    body = scenario.body.decode().replace("\\", "\\\\").replace('"', '\\"')
    headers = "".join(f'wrk.headers["{k}"] = "{v}"\n' for k, v in scenario.headers.items())
    script.write_text(f'wrk.method = "POST"\nwrk.body = "{body}"\n{headers}')
    return script


def _wrk_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    if match is None:
        raise ValueError(text)
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def run_wrk(url: str, seconds: float, connections: int, scenario: Scenario) -> LoadResult:
    seconds = max(1, round(seconds))  # wrk takes whole seconds
    with tempfile.TemporaryDirectory() as directory:
        script = _wrk_script(Path(directory), scenario)
        output = subprocess.run(
            ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script),
             url], capture_output=True, text=True, check=True, timeout=seconds + 30).stdout
    total = int(re.search(r"(\d+) requests in ([\d.]+)(\w+)", output).group(1))  # type: ignore[union-attr]
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", output, re.MULTILINE))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if socket_errors:
        errors += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    return LoadResult(total, seconds, _wrk_ms(percentiles["50"]), _wrk_ms(percentiles["99"]),
                      errors, "wrk")


async def _python_load(url: str, seconds: float, connections: int, scenario: Scenario
                       ) -> LoadResult:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def worker(session: aiohttp.ClientSession) -> None:
        nonlocal errors
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            async with session.post(url, data=scenario.body,
                                    headers=scenario.headers) as response:
                await response.read()
                if response.status >= 400:
                    errors += 1
            latencies.append((time.perf_counter() - started) * 1000)

    connector = aiohttp.TCPConnector(limit=connections)
    async with aiohttp.ClientSession(connector=connector) as session:
        began = time.perf_counter()
        await asyncio.gather(*(worker(session) for _ in range(connections)))
        elapsed = time.perf_counter() - began
    latencies.sort()
    return LoadResult(len(latencies), elapsed, latencies[len(latencies) // 2],
                      latencies[int(len(latencies) * 0.99)], errors, "python")


def run_load(url: str, seconds: float, connections: int = 32,
             scenario: Scenario = BONDIFY) -> LoadResult:
    if shutil.which("wrk"):
        return run_wrk(url, seconds, connections, scenario)
    return asyncio.run(_python_load(url, seconds, min(connections, 16), scenario))
