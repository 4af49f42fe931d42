"""`tail` against hostile requests: the real CLI following a real server prints what requests
carry with every control character escaped, so no request can act on the terminal (SPEC 8)."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from .cli_process import Running, close, start
from .test_cli import follow, read_line

# Retitle the window, write the clipboard (OSC 52), erase the line, move the cursor up.
ESCAPES = "\x1b]0;pwned\x07\x1b]52;c;ZWNobyBoaQ==\x07\x1b[2K\x1b[1A"
C1_AND_BIDI = "\u009b2J\u202egnp.exe"
ACTING = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def post_hostile_requests(server: Running) -> None:
    stripe = {"Stripe-Signature": "t=1,v1=00"}
    server.post("/stripe", json.dumps({"id": "evt_1", "type": ESCAPES}).encode(), stripe)
    utf8 = ("push" + C1_AND_BIDI).encode().decode("latin-1")  # urllib sends latin-1
    server.post("/github", b"{}", {"X-GitHub-Event": utf8, "X-Hub-Signature-256": utf8})
    server.post("/text", f"safe{ESCAPES}\r\n{C1_AND_BIDI}".encode(),
                {"Content-Type": "text/plain"})
    server.post("/surrogate", b'{"id": "evt_2", "type": "\\ud800"}', stripe)
    server.post("/deep", b"[" * 5000 + b"]" * 5000)
    server.post("/end")


def lines_until_the_end(tail: object) -> list[str]:
    lines: list[str] = []
    while not any("/end" in line for line in lines[-2:]):
        lines.append(read_line(tail))  # type: ignore[arg-type]
    return lines


@pytest.mark.parametrize("mode", [[], ["--follow-body"]])
def test_tail_escapes_every_control_character(tmp_path: Path, mode: list[str]) -> None:
    server = start("--hook", "0", "--ui", "0", "--secret", "stripe=whsec_k", "--secret",
                   "github=k", cwd=tmp_path)
    tail = follow(*mode, "--ui", server.ui_url, cwd=tmp_path)
    try:
        post_hostile_requests(server)
        printed = "\n".join(lines_until_the_end(tail))
        acting = sorted({f"U+{ord(c):04X}" for c in printed
                         if c != "\n" and unicodedata.category(c) in ACTING})
        assert not acting, acting
        assert "\\x1b]0;pwned\\x07\\x1b]52;c;ZWNobyBoaQ==\\x07\\x1b[2K\\x1b[1A" in printed
        # A lone surrogate in an event is shown replaced (derived text), and tail goes on.
        assert "push\\u009b2J\\u202egnp.exe" in printed and "\ufffd" in printed
        if mode:
            assert "safe\\x1b]0;pwned" in printed and "\\r\\n\\u009b2J" in printed
        assert tail.poll() is None  # still following
    finally:
        close(tail)
        close(server.process)


def test_tail_json_stays_json_with_the_values_intact(tmp_path: Path) -> None:
    server = start("--hook", "0", "--ui", "0", "--secret", "stripe=whsec_k", "--secret",
                   "github=k", cwd=tmp_path)
    tail = follow("--json", "--ui", server.ui_url, cwd=tmp_path)
    try:
        post_hostile_requests(server)
        summaries = [json.loads(line) for line in lines_until_the_end(tail)]
        events = {summary["path"]: summary["event"] for summary in summaries}
        assert events["/stripe"] == ESCAPES and events["/github"] == "push" + C1_AND_BIDI
        assert events["/surrogate"] == "\ufffd"
    finally:
        close(tail)
        close(server.process)
