"""Typing in the UI's filter box at scale: COUNT stored requests with 1 KB JSON bodies (the
bodies of search.py), a real server on each engine, and Debian's Chromium through Playwright
typing each query a key at a time (40 ms apart). Measured: ms from the last keystroke's input
event until the count under the box shows the query's matches (the debounce, the server's
search and the page's redraw together). Median of ROUNDS for each query.

Memory is filled through the hooks listener (as senders would), then the server is left
until it goes quiet (its text index made: no CPU used for a while); SQLite's file is written
straight and its search index left to catch up before the server starts.

Usage: python bench/search_typing.py [--count 100000] [--engines memory sqlite] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import search  # noqa: E402
from scenarios import cpu_seconds  # noqa: E402

from inspector.store.sqlite import SqliteStore  # noqa: E402

# A field query, body-text queries (an id, a word that no body holds, a word that 1% of them
# hold), a bare word.
QUERIES = ("path:/webhooks/7", "body:evt_00054321", "body:zebra", "body:refunded", "cus_054321")
KEY_DELAY_MS = 40


async def post_all(hook_url: str, count: int, concurrency: int = 32) -> None:
    numbers = iter(range(count))

    async def worker(session: aiohttp.ClientSession) -> None:
        for number in numbers:
            async with session.post(f"{hook_url}/webhooks/{number % 50}", data=search.body(number),
                                    headers={"Content-Type": "application/json"}) as answer:
                await answer.read()

    async with aiohttp.ClientSession() as session:
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))


async def write_file(path: Path, count: int) -> None:
    store = SqliteStore(path, count, 10**12, asyncio.get_running_loop())
    await search.fill(store, count)
    await search.index_caught_up(store)
    await store.close()


def wait_until_quiet(pid: int, deadline_s: float = 60.0) -> float:
    """Seconds until the process used under 2% of a core over a second (longer than the
    pause between two steps of the memory engine's indexing while it was busy)."""
    started = time.monotonic()
    while time.monotonic() - started < deadline_s:
        before = cpu_seconds(pid)
        time.sleep(1.0)  # the window the CPU use is measured over
        if cpu_seconds(pid) - before < 0.02:
            break
    return round(time.monotonic() - started, 1)


@contextmanager
def server(store: str, count: int) -> Iterator[tuple[str, str, int]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "inspector", "--hook", "127.0.0.1:0", "--ui", "127.0.0.1:0",
         "--store", store, "--max-requests", str(count), "--max-bytes", "1GiB"],
        stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert process.stdout is not None
    try:
        hook = process.stdout.readline().split()[1]
        ui = process.stdout.readline().split()[1]
        yield hook, ui, process.pid
    finally:
        process.terminate()
        process.wait(10)
        process.stdout.close()


WATCH = """() => {
    const box = document.getElementById("filter");
    const count = document.getElementById("count");
    box.addEventListener("input", () => { window.lastKey = performance.now(); });
    new MutationObserver(() => {
        if (window.expected && count.textContent.startsWith(window.expected))
            window.shown = performance.now();
    }).observe(count, { childList: true, characterData: true, subtree: true });
}"""


def typed_ms(page: Any, query: str, matches: int) -> float:
    page.fill("#filter", "")
    page.keyboard.press("Enter")
    page.wait_for_function("() => !document.getElementById('count').textContent.includes(' of ')")
    page.evaluate("expected => { window.expected = expected; window.shown = undefined; }",
                  f"{matches} of ")
    page.locator("#filter").press_sequentially(query, delay=KEY_DELAY_MS)
    page.wait_for_function("() => window.shown !== undefined", timeout=30_000)
    return float(page.evaluate("window.shown - window.lastKey"))


def matches_of(ui: str, query: str) -> int:
    """What the count must show: the API's own number of matches."""
    address = f"{ui}/api/requests?limit=1&matches=true&q={urllib.parse.quote(query)}"
    with urllib.request.urlopen(address, timeout=60) as answer:
        return int(json.loads(answer.read())["matches"])


def measure_page(ui: str, count: int, rounds: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    assert chromium is not None, "Debian's chromium is needed"
    figures: dict[str, Any] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium,
                                             args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(ui + "/")
        page.wait_for_selector(f"#row-{count}", state="visible", timeout=30_000)
        page.evaluate(WATCH)
        for query in QUERIES:
            expected = matches_of(ui, query)
            timings = [typed_ms(page, query, expected) for _ in range(rounds)]
            figures[query] = {"median_ms": round(statistics.median(timings), 1),
                              "max_ms": round(max(timings), 1), "matches": expected}
        browser.close()
    return figures


def bench(engine: str, count: int, rounds: int, directory: Path) -> dict[str, Any]:
    started = time.perf_counter()
    if engine == "sqlite":
        path = directory / "typing.db"
        asyncio.run(write_file(path, count))
        store = f"sqlite:{path}"
    else:
        store = "memory"
    with server(store, count) as (hook, ui, pid):
        if engine == "memory":
            asyncio.run(post_all(hook, count))
        filled_s = round(time.perf_counter() - started, 1)
        quiet_s = wait_until_quiet(pid)
        return {"filled_s": filled_s, "quiet_after_s": quiet_s,
                "queries": measure_page(ui, count, rounds)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--engines", nargs="*", choices=("memory", "sqlite"),
                        default=["memory", "sqlite"])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    report: dict[str, Any] = {"bench": "search_typing", "stored": args.count,
                              "key_delay_ms": KEY_DELAY_MS}
    with tempfile.TemporaryDirectory() as directory:
        for engine in args.engines:
            report[engine] = bench(engine, args.count, args.rounds, Path(directory))
    print(json.dumps(report), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
