"""RSS per stored 1 KB request past the first 20,000: `bench_memory`'s figure (run.py) holds
one-off costs of its 20,000 (a dict of interned strings that happened to grow, free heap left
from before that the first requests fill); the 20,001st to the 60,000th hold none of them.

Usage: PYTHONPATH=<tree> python bench/memory_slope.py   (bench/README.md, session 9: memory)
"""

from __future__ import annotations

import asyncio
import json
import time

import scenarios
from run import SECRET, inspector_args, process

FIRST, TOTAL = 20_000, 60_000


def main() -> None:
    args = inspector_args(*SECRET, "--max-requests", str(TOTAL), "--max-bytes", "1GiB")
    with process(args, "Webhooks") as (proc, line):
        hook = line.split()[1]
        asyncio.run(scenarios.send_count(hook + "/warm", 200))
        start = scenarios.rss_kib(proc.pid)
        asyncio.run(scenarios.send_count(hook + "/webhooks/bondify", FIRST))
        first = scenarios.rss_kib(proc.pid)
        asyncio.run(scenarios.send_count(hook + "/webhooks/bondify", TOTAL - FIRST))
        last = scenarios.rss_kib(proc.pid)
        time.sleep(4)  # quiet: the store indexes its text (counted in --max-bytes)
        indexed = scenarios.rss_kib(proc.pid)
    print(json.dumps({
        "first_20000": round((first - start) * 1024 / FIRST),
        "next_40000": round((last - first) * 1024 / (TOTAL - FIRST)),
        "all_60000": round((last - start) * 1024 / TOTAL),
        "all_60000_text_indexed": round((indexed - start) * 1024 / TOTAL)}))


if __name__ == "__main__":
    main()
