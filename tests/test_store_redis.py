"""Redis: real webhook-inspector processes sharing one real redis-server (SPEC 11)."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from websockets.sync.client import ClientConnection, connect

from .cli_process import Running, close, run, start
from .conftest import eventually
from .redis_server import RedisServer

WAIT_S = 10.0


def serve(server: RedisServer, cwd: Path, *more: str) -> Running:
    return start("--hook", "127.0.0.1:0", "--ui", "127.0.0.1:0", "--store", server.url, *more,
                 cwd=cwd)


@pytest.fixture
def instances(redis_server: RedisServer, tmp_path: Path) -> Iterator[list[Running]]:
    running = [serve(redis_server, tmp_path) for _ in range(2)]
    yield running
    for instance in running:
        close(instance.process)


def websocket(instance: Running, after: int = 0) -> ClientConnection:
    return connect(instance.ui_url.replace("http://", "ws://") + f"/ws?after={after}",
                   open_timeout=5)


def next_message(ws: ClientConnection, kind: str) -> dict[str, Any]:
    """The next message of that type (others, such as updates, are passed over)."""
    deadline = time.monotonic() + WAIT_S
    while True:
        message: dict[str, Any] = json.loads(ws.recv(timeout=deadline - time.monotonic()))
        if message["type"] == kind:
            return message


def stopped(instance: Running) -> tuple[int, str]:
    """Stop with SIGINT: its exit status and all it wrote on stderr."""
    instance.process.send_signal(signal.SIGINT)
    _, errors = instance.process.communicate(timeout=15)
    return instance.process.returncode, errors


def health(instance: Running) -> tuple[int, dict[str, Any]]:
    try:
        with instance.open("/healthz") as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def call(instance: Running, method: str, path: str, payload: Any = None) -> Any:
    data = None if payload is None else json.dumps(payload).encode()
    request = urllib.request.Request(instance.ui_url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        body = answer.read()
        return json.loads(body) if body else None


def test_instances_share_one_history_in_one_order(instances: list[Running]) -> None:
    first, second = instances
    with websocket(first) as on_first, websocket(second) as on_second:
        hellos = [next_message(ws, "hello") for ws in (on_first, on_second)]
        assert hellos[0]["instance"] == hellos[1]["instance"]
        given = [instance.post(f"/from/{n}", b'{"n": %d}' % n)["id"]
                 for n, instance in enumerate([first, second, first, second, second])]
        assert given == sorted(given) and len(set(given)) == 5
        for ws in (on_first, on_second):
            seen = [next_message(ws, "request")["request"] for _ in given]
            assert [summary["id"] for summary in seen] == given
            assert [summary["path"] for summary in seen] == [f"/from/{n}" for n in range(5)]
        detail = second.api(f"/api/requests/{given[0]}")
        assert detail["body_text"] == '{"n": 0}'

        call(second, "DELETE", f"/api/requests/{given[1]}")
        assert next_message(on_first, "delete")["ids"] == [given[1]]
        replay = call(first, "POST", f"/api/requests/{given[2]}/replay",
                      {"target": first.hook_url})
        assert replay["replay"]["status"] == 200
        updated = next_message(on_second, "update")["request"]
        assert updated["id"] == given[2]
        replays = f"/api/requests/{given[2]}"
        asyncio.run(eventually(lambda: len(second.api(replays)["replays"]) == 1, WAIT_S))
        call(first, "DELETE", "/api/requests")
        next_message(on_second, "clear")
    assert second.api("/api/requests")["count"] == 0


def test_a_delivery_sent_again_to_another_instance_is_its_duplicate(
        instances: list[Running]) -> None:
    first, second = instances
    headers = {"X-PrimeBot-Delivery": "dlv_1", "X-PrimeBot-Event": "ping",
               "X-PrimeBot-Signature": "sha256=00", "X-PrimeBot-Timestamp": "1"}
    original = first.post("/hooks", b'{"type": "ping"}', headers)["id"]
    again = second.post("/hooks", b'{"type": "ping"}', headers)["id"]
    asyncio.run(eventually(lambda: first.api("/api/requests")["count"] == 2, WAIT_S))
    assert first.api(f"/api/requests/{again}")["duplicate_of"] == original
    assert second.api(f"/api/requests/{original}")["duplicate_of"] is None


def test_redis_lost_then_back_loses_nothing_answered(redis_server: RedisServer,
                                                     tmp_path: Path) -> None:
    instance = serve(redis_server, tmp_path)
    try:
        before = instance.post("/before")["id"]
        redis_server.stop()
        while_away = [instance.post(f"/away/{n}", b"%d" % n) for n in range(3)]
        assert [reply["id"] for reply in while_away] == [None, None, None]
        status, body = health(instance)
        assert status == 503 and body["ok"] is False
        assert body["store"]["state"] == "unreachable" and body["store"]["queued"] == 3
        redis_server.start()
        asyncio.run(eventually(lambda: health(instance)[0] == 200, WAIT_S))
        # healthy once the queue is written; listed once the log's reader applies it (SPEC 11)
        asyncio.run(eventually(lambda: instance.api("/api/requests")["count"] == 4, WAIT_S))
        listed = instance.api("/api/requests")["requests"]
        assert [summary["path"] for summary in listed] == \
            ["/before", "/away/0", "/away/1", "/away/2"]
        assert [summary["id"] for summary in listed] == list(range(before, before + 4))
        stored = instance.api(f"/api/requests/{before + 1}")
        assert stored["response"]["body_text"] == '{"ok": true, "id": null}'
    finally:
        code, errors = stopped(instance)
    assert code == 0 and "Redis unreachable" in errors


def test_redis_back_empty_is_said_and_ids_go_on(redis_server: RedisServer,
                                                tmp_path: Path) -> None:
    instance = serve(redis_server, tmp_path)
    try:
        with websocket(instance) as ws:
            next_message(ws, "hello")
            highest = max(instance.post(f"/n/{n}")["id"] for n in range(3))
            redis_server.forget_everything()
            redis_server.start()
            next_message(ws, "clear")
            asyncio.run(eventually(lambda: health(instance)[0] == 200, WAIT_S))
            assert instance.post("/after")["id"] == highest + 1
            assert next_message(ws, "request")["request"]["id"] == highest + 1
    finally:
        code, errors = stopped(instance)
    assert code == 0 and "came back empty" in errors


def test_the_first_instance_sets_the_bounds(redis_server: RedisServer, tmp_path: Path) -> None:
    first = serve(redis_server, tmp_path, "--max-requests", "2")
    second = serve(redis_server, tmp_path, "--max-requests", "500")
    try:
        ids = [second.post(f"/n/{n}")["id"] for n in range(4)]
        asyncio.run(eventually(
            lambda: [r["id"] for r in first.api("/api/requests")["requests"]] == ids[2:], WAIT_S))
        assert [r["id"] for r in second.api("/api/requests")["requests"]] == ids[2:]
    finally:
        close(first.process)
        _, errors = stopped(second)
    assert "--max-requests 2" in errors


def test_redis_unreachable_at_start_is_one_line(tmp_path: Path) -> None:
    result = run("--hook", "0", "--ui", "0", "--store", "redis://:env:NO_SUCH_VAR@127.0.0.1:1/0",
                 cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "NO_SUCH_VAR" in result.stderr


def test_without_the_client_library_the_extra_is_named(tmp_path: Path) -> None:
    hide_redis = ("import sys; sys.modules['redis'] = None; sys.modules['redis.asyncio'] = None; "
                  "from inspector.cli import main; "
                  "sys.exit(main(['--hook', '0', '--ui', '0', '--store', 'redis://127.0.0.1:1/0']))")
    result = subprocess.run([sys.executable, "-c", hide_redis], cwd=tmp_path,
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "webhook-inspector[redis]" in result.stderr
