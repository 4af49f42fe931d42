"""The CLI as a user runs it: a real process on ephemeral ports."""

from __future__ import annotations

import asyncio
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .cli_process import Running, close, command, run, start
from .conftest import eventually


@pytest.fixture
def server(tmp_path: Path):  # type: ignore[no-untyped-def]
    running = start("--hook", "127.0.0.1:0", "--ui", "127.0.0.1:0", cwd=tmp_path)
    yield running
    close(running.process)


def test_serve_prints_urls_captures_and_exits_0_on_sigint(server: Running) -> None:
    assert server.hook_url.startswith("http://127.0.0.1:")
    assert server.ui_url.startswith("http://127.0.0.1:")
    assert server.hook_url != server.ui_url
    answer = server.post("/webhooks/bondify?x=1", b'{"event": "auth.confirmed"}')
    assert answer == {"ok": True, "id": 1}
    stored = server.api("/api/requests/1")
    assert stored["path"] == "/webhooks/bondify" and stored["query"] == "x=1"
    assert server.api("/healthz") == {"ok": True, "requests": 1, "store": {
        "engine": "memory", "state": "ok", "queued": 0}}
    assert server.stop(signal.SIGINT) == 0


def test_installed_package_serves_templates_and_static(server: Running) -> None:
    # Run from a temporary directory: the templates come from wherever the package is installed.
    with urllib.request.urlopen(server.ui_url + "/", timeout=5) as page:
        html = page.read().decode()
    assert "webhook-inspector" in html and server.hook_url in html
    with urllib.request.urlopen(server.ui_url + "/static/app.js", timeout=5) as script:
        assert script.status == 200


def test_sigterm_exits_0(server: Running) -> None:
    assert server.stop(signal.SIGTERM) == 0


def test_python_dash_m_and_console_script_agree(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "webhook-inspector"
    if not script.exists():
        pytest.skip("console script not installed in this environment")
    with subprocess.Popen([str(script), "--hook", "0", "--ui", "0"], cwd=tmp_path,
                          stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        assert process.stdout.readline().startswith("Webhooks  http://127.0.0.1:")
        assert process.stdout.readline().startswith("Inspector http://127.0.0.1:")
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0


def test_port_in_use_is_one_line_and_exit_2(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("--hook", f"127.0.0.1:{port}", "--ui", "0", cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "--hook" in lines[0] and str(port) in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("args", "toml", "expected"), [
    (["--bogus"], None, "--bogus"),
    (["--hook", "nonsense"], None, "--hook"),
    (["--max-body", "lots"], None, "--max-body"),
    (["--secret", "nosuch=x"], None, "unknown provider"),
    (["--max-requests", "ten"], None, "--max-requests"),
    ([], "hook = \n", "inspector.toml:1"),
    ([], 'wat = 1\n', "inspector.toml:1: unknown key 'wat'"),
    (["--config", "missing.toml"], None, "missing.toml"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, args: list[str], toml: str | None,
                                          expected: str) -> None:
    if toml is not None:
        (tmp_path / "inspector.toml").write_text(toml)
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert expected in lines[0]
    assert result.stdout == ""


def read_line(process: subprocess.Popen[str], timeout: float = 10) -> str:
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    line = process.stdout.readline()
    assert time.monotonic() < deadline and line, "tail printed nothing"
    return line.rstrip("\n")


def follow(*args: str, cwd: Path) -> subprocess.Popen[str]:
    """`tail` as a user runs it, once it says it follows the stream."""
    tail = subprocess.Popen(command("tail", *args), cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert tail.stderr is not None
    assert tail.stderr.readline().startswith("tail: following ws://")
    return tail


def test_tail_prints_lines_and_resumes_after_a_restart(tmp_path: Path) -> None:
    server = start("--hook", "0", "--ui", "0", cwd=tmp_path)
    ui_port = server.ui_url.rsplit(":", 1)[1]
    tail = follow("--ui", server.ui_url.removeprefix("http://"), cwd=tmp_path)  # no scheme
    restarted: Running | None = None
    try:
        server.post("/webhooks/bondify", b"x" * 312)
        assert read_line(tail) == (f"#1 {local_clock(server, 1)} POST /webhooks/bondify 312 B"
                                   " → 200")
        assert server.stop() == 0
        restarted = start("--hook", "0", "--ui", ui_port, cwd=tmp_path)
        restarted.post("/after/restart?a=1", b"{}")
        assert read_line(tail) == (f"#1 {local_clock(restarted, 1)} POST /after/restart?a=1 2 B"
                                   " → 200")
    finally:
        close(tail)
        for running in (server, restarted):
            if running is not None:
                close(running.process)


def test_tail_says_when_the_history_is_cleared(tmp_path: Path) -> None:
    server = start("--hook", "0", "--ui", "0", cwd=tmp_path)
    tail = follow("--ui", server.ui_url, cwd=tmp_path)
    try:
        server.post("/before")
        assert "/before" in read_line(tail)
        request = urllib.request.Request(server.ui_url + "/api/requests", method="DELETE")
        urllib.request.urlopen(request, timeout=5).close()
        assert tail.stderr is not None
        assert tail.stderr.readline() == "tail: the history was cleared\n"
        server.post("/after")
        assert "/after" in read_line(tail)
    finally:
        close(tail)
        close(server.process)


def local_clock(server: Running, request_id: int) -> str:
    """The request's arrival as `HH:MM:SS` in this machine's time zone, as `tail` shows it."""
    from datetime import datetime

    received_at = server.api(f"/api/requests/{request_id}")["received_at"]
    return datetime.fromisoformat(received_at).astimezone().strftime("%H:%M:%S")


def test_tail_lines_carry_the_verdict_reason_and_follow_body_prints_bodies(
        tmp_path: Path) -> None:
    import json

    server = start("--hook", "0", "--ui", "0", "--secret", "github=k", cwd=tmp_path)
    tail = follow("--follow-body", "--ui", server.ui_url, cwd=tmp_path)
    forged = {"X-Hub-Signature-256": "sha256=00", "X-GitHub-Event": "push"}
    try:
        server.post("/gh", '{"a": [1, 2],\n "ü": "x"}'.encode(), forged)
        assert read_line(tail) == (
            f"#1 {local_clock(server, 1)} POST /gh 25 B → 200  github push  invalid:"
            " X-Hub-Signature-256 does not match HMAC-SHA256 of the raw body…"
            "  not_json")  # posted form-encoded, with no payload= field for the JSON
        assert read_line(tail) == '    {"a":[1,2],"ü":"x"}'
        long_text = "y" * 5000
        server.post("/long", json.dumps({"text": long_text}).encode())
        assert read_line(tail).startswith(f"#2 {local_clock(server, 2)} POST /long 4.9 KB → 200")
        body = read_line(tail)
        shown = '    {"text":"' + "y" * (2000 - len('{"text":"'))
        assert body == shown + "… (cut: 3011 more characters)"
        server.post("/plain", b"line one\r\nline two")
        assert read_line(tail).startswith("#3 ")
        assert read_line(tail) == "    line one\\r\\nline two"
        server.post("/bytes", bytes(range(250, 256)))
        assert read_line(tail).startswith("#4 ")
        assert read_line(tail) == "    (binary body, 6 B)"
    finally:
        close(tail)
        close(server.process)


def test_tail_with_a_token_reads_the_reason_behind_the_token_too(tmp_path: Path) -> None:
    token = "tail-token-0123456789"
    server = start("--hook", "0", "--ui", "0", "--ui-token", token, "--secret", "github=k",
                   cwd=tmp_path)
    tail = follow("--token", token, "--ui", server.ui_url, cwd=tmp_path)
    try:
        server.post("/gh", b"{}", {"X-Hub-Signature-256": "sha256=00", "X-GitHub-Event": "push"})
        assert (
            "  github push  invalid: X-Hub-Signature-256 does not match HMAC-SHA256 of the raw"
            " body…") in read_line(tail)
    finally:
        close(tail)
        close(server.process)


def test_tail_json_prints_summaries_and_their_updates(tmp_path: Path) -> None:
    import http.server
    import json
    import threading

    class App(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(201)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    app = http.server.ThreadingHTTPServer(("127.0.0.1", 0), App)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    server = start("--hook", "0", "--ui", "0", "--forward",
                   f"http://127.0.0.1:{app.server_address[1]}", cwd=tmp_path)
    tail = follow("--json", "--ui", server.ui_url, cwd=tmp_path)
    try:
        urllib.request.urlopen(urllib.request.Request(server.hook_url + "/j", data=b"{}"),
                               timeout=5).close()
        arrived, answered = json.loads(read_line(tail)), json.loads(read_line(tail))
        assert (arrived["id"], arrived["path"], arrived["response_status"]) == (1, "/j", None)
        assert (answered["id"], answered["response_status"]) == (1, 201)
    finally:
        close(tail)
        close(server.process)
        app.shutdown()
        app.server_close()


def test_tail_with_nothing_to_follow_says_why_and_exits(tmp_path: Path) -> None:
    result = run("tail", "--ui", "127.0.0.1:1", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "cannot follow ws://127.0.0.1:1/ws" in result.stderr


def test_help_version_pipes_and_replay_without_a_target(tmp_path: Path,
                                                        server: Running) -> None:
    from inspector import __version__

    helped = run("--help", cwd=tmp_path)
    assert helped.returncode == 0
    assert all(flag in helped.stdout for flag in ("--hook", "--ui", "--store", "--forward",
                                                   "tail", "replay", "send"))
    version = run("--version", cwd=tmp_path)
    assert version.stdout.strip() == f"webhook-inspector {__version__}"
    piped = subprocess.run(["bash", "-c", " ".join(command("events")) + " | true"],
                           capture_output=True, text=True, timeout=15, cwd=tmp_path)
    assert piped.stderr == ""
    server.post("/x", b"{}")
    replayed = run("replay", "1", "--ui", server.ui_url, cwd=tmp_path)
    assert replayed.returncode == 2
    assert "give --to URL" in replayed.stdout and '"target"' not in replayed.stdout


def test_shutdown_with_requests_in_flight_answers_or_closes_each_and_exits_0(
        tmp_path: Path) -> None:
    import http.client
    import threading

    (tmp_path / "inspector.toml").write_text('[[rules]]\npath = "/hang"\naction = "hang"\n')
    server = start("--hook", "0", "--ui", "0", "--delay", "1", cwd=tmp_path)
    host, port = server.hook_url.rsplit("/", 1)[1].split(":")
    outcomes: dict[str, object] = {}

    def call(path: str) -> None:
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        try:
            connection.request("POST", path, body=b"{}")
            outcomes[path] = connection.getresponse().status
        except (OSError, http.client.HTTPException) as error:
            outcomes[path] = type(error).__name__
        finally:
            connection.close()

    threads = [threading.Thread(target=call, args=(f"/slow/{n}",)) for n in range(5)]
    threads.append(threading.Thread(target=call, args=("/hang",)))
    for thread in threads:
        thread.start()
    asyncio.run(eventually(  # all have arrived
        lambda: len(server.api("/api/requests")["requests"]) == len(threads), 10))
    started = time.monotonic()
    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(timeout=10) == 0
    assert time.monotonic() - started < 5
    for thread in threads:
        thread.join(10)
    assert [outcomes[f"/slow/{n}"] for n in range(5)] == [200] * 5
    assert outcomes["/hang"] != 200  # closed, not left hanging
    close(server.process)
