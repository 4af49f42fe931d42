"""The measured scenarios beyond plain capture: fan-out, latency, memory, forwarding, the UI."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp
from load import HEADERS, PAYLOAD, run_load

HERE = Path(__file__).resolve().parent


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """The CPU time (user and system) the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def rss_kib(pid: int, field: str = "VmRSS") -> int:
    """Resident memory now, or at its peak with `VmHWM`."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field}")


async def send_count(url: str, count: int, concurrency: int = 16,
                     headers: dict[str, str] | None = None) -> None:
    """Exactly `count` 1 KB POSTs with ten headers (the client adds five), `concurrency` at a
    time."""
    queue = iter(range(count))
    sent_headers = {**HEADERS, **(headers or {}), **{f"X-Bench-{n}": "v" * 16 for n in range(3)}}

    async def worker(session: aiohttp.ClientSession) -> None:
        for _ in queue:
            async with session.post(url, data=PAYLOAD, headers=sent_headers) as response:
                await response.read()

    async with aiohttp.ClientSession() as session:
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))


async def paced(url: str, rate: float, seconds: float, workers: int = 1) -> tuple[int, int]:
    """POSTs at a steady rate, spread over `workers` connections; each path carries its send
    time for the latency clients. Returns (sent, answers that were not 200)."""
    sent = errors = 0
    interval = workers / rate
    deadline = time.monotonic() + seconds

    async def worker(session: aiohttp.ClientSession, offset: float) -> None:
        nonlocal sent, errors
        next_at = time.monotonic() + offset
        while time.monotonic() < deadline:
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))
            async with session.post(f"{url}/lat/{time.monotonic_ns()}", data=PAYLOAD,
                                    headers=HEADERS) as response:
                await response.read()
                errors += response.status != 200
            sent += 1
            next_at += interval

    async with aiohttp.ClientSession() as session:
        await asyncio.gather(*(worker(session, n / rate) for n in range(workers)))
    return sent, errors


def start_clients(ui_url: str, clients: int, seconds: float) -> subprocess.Popen[str]:
    ws_url = ui_url.replace("http://", "ws://") + "/ws"
    process = subprocess.Popen([sys.executable, str(HERE / "ws_clients.py"), ws_url,
                                str(clients), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    if process.stdout.readline().strip() != "ready":
        raise RuntimeError("websocket clients did not connect")
    return process


def finish_clients(process: subprocess.Popen[str]) -> dict[str, Any]:
    out, _ = process.communicate(timeout=60)
    return dict(json.loads(out.strip().splitlines()[-1]))


def fanout(ui_url: str, hook_url: str, seconds: float) -> dict[str, Any]:
    clients = start_clients(ui_url, 10, seconds + 3)
    result = run_load(hook_url + "/webhooks/bondify", seconds)
    received = finish_clients(clients)
    return {"rps": round(result.rps, 1), "requests": result.requests,
            "min_received_by_a_client": min(received["received"]),
            "resumed_after_1013": sum(received["resumed"]), "errors": result.errors}


def latency(ui_url: str, hook_url: str, seconds: float) -> dict[str, Any]:
    clients = start_clients(ui_url, 10, seconds + 2)
    sent, _ = asyncio.run(paced(hook_url, 300, seconds))
    received = finish_clients(clients)
    return {"rate": 300, "sent": sent, "p50_ms": received["latency_p50_ms"],
            "p99_ms": received["latency_p99_ms"], "samples": received["samples"]}


def memory(pid: int, hook_url: str, count: int) -> dict[str, Any]:
    asyncio.run(send_count(hook_url + "/warm", 200))
    before = rss_kib(pid)
    asyncio.run(send_count(hook_url + "/webhooks/bondify", count))
    after = rss_kib(pid)
    return {"stored": count, "rss_before_kib": before, "rss_after_kib": after,
            "kib_per_request": round((after - before) / count, 3),
            "bytes_per_request": round((after - before) * 1024 / count)}


def mitmdump_path() -> str | None:
    return shutil.which("mitmdump") or next(
        (str(p) for p in (HERE / ".venv-mitm" / "bin" / "mitmdump",) if p.exists()), None)


def ui_newest_visible_ms(ui_url: str, newest: int) -> float | None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    chromium = shutil.which("chromium")
    if chromium is None:
        return None
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium,
                                             args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        started = time.monotonic()
        page.goto(ui_url + "/")
        page.wait_for_selector(f"#row-{newest}", state="visible", timeout=10_000)
        elapsed = (time.monotonic() - started) * 1000
        browser.close()
    return round(elapsed, 1)

