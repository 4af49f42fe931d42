"""Redis faults, with real processes: real redis-servers killed, restarted empty or from an
older snapshot, flushed, full or holding foreign keys, and real instances paused through it
(SPEC 11, "Faults every engine survives")."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest

from inspector.store.redis_recovery import AGREE_WAIT_S, CHECK_S

from .cli_process import Running, close, run, start
from .conftest import eventually
from .redis_server import RedisServer
from .test_store_redis import WAIT_S, health, next_message, serve, stopped, websocket
from .test_store_redis import instances as instances  # the fixture: two instances, one Redis

PREFIX = "webhook-inspector:"
ANSWERED_WITHIN_S = 3.0
# The check's period, the agreement's wait for a paused instance, and slack for this machine.
NOTICED_WITHIN_S = CHECK_S + AGREE_WAIT_S + 2.0


def listed(instance: Running) -> list[tuple[int, str]]:
    return [(summary["id"], summary["path"]) for summary in
            instance.api("/api/requests")["requests"]]


def one_history(instances: list[Running], paths: set[str]) -> list[tuple[int, str]] | None:
    """The history every instance shows, once all are healthy, agree, and hold `paths`."""
    if any(health(instance)[0] != 200 for instance in instances):
        return None
    seen = [listed(instance) for instance in instances]
    if any(shown != seen[0] for shown in seen) or not paths <= {p for _, p in seen[0]}:
        return None
    return seen[0]


def agreed_history(instances: list[Running], paths: set[str]) -> list[tuple[int, str]]:
    history: list[tuple[int, str]] = []

    def agreed() -> bool:
        history[:] = one_history(instances, paths) or []
        return bool(history)
    asyncio.run(eventually(agreed, WAIT_S))
    return history


def ids_of(history: list[tuple[int, str]], prefix: str) -> list[int]:
    return [request_id for request_id, path in history if path.startswith(prefix)]


def test_a_paused_instance_gives_no_id_again_after_redis_came_back_empty(
        redis_server: RedisServer, instances: list[Running]) -> None:
    first, second = instances
    second.pause()
    given = [first.post(f"/first/{n}")["id"] for n in range(3)]
    redis_server.forget_everything()
    redis_server.start()
    second.resume()
    answers = [second.post(f"/second/{n}")["id"] for n in range(2)]
    assert all(answer is None or answer > max(given) for answer in answers), answers
    history = agreed_history(instances, {"/second/0", "/second/1"})
    assert min(ids_of(history, "/second/")) > max(given)
    assert [request_id for request_id, _ in history] == sorted({i for i, _ in history})
    errors = [stopped(instance)[1] for instance in instances]
    assert all(error.count("came back empty") == 1 for error in errors), errors


def test_redis_back_from_an_older_snapshot_is_noticed_and_no_id_is_given_twice(
        tmp_path: Path) -> None:
    server = RedisServer(tmp_path, keep_data=False)  # snapshots only, as Debian's default
    server.start()
    first, second = serve(server, tmp_path), serve(server, tmp_path)
    try:
        kept = [instance.post(f"/kept/{n}")["id"] for n, instance in enumerate([first, second])]
        agreed_history([first, second], {"/kept/0", "/kept/1"})
        server.client().save()
        second.pause()
        lost = [first.post(f"/lost/{n}")["id"] for n in range(3)]
        server.stop()  # SIGKILL: what came after the snapshot is gone
        server.start()  # from dump.rdb
        second.resume()
        answers = [second.post(f"/after/{n}")["id"] for n in range(2)]
        assert all(answer is None or answer > max(lost) for answer in answers), answers
        history = agreed_history([first, second], {"/after/0", "/after/1"})
        assert ids_of(history, "/kept/") == kept and ids_of(history, "/lost/") == []
        assert min(ids_of(history, "/after/")) > max(lost)
        _, said = stopped(first)
        assert said.count("older copy") == 1, said
    finally:
        for instance in (first, second):
            close(instance.process)
        server.stop()


def each_heard_the_other(server: RedisServer) -> Any:
    """A condition: every instance has said its floor again since all of them were there,
    so each knows of the others (and an agreement waits for them)."""
    all_there: list[float] = []

    def heard() -> bool:
        with server.client() as client:
            said = [float(value.split(b":")[1])
                    for value in client.hgetall(PREFIX + "floors").values()]
        if len(said) < 2:
            return False
        all_there.append(max(said)) if not all_there else None
        return min(said) > all_there[0]
    return heard


def test_no_id_is_given_before_a_paused_instance_has_said_its_floor(tmp_path: Path) -> None:
    server = RedisServer(tmp_path, keep_data=False)
    server.start()
    first, second = serve(server, tmp_path), serve(server, tmp_path)
    try:
        asyncio.run(eventually(each_heard_the_other(server), WAIT_S))
        server.client().save()
        first.pause()
        answered = [second.post(f"/second/{n}")["id"] for n in range(3)]  # the first sees none
        second.pause()
        server.stop()
        server.start()  # from the snapshot: `next` is below the ids the second answered
        first.resume()
        assert first.post("/first")["id"] is None  # agreeing: answered as during an outage
        second.resume()
        history = agreed_history([first, second], {"/first"})
        assert ids_of(history, "/first")[0] > max(answered)
        assert ids_of(history, "/second/") == []  # gone with the snapshot, on both
    finally:
        for instance in (first, second):
            close(instance.process)
        server.stop()


def test_a_flush_is_noticed_and_said_and_a_paused_instance_checks_before_giving_ids(
        instances: list[Running], redis_server: RedisServer) -> None:
    first, second = instances
    with websocket(first) as ws:
        next_message(ws, "hello")
        second.pause()  # it has seen none of what follows, and its connection stays open
        given = [first.post(f"/first/{n}")["id"] for n in range(3)]
        for _ in given:
            next_message(ws, "request")
        redis_server.client().flushall()
        flushed = time.monotonic()
        assert "came back empty" in next_message(ws, "clear")["reason"]
        noticed_s = time.monotonic() - flushed
        second.resume()
        answer = second.post("/second")["id"]
        assert answer is None or answer > max(given)
    assert noticed_s < NOTICED_WITHIN_S
    history = agreed_history(instances, {"/second"})
    assert ids_of(history, "/first/") == [] and ids_of(history, "/second")[0] > max(given)
    errors = [stopped(instance)[1] for instance in instances]
    assert all(error.count("came back empty") == 1 for error in errors), errors


def fill_memory(client: Any) -> Any:
    client.config_set("maxmemory-policy", "noeviction")
    client.config_set("maxmemory", 1)
    return lambda: client.config_set("maxmemory", 0)


def wrong_type(client: Any) -> Any:
    ids = PREFIX + "ids"
    kept = client.dump(ids)
    client.delete(ids)
    client.set(ids, "not a sorted set")

    def restore() -> None:
        client.delete(ids)
        client.restore(ids, 0, kept)
    return restore


@pytest.mark.parametrize(("fault", "cause"), [(fill_memory, "OutOfMemoryError"),
                                                (wrong_type, "WRONGTYPE")])
def test_a_redis_error_is_an_outage_never_a_hang(redis_server: RedisServer, tmp_path: Path,
                                                 fault: Any, cause: str) -> None:
    instance = serve(redis_server, tmp_path)
    try:
        before = instance.post("/before")["id"]
        with redis_server.client() as client:
            undo = fault(client)
            started = time.monotonic()
            assert instance.post("/during")["id"] is None
            assert time.monotonic() - started < ANSWERED_WITHIN_S
            status, body = health(instance)
            assert status == 503 and cause in body["store"]["cause"], body
            undo()
        asyncio.run(eventually(lambda: health(instance)[0] == 200, WAIT_S))
        # Healthy once the queue is written; the log reader applies it just after (SPEC 11:
        # seen by every instance within 100 ms), so the listing is waited for too.
        expected = [(before, "/before"), (before + 1, "/during")]
        asyncio.run(eventually(lambda: listed(instance) == expected, 1.0))
    finally:
        code, errors = stopped(instance)
    assert code == 0 and cause in errors and "Task exception" not in errors


def meta(**fields: str) -> dict[str, str]:
    return {"instance": "i", "generation": "g", "schema": "1", "max_requests": "10",
            "max_bytes": "1000", **fields}


FOREIGN = {
    "a newer schema": ([("hset", "meta", meta(schema="99"))], "newer version"),
    "meta without a field of ours": ([("hset", "meta", {"schema": "1"})], "meta has no"),
    "meta as a string": ([("set", "meta", "hello")], "meta is a string"),
    "a record that is no hash": ([("hset", "meta", meta()), ("zadd", "ids", {"1": 1}),
                                  ("set", "req:1", "x")], "req:1 is not a hash"),
    "a record we cannot read": ([("hset", "meta", meta()), ("zadd", "ids", {"1": 1}),
                                 ("hset", "req:1", {"doc": "{", "size": "1"})], "req:1"),
    "the log as a list": ([("rpush", "log", "x")], "log is a list"),
    "next not a number": ([("set", "next", "seven")], "next"),
    "max_requests not a number": ([("hset", "meta", meta(max_requests="abc"))],
                                  "max_requests"),
}


@pytest.mark.parametrize("case", FOREIGN)
def test_foreign_or_newer_data_stops_the_start_in_one_line(
        redis_server: RedisServer, tmp_path: Path, case: str) -> None:
    writes, named = FOREIGN[case]
    with redis_server.client() as client:
        for command, key, value in writes:
            if command == "hset":
                client.hset(PREFIX + key, mapping=value)
            elif command == "zadd":
                client.zadd(PREFIX + key, value)
            else:
                getattr(client, command)(PREFIX + key, value)
    before = redis_server.everything()
    result = run("--hook", "0", "--ui", "0", "--store", redis_server.url, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and named in result.stderr, result.stderr
    assert redis_server.everything() == before


@pytest.mark.parametrize("url", ["redis://:pw@127.0.0.1:99999/0", "redis://127.0.0.1:6x/0",
                                 "redis://:pw@[::1/0", "redis://127.0.0.1/0?socket_timeout=abc"])
def test_a_malformed_url_is_one_line(tmp_path: Path, url: str) -> None:
    result = run("--hook", "0", "--ui", "0", "--store", url, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "pw" not in result.stderr


def test_a_password_from_the_environment_is_taken_whole(redis_server: RedisServer,
                                                        tmp_path: Path) -> None:
    with redis_server.client() as client:
        client.config_set("requirepass", "a@b/c")
    url = f"redis://:env:INSPECTOR_TEST_PW@127.0.0.1:{redis_server.port}/0"
    instance = start("--hook", "127.0.0.1:0", "--ui", "127.0.0.1:0", "--store", url,
                     cwd=tmp_path, env={"INSPECTOR_TEST_PW": "a@b/c"})
    try:
        assert instance.post("/with-a-password")["id"] == 1
    finally:
        close(instance.process)
