"""Holding across a crash (SPEC 14): the real CLI with a SQLite store, `kill -9` while its
queue waits, started again on the same file: the queue resumes, and the app (a real process
checking Stripe's signatures with Stripe's SDK) gets every held request once, in order."""

from __future__ import annotations

import asyncio
import json
import signal
import time
import urllib.request
from pathlib import Path
from typing import Any

from .cli_process import Running, close, start
from .conftest import eventually
from .redis_server import RedisServer
from .route_app import AppProcess
from .test_cli import follow, read_line
from .test_holding import OLD, STRIPE_SECRET, event, stripe_signed


def config(tmp_path: Path, app: AppProcess, store: str = "sqlite:held.db") -> None:
    (tmp_path / "inspector.toml").write_text(f"""
store = "{store}"
forward_timeout = 2

[[secrets]]
provider = "stripe"
secret = "{STRIPE_SECRET}"

[[routes]]
match = "path:/hook/*"
to = "{app.url}"
hold = true
""")


def serve(tmp_path: Path) -> Running:
    return start("--hook", "127.0.0.1:0", "--ui", "127.0.0.1:0", cwd=tmp_path)


def post(server: Running, path: str, body: bytes, headers: dict[str, str]) -> Any:
    return server.post(path, body, headers)


def deliver_now(server: Running) -> int:
    request = urllib.request.Request(server.ui_url + "/api/routes/0/deliver", method="POST",
                                     data=b"", headers={"Origin": server.ui_url})
    with urllib.request.urlopen(request, timeout=5) as answer:
        return int(answer.status)


def until(condition: Any, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met"
        time.sleep(0.05)


def test_kill_9_mid_queue_then_the_queue_resumes_nothing_lost_nothing_doubled(
        tmp_path: Path) -> None:
    app = AppProcess(tmp_path / "app.jsonl", STRIPE_SECRET)
    config(tmp_path, app)
    server = serve(tmp_path)
    tail = follow("--ui", server.ui_url, cwd=tmp_path)
    try:
        old = time.time() - OLD
        answers = [post(server, f"/hook/{n}", event(n), stripe_signed(event(n), old))
                   for n in range(1, 6)]
        assert answers == [{"ok": True, "id": n, "held": True} for n in range(1, 6)]
        assert "route #0" in read_line(tail) and "(waiting)" in read_line(tail)
        assert server.api("/healthz")["held"] == 5
        server.process.send_signal(signal.SIGKILL)
        server.process.wait(timeout=10)
    finally:
        close(server.process)
        close(tail)

    again = serve(tmp_path)  # the app is still down: the queue is back, in order
    try:
        until(lambda: again.api("/api/routes")["routes"][0]["queue"]["ids"] == [1, 2, 3, 4, 5])
        tail = follow("--ui", again.ui_url, cwd=tmp_path)
        app.start()
        assert deliver_now(again) == 202  # rather than wait out the backoff
        seen = app.wait_for(5)
        assert [s["path"] for s in seen] == [f"/hook/{n}" for n in range(1, 6)]
        assert [s["verified"] for s in seen] == ["stripe"] * 5  # signed again: not stale
        assert [json.loads(s["body"]) for s in seen] == [json.loads(event(n)) for n in range(1, 6)]
        delivered = read_line(tail)
        assert delivered.startswith("#1 ") and "(delivered)" in delivered
        until(lambda: all(again.api(f"/api/requests/{n}")["held"] == "delivered"
                          for n in range(1, 6)))
        assert again.api("/healthz")["held"] == 0
        assert len(app.seen()) == 5  # each once: delivered is kept before the next one goes
        assert again.stop(signal.SIGKILL) != 0
        third = serve(tmp_path)  # nothing waits any more: nothing is sent again
        try:
            assert third.api("/api/routes")["routes"][0]["queue"]["waiting"] == 0
            later = post(third, "/hook/6", event(6), stripe_signed(event(6), time.time()))
            assert later == {"app": app.port, "verified": "stripe"}
            assert [s["path"] for s in app.seen()] == [f"/hook/{n}" for n in range(1, 7)]
        finally:
            close(third.process)
    finally:
        close(again.process)
        close(tail)
        app.stop()


def test_with_redis_one_instance_delivers_each_held_request_once_in_order(
        tmp_path: Path, redis_server: RedisServer) -> None:
    """Two instances on one Redis both resume the queue after a kill -9; a claim with a lease
    lets one deliver it."""
    app = AppProcess(tmp_path / "app.jsonl", STRIPE_SECRET)
    config(tmp_path, app, redis_server.url)
    first, second = serve(tmp_path), serve(tmp_path)
    try:
        old = time.time() - OLD
        for n in range(1, 6):
            server = first if n % 2 else second
            answer = post(server, f"/hook/{n}", event(n), stripe_signed(event(n), old))
            assert answer == {"ok": True, "id": n, "held": True}
        for server in (first, second):
            server.process.send_signal(signal.SIGKILL)
            server.process.wait(timeout=10)
    finally:
        close(first.process)
        close(second.process)
    first, second = serve(tmp_path), serve(tmp_path)
    try:
        for server in (first, second):  # each instance found the whole queue again
            until(lambda s=server: s.api("/api/routes")["routes"][0]["queue"]["ids"]
                  == [1, 2, 3, 4, 5])
        app.start()
        assert deliver_now(first) == 202 and deliver_now(second) == 202
        seen = app.wait_for(5)
        assert [s["path"] for s in seen] == [f"/hook/{n}" for n in range(1, 6)]
        assert [s["verified"] for s in seen] == ["stripe"] * 5
        # the instance without the claim finds them delivered once the claim's lease ends
        until(lambda: first.api("/healthz")["held"] + second.api("/healthz")["held"] == 0,
              timeout=30)
        assert len(app.seen()) == 5
    finally:
        close(first.process)
        close(second.process)
        app.stop()


def test_with_redis_an_instance_takes_over_the_queue_of_one_killed_and_not_restarted(
        tmp_path: Path, redis_server: RedisServer) -> None:
    """A holds requests and tries its queue (the claim is A's: B, which noticed the requests A
    held after B started, waits); A is killed and not started again: once A's lease lapses
    (--forward-timeout + 10 s: 12 s here; a timeout under 1 s lets the app's first answer,
    which imports Stripe's SDK, come too late, and a late answer is tried again), B delivers
    every held request, its own too, once, in order."""
    app = AppProcess(tmp_path / "app.jsonl", STRIPE_SECRET)
    config(tmp_path, app, redis_server.url)
    old = time.time() - OLD

    def held(server: Running, n: int) -> None:
        answer = post(server, f"/hook/{n}", event(n), stripe_signed(event(n), old))
        assert answer == {"ok": True, "id": n, "held": True}

    def queue(server: Running) -> Any:
        return server.api("/api/routes")["routes"][0]["queue"]

    first = serve(tmp_path)
    second: Running | None = None
    try:
        held(first, 1)
        asyncio.run(eventually(lambda: queue(first)["failures"] >= 2))  # tried: A's claim
        second = serve(tmp_path)  # finds #1 at its start
        held(first, 2)
        held(first, 3)
        asyncio.run(eventually(lambda: queue(second)["ids"] == [1, 2, 3]))
        asyncio.run(eventually(  # A, alive, keeps the claim: B delivers nothing meanwhile
            lambda: queue(second)["last_error"] == "another instance delivers this queue"))
        held(second, 4)
        first.process.send_signal(signal.SIGKILL)
        first.process.wait(timeout=10)
        app.start()
        asyncio.run(eventually(lambda: queue(second)["waiting"] == 0, timeout=30))
        seen = app.seen()
        assert [s["path"] for s in seen] == [f"/hook/{n}" for n in range(1, 5)]
        assert [s["verified"] for s in seen] == ["stripe"] * 4
        assert [second.api(f"/api/requests/{n}")["held"] for n in range(1, 5)] \
            == ["delivered"] * 4
        assert second.api("/healthz")["held"] == 0
    finally:
        close(first.process)
        if second is not None:
            close(second.process)
        app.stop()
