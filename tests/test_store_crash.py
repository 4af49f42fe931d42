"""SQLite: `kill -9` under load, then a restart on the same file: every request whose sender
got an answer is there, byte for byte, ids go on, and the websocket resumes (a real process,
a real kill, a real file)."""

from __future__ import annotations

import http.client
import json
import os
import signal
import threading
from pathlib import Path
from urllib.parse import urlsplit

from websockets.sync.client import connect

from .cli_process import Running, close, run, start


def serve_on(tmp_path: Path) -> Running:
    return start("--hook", "127.0.0.1:0", "--ui", "127.0.0.1:0", "--store", "sqlite:history.db",
                 "--max-requests", "100000", cwd=tmp_path)


def load(running: Running, answered: dict[int, bytes], stop: threading.Event,
         sender: int) -> None:
    """Keep sending distinct requests; remember each one answered, by its id."""
    split = urlsplit(running.hook_url)
    connection = http.client.HTTPConnection(split.hostname, split.port, timeout=5)
    number = sender * 1_000_000
    try:
        while not stop.is_set():
            number += 1
            body = b'{"n": %d, "raw":  "\\u00fc \xc3\xbc"}' % number
            connection.request("POST", f"/load/{number}?q={number}", body=body,
                               headers={"X-Case": f"Mixed-{number}"})
            reply = json.loads(connection.getresponse().read())
            answered[int(reply["id"])] = body
    except (OSError, http.client.HTTPException, ValueError):
        return  # the server was killed mid-request: that one was never answered
    finally:
        connection.close()


def hello(running: Running, after: int) -> tuple[dict[str, object], list[int]]:
    ws_url = running.ui_url.replace("http://", "ws://") + f"/ws?after={after}"
    with connect(ws_url, open_timeout=5) as ws:
        first = json.loads(ws.recv(timeout=5))
        ids = [json.loads(ws.recv(timeout=5))["request"]["id"]
               for _ in range(int(str(first["last_id"])) - after)]
    return first, ids


def test_nothing_answered_is_lost_to_a_kill(tmp_path: Path) -> None:
    first = serve_on(tmp_path)
    before, _ = hello(first, 0)
    answered: dict[int, bytes] = {}
    stop = threading.Event()
    senders = [threading.Thread(target=load, args=(first, answered, stop, n)) for n in range(3)]
    for sender in senders:
        sender.start()
    while len(answered) < 300:  # under load, with requests in flight
        assert all(sender.is_alive() for sender in senders)
        stop.wait(0.005)
    os.kill(first.process.pid, signal.SIGKILL)
    first.process.wait(10)
    stop.set()
    for sender in senders:
        sender.join(10)
    close(first.process)

    again = serve_on(tmp_path)
    try:
        kept = again.api("/api/requests?limit=1")["count"]
        assert kept >= len(answered)
        for request_id, body in answered.items():
            detail = again.api(f"/api/requests/{request_id}")
            number = json.loads(body)["n"]
            assert (detail["path"], detail["query"]) == (f"/load/{number}", f"q={number}")
            assert ["X-Case", f"Mixed-{number}"] in detail["headers"]
            assert detail["response"]["status"] == 200
            with again.open(f"/api/requests/{request_id}/raw") as raw:
                assert raw.read() == body
        resumed, ids = hello(again, max(answered) - 5)
        assert resumed["instance"] == before["instance"]
        assert ids[:5] == list(range(max(answered) - 4, max(answered) + 1))
        reply = again.post("/after-the-restart")
        assert reply["id"] > max(answered)
    finally:
        close(again.process)


def test_a_file_that_is_not_ours_stops_the_start_in_one_line(tmp_path: Path) -> None:
    from .cli_process import run

    (tmp_path / "notes.db").write_bytes(b"my notes, not a database\n" * 40)
    for store, named in (("sqlite:notes.db", "notes.db"), ("sqlite:missing/h.db", "missing"),
                         ("redis://127.0.0.1:1/0", "redis")):
        result = run("--hook", "0", "--ui", "0", "--store", store, cwd=tmp_path)
        assert result.returncode == 2, store
        assert result.stderr.count("\n") == 1 and named in result.stderr
    assert (tmp_path / "notes.db").read_bytes() == b"my notes, not a database\n" * 40


def test_a_second_instance_on_the_same_file_is_refused(tmp_path: Path) -> None:
    first = serve_on(tmp_path)
    try:
        first.post("/kept")
        second = run("--hook", "127.0.0.1:0", "--ui", "127.0.0.1:0", "--store",
                     "sqlite:history.db", cwd=tmp_path)
        assert second.returncode == 2
        assert second.stderr.count("\n") == 1 and "history.db" in second.stderr
        assert "in use by another process" in second.stderr
        assert first.api("/api/requests")["count"] == 1  # the first goes on, untouched
    finally:
        first.stop()
