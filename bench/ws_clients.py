"""N websocket clients in one process, reading every message; prints a JSON line at the end.

Each request's path is /lat/<monotonic ns when sent>: the monotonic clock is shared by the
processes on this machine, so a client can measure capture-to-client latency.

The clients are aiohttp's (its frame reader is compiled): with the pure-Python `websockets`
client, ten clients in one process could not keep up with the server on two cores.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

import aiohttp


async def client(session: aiohttp.ClientSession, url: str, counts: list[int],
                 latencies: list[float], index: int, ready: asyncio.Event,
                 resumed: list[int]) -> None:
    """Read everything until cancelled; closed for falling behind (1013), resume with after=
    the last id."""
    last_id: int | None = None
    while True:
        query = "" if last_id is None else f"?after={last_id}"
        async with session.ws_connect(url + query, max_msg_size=0) as ws:
            hello = json.loads((await ws.receive()).data)
            last_id = hello["last_id"] if last_id is None else last_id
            ready.set()
            async for received in ws:
                message = json.loads(received.data)
                if message.get("type") != "request" or message["request"]["id"] <= last_id:
                    continue
                last_id = message["request"]["id"]
                counts[index] += 1
                path = message["request"]["path"]
                if path.startswith("/lat/"):
                    sent = int(path.rsplit("/", 1)[1])
                    latencies.append((time.monotonic_ns() - sent) / 1e6)
        resumed[index] += 1


async def main(url: str, clients: int, seconds: float) -> None:
    counts = [0] * clients
    resumed = [0] * clients
    latencies: list[float] = []
    readies = [asyncio.Event() for _ in range(clients)]
    async with aiohttp.ClientSession() as session:
        tasks = [asyncio.create_task(client(session, url, counts, latencies, i, readies[i],
                                            resumed)) for i in range(clients)]
        await asyncio.gather(*(ready.wait() for ready in readies))
        print("ready", flush=True)
        await asyncio.sleep(seconds)
        for task in tasks:
            task.cancel()
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
