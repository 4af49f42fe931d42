"""Search at scale: COUNT stored requests with 1 KB JSON bodies, in the memory and SQLite
engines (in process), then field and body-text queries: the newest page of matches (what
the API and the UI ask for) and the count of every match, median of five runs each. Each
engine also reports how long its index (SQLite's; the memory engine's text index) took
to catch up after the writes.

Usage: python bench/search.py [--count 100000] [--engines memory sqlite]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from inspector.captured import CapturedRequest  # noqa: E402
from inspector.models import ResponseRecord  # noqa: E402
from inspector.query import parse  # noqa: E402
from inspector.store.memory import MemoryStore  # noqa: E402
from inspector.store.protocol import Store, Window  # noqa: E402
from inspector.store.sqlite import SqliteStore  # noqa: E402

HEADERS = b"Host: 127.0.0.1:9000\r\nContent-Type: application/json\r\nUser-Agent: bench\r\n"
EVENTS = ("charge.succeeded", "charge.failed", "invoice.paid", "customer.created",
          "payment_intent.succeeded", "payout.paid", "refund.created")
QUERIES = {
    "field": ["provider:stripe", "status:5xx", "method:put", "event:refund.created",
              "path:/webhooks/7"],
    "body_text": ["body:evt_00054321", "body:zebra", "cus_054321", "body:refunded",
                  '"charge failed"'],
    # Fields neither engine indexes: every body is parsed, or every record read.
    "unindexed": ["json.data.object.amount:>4990", "url:/webhooks/7", "body:/cus_0543\\d1/"],
}
OK = ResponseRecord(200, (("Content-Type", "application/json"),), b'{"ok": true}', 0.1,
                    "inspector")
FAILED = ResponseRecord(503, (("Content-Type", "application/json"),), b'{"ok": false}', 0.1,
                        "inspector")


def body(number: int) -> bytes:
    """1 KB of JSON, different for every request: ids, a customer, a note."""
    words = ["the", "quick", "brown", "fox", "jumps", "over", "a", "lazy", "dog", "while",
             "payment", "events", "stream", "past", "and", "every", "delivery", "carries", "its",
             "own", "words"]
    note = " ".join(words[(number * 7 + i) % len(words)] for i in range(200))
    if number % 100 == 3:
        note = "refunded " + note
    document = {"type": EVENTS[number % len(EVENTS)], "id": f"evt_{number:08d}",
                "data": {"object": {"amount": number % 5000,
                                    "customer": f"cus_{number * 7919 % 100_000:06d}",
                                    "note": ""}}}
    room = 1024 - len(json.dumps(document))
    document["data"]["object"]["note"] = note[:room]  # type: ignore[index]
    return json.dumps(document).encode()


def record(store: MemoryStore | SqliteStore, number: int, start: float) -> CapturedRequest:
    payload = body(number)
    return CapturedRequest(store.next_id(), start + number, "POST", f"/webhooks/{number % 50}",
                           "", "HTTP/1.1", "127.0.0.1", HEADERS, payload, len(payload), b"",
                           provider="stripe" if number % 100 == 0 else None,
                           event=EVENTS[number % len(EVENTS)],
                           response=FAILED if number % 100 == 7 else OK)


async def fill(store: MemoryStore | SqliteStore, count: int) -> None:
    start = time.time() - count
    for number in range(count):
        store.add(record(store, number, start))
        if number % 5000 == 4999 and (waiter := store.durable()) is not None:
            await waiter
    if (waiter := store.durable()) is not None:
        await waiter


async def index_caught_up(store: MemoryStore | SqliteStore) -> None:
    """Until SQLite's index, or the memory engine's text index, covers every write."""
    def behind() -> bool:
        if isinstance(store, SqliteStore):
            return store.indexed_through < store.last_id
        return store.blocks_unindexed > 0
    while behind():
        await asyncio.sleep(0.05)


def median_ms(action: object) -> float:
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        action()  # type: ignore[operator]
        timings.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(timings), 1)


def measure(store: Store) -> dict[str, object]:
    now = time.time()
    figures: dict[str, object] = {}
    for kind, texts in QUERIES.items():
        for text in texts:
            query = parse(text)
            page = store.search(query, now, Window(limit=100, newest=True))
            figures[f"{kind} {text}"] = {
                "page_ms": median_ms(lambda q=query: store.search(
                    q, now, Window(limit=100, newest=True))),
                "page_found": len(page),
                "count_ms": median_ms(lambda q=query: store.count(q, now)),
                "matches": store.count(query, now),
            }
    return figures


async def bench(engine: str, count: int, directory: Path) -> dict[str, object]:
    loop = asyncio.get_running_loop()
    store: MemoryStore | SqliteStore = MemoryStore(count, 10**12) if engine == "memory" else \
        SqliteStore(directory / "search.db", count, 10**12, loop)
    started = time.perf_counter()
    await fill(store, count)
    report: dict[str, object] = {"fill_s": round(time.perf_counter() - started, 1)}
    started = time.perf_counter()
    await index_caught_up(store)
    report["index_catch_up_s"] = round(time.perf_counter() - started, 1)
    report["queries"] = measure(store)
    await store.close()
    return report


async def main_async(count: int, engines: list[str]) -> dict[str, object]:
    report: dict[str, object] = {"bench": "search", "stored": count}
    with tempfile.TemporaryDirectory() as directory:
        for engine in engines:
            report[engine] = await bench(engine, count, Path(directory))
    return report


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--engines", nargs="*", choices=("memory", "sqlite"),
                        default=["memory", "sqlite"])
    args = parser.parse_args()
    print(json.dumps(asyncio.run(main_async(args.count, args.engines))), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
