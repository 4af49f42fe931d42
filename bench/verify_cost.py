"""In-process cost of analysing one captured 1 KB Bondify request, with and without its secret.

The difference is what HMAC verification adds on the capture path.
"""

from __future__ import annotations

import time
from typing import Any

from load import BENCH_SECRET, HEADERS, PAYLOAD

from inspector.captured import CapturedRequest
from inspector.config import Config, SecretSpec
from inspector.state import SharedState

ROUNDS = 20_000


def record() -> CapturedRequest:
    headers = [(b"Host", b"127.0.0.1:9000"), (b"User-Agent", b"bench"),
               (b"Content-Length", str(len(PAYLOAD)).encode())]
    headers += [(k.encode(), v.encode()) for k, v in HEADERS.items()]
    return CapturedRequest(1, time.time(), "POST", "/webhooks/bondify", "", "HTTP/1.1",
                           "127.0.0.1", b"".join(b"%s: %s\r\n" % pair for pair in headers), PAYLOAD,
                           len(PAYLOAD), b"")


def microseconds_per_analysis(inspector: SharedState, sample: CapturedRequest) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for _ in range(ROUNDS):
            inspector.analyze(sample)
        best = min(best, (time.perf_counter() - started) / ROUNDS * 1e6)
    return best


def measure() -> dict[str, Any]:
    sample = record()
    plain = SharedState(Config())
    verified = SharedState(Config(secrets=(SecretSpec("bondify", BENCH_SECRET),)))
    learnt, _ = verified.analyze(sample)
    assert [v.status for v in learnt["signatures"]] == ["valid"], learnt
    without = microseconds_per_analysis(plain, sample)
    with_secret = microseconds_per_analysis(verified, sample)
    return {"analyse_us_without_secret": round(without, 2),
            "analyse_us_with_secret": round(with_secret, 2),
            "verification_us": round(with_secret - without, 2)}


if __name__ == "__main__":
    import json

    print(json.dumps(measure()))
