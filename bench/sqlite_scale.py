"""SQLite at scale: a history of COUNT stored 1 KB requests, written straight into a file,
then a server started on it. Measures the start-up (to its first answer), the newest page of
the API, the whole history read through the websocket's backlog and `q=` search, the server's
RSS after each, and (with Chromium) the newest request visible in the UI. Bounded in count.

Usage: python bench/sqlite_scale.py [--count 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from websockets.sync.client import connect

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import scenarios  # noqa: E402
from large_bodies import rss_mib  # noqa: E402
from load import PAYLOAD  # noqa: E402

from inspector.captured import CapturedRequest  # noqa: E402
from inspector.models import ResponseRecord  # noqa: E402
from inspector.store.sqlite import SqliteStore  # noqa: E402

HEADERS = b"Host: 127.0.0.1:9000\r\nContent-Type: application/json\r\nUser-Agent: bench\r\n"


async def fill(path: Path, count: int) -> None:
    store = SqliteStore(path, count, 10**12, asyncio.get_running_loop())
    answer = ResponseRecord(200, (("Content-Type", "application/json"),), b'{"ok": true}', 0.1,
                            "inspector")
    now = time.time() - count
    for number in range(count):
        request_id = store.next_id()
        store.add(CapturedRequest(request_id, now + number, "POST", f"/bench/{number}", "",
                                  "HTTP/1.1", "127.0.0.1", HEADERS, PAYLOAD, len(PAYLOAD), b"",
                                  response=answer),
                  dedupe_key=f"stripe:evt_{number:024d}")  # each its own original: all kept
        if number % 5000 == 4999:
            waiter = store.durable()
            if waiter is not None:
                await waiter
    await store.close()


def timed_get(url: str) -> tuple[float, dict[str, object]]:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as answer:
        body = json.loads(answer.read())
    return round((time.perf_counter() - started) * 1000, 1), body


def backlog_seconds(ui: str, count: int) -> float:
    started = time.perf_counter()
    with connect(ui.replace("http://", "ws://") + "/ws?after=0", max_size=2**24) as ws:
        ws.recv(timeout=30)  # hello
        for _ in range(count):
            ws.recv(timeout=30)
    return round(time.perf_counter() - started, 2)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "history.db"
        asyncio.run(fill(path, args.count))
        started = time.perf_counter()
        server = subprocess.Popen(
            [sys.executable, "-m", "inspector", "--hook", "127.0.0.1:0", "--ui", "127.0.0.1:0",
             "--store", f"sqlite:{path}", "--max-requests", str(args.count)],
            stdout=subprocess.PIPE, text=True, cwd=ROOT)
        try:
            assert server.stdout is not None
            server.stdout.readline()
            ui = server.stdout.readline().split()[1]
            _, health = timed_get(ui + "/healthz")
            start_s = round(time.perf_counter() - started, 2)
            report: dict[str, object] = {"bench": "sqlite_scale", "stored": health["requests"],
                                         "start_to_first_answer_s": start_s,
                                         "rss_after_start_mib": rss_mib(server.pid)}
            report["newest_page_ms"], _ = timed_get(ui + "/api/requests?limit=100")
            report["search_all_ms"], found = timed_get(ui + "/api/requests?q=bench/77777")
            report["search_found"] = len(found["requests"])  # type: ignore[arg-type]
            report["backlog_all_s"] = backlog_seconds(ui, args.count)
            report["rss_after_backlog_mib"] = rss_mib(server.pid)
            report["ui_newest_visible_ms"] = scenarios.ui_newest_visible_ms(ui, args.count)
            report["rss_after_ui_mib"] = rss_mib(server.pid)
            print(json.dumps(report), flush=True)
        finally:
            server.terminate()
            server.wait(10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
