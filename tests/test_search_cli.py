"""`tail --filter` and `replay --query` as a user runs them, against a real server."""

from __future__ import annotations

import http.server
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from .cli_process import close, run, start
from .test_cli import follow, local_clock, read_line
from .upstream import threaded_server


def test_tail_filter_prints_only_the_matches(tmp_path: Path) -> None:
    server = start("--hook", "0", "--ui", "0", cwd=tmp_path)
    tail = follow("--ui", server.ui_url, "--filter", "path:/webhooks/* -method:get",
                  cwd=tmp_path)
    try:
        server.post("/other", b"{}")
        server.post("/webhooks/stripe", b"{}")
        assert read_line(tail) == f"#2 {local_clock(server, 2)} POST /webhooks/stripe 2 B → 200"
        server.post("/health", b"{}")
        server.post("/webhooks/github", b"12345")
        assert read_line(tail) == f"#4 {local_clock(server, 4)} POST /webhooks/github 5 B → 200"
    finally:
        close(tail)
        close(server.process)


def test_a_filter_that_does_not_parse_is_one_line_and_exit_2(tmp_path: Path) -> None:
    for args in (("tail", "--filter", "status:abc"), ("replay", "--query", "(a")):
        result = run(*args, "--ui", "127.0.0.1:1", cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        assert result.stderr.count("\n") == 1 and "expected" in result.stderr


class Target(http.server.BaseHTTPRequestHandler):
    paths: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        Target.paths.append(self.path)
        self.send_response(500 if "fail" in self.path else 200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def target() -> Iterator[str]:
    Target.paths = []
    with threaded_server(Target) as port:
        yield f"http://127.0.0.1:{port}"


def test_replay_query_replays_every_match_in_id_order(tmp_path: Path, target: str) -> None:
    server = start("--hook", "0", "--ui", "0", cwd=tmp_path)
    try:
        for path in ("/a/one", "/b", "/a/two", "/a/fail"):
            server.post(path, b"{}")
        result = run("replay", "--query", "path:/a/* -path:fail", "--to", target,
                     "--ui", server.ui_url, cwd=tmp_path)
        assert result.returncode == 0, result.stdout + result.stderr
        assert Target.paths == ["/a/one", "/a/two"]
        lines = result.stdout.splitlines()
        assert lines[0].startswith(f"#1 POST {target}/a/one → 200 in ")
        assert lines[-1] == "replay: 2 matched, 2 answered 2xx"
        failing = run("replay", "--query", "path:/a/", "--to", target, "--ui", server.ui_url,
                      cwd=tmp_path)
        assert failing.returncode == 1 and "3 matched, 2 answered 2xx" in failing.stdout
        none = run("replay", "--query", "path:/nothing", "--to", target, "--ui",
                   server.ui_url, cwd=tmp_path)
        assert none.returncode == 1 and "0 matched" in none.stdout
        both = run("replay", "1", "--query", "x", "--ui", server.ui_url, cwd=tmp_path)
        assert both.returncode == 2 and "one of them" in both.stderr
    finally:
        close(server.process)
