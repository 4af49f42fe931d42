"""`tail` as a user runs it, on requests imported from a HAR file (issue 26.4): each is printed
at once, said to be imported, with the HAR's answer when it had one (an imported request's
answer never comes, so waiting for it printed nothing)."""

from __future__ import annotations

import json
from pathlib import Path

from .cli_process import close, run, start
from .test_cli import follow, local_clock, read_line
from .test_har_import import entry, har_of


def test_tail_prints_imported_requests_with_the_hars_answer(tmp_path: Path) -> None:
    answered = entry("POST", "http://x/answered", "{}", [])
    answered["response"]["status"] = 201
    unanswered = entry("POST", "http://x/unanswered", "[]", [])
    unanswered["response"]["status"] = 0  # what browsers write for a request not answered
    har = tmp_path / "session.har"
    har.write_text(json.dumps(har_of(answered, unanswered)))
    server = start("--hook", "0", "--ui", "0", cwd=tmp_path)
    tail = follow("--ui", server.ui_url, cwd=tmp_path)
    try:
        imported = run("import", str(har), "--ui", server.ui_url, cwd=tmp_path)
        assert imported.returncode == 0, imported.stderr
        server.post("/after")  # a line that comes whatever tail makes of the imported ones
        assert read_line(tail) == (f"#1 {local_clock(server, 1)} POST /answered 2 B → 201"
                                   "  imported (HAR)")
        assert read_line(tail) == (f"#2 {local_clock(server, 2)} POST /unanswered 2 B"
                                   " → (no answer)  imported (HAR)")
        assert read_line(tail).startswith("#3 ")
    finally:
        close(tail)
        close(server.process)
