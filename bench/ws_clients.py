"""N websocket clients in one process, reading every message; prints a JSON line at the end.

Each request's path is /lat/<monotonic ns when sent>: the monotonic clock is shared by the
processes on this machine, so a client can measure capture-to-client latency.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed


async def client(url: str, counts: list[int], latencies: list[float], index: int,
                 ready: asyncio.Event, stop: asyncio.Event, resumed: list[int]) -> None:
    """Read everything; closed for falling behind (1013), resume with after= the last id."""
    last_id: int | None = None
    while not stop.is_set():
        query = "" if last_id is None else f"?after={last_id}"
        try:
            async with connect(url + query, max_queue=None) as ws:
                hello = json.loads(await ws.recv())
                last_id = hello["last_id"] if last_id is None else last_id
                ready.set()
                while not stop.is_set():
                    try:
                        text = await asyncio.wait_for(ws.recv(), 0.5)
                    except TimeoutError:
                        continue
                    message = json.loads(text)
                    if message.get("type") != "request" or message["request"]["id"] <= last_id:
                        continue
                    last_id = message["request"]["id"]
                    counts[index] += 1
                    path = message["request"]["path"]
                    if path.startswith("/lat/"):
                        sent = int(path.rsplit("/", 1)[1])
                        latencies.append((time.monotonic_ns() - sent) / 1e6)
        except ConnectionClosed:
            resumed[index] += 1


async def main(url: str, clients: int, seconds: float) -> None:
    counts = [0] * clients
    resumed = [0] * clients
    latencies: list[float] = []
    stop = asyncio.Event()
    readies = [asyncio.Event() for _ in range(clients)]
    tasks = [asyncio.create_task(client(url, counts, latencies, i, readies[i], stop, resumed))
             for i in range(clients)]
    await asyncio.gather(*(ready.wait() for ready in readies))
    print("ready", flush=True)
    await asyncio.sleep(seconds)
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    latencies.sort()
    print(json.dumps({"received": counts, "resumed": resumed,
                      "latency_p50_ms": percentile(latencies, 0.5),
                      "latency_p99_ms": percentile(latencies, 0.99), "samples": len(latencies)}),
          flush=True)


def percentile(ordered: list[float], q: float) -> float | None:
    if not ordered:
        return None
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * q))], 3)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), float(sys.argv[3])))
