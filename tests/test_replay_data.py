"""`replay ID --data`: the data merged into the stored JSON body, as `send --data` does, seen
by a real app; bodies that are not JSON are refused in one line."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from .cli_process import close, start
from .upstream import APP_SECRET, Upstream, sign


async def replay_command(*args: str) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "inspector", "replay", *args,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_replay_data_is_merged_into_the_json_body(aiohttp_server: Any,
                                                        tmp_path: Path) -> None:
    upstream = Upstream()
    base = f"http://127.0.0.1:{(await aiohttp_server(upstream.app())).port}"
    server = start("--hook", "0", "--ui", "0", "--secret", f"bondify={APP_SECRET}", cwd=tmp_path)
    try:
        original = b'{"event": "auth.confirmed", "data": {"a": 1, "b": 2}}'
        server.post("/hook", original, sign(original))
        server.post("/binary", b"\xff\xfe")
        server.post("/text", b"not json")
        data = tmp_path / "data.json"
        data.write_text(json.dumps({"data": {"b": "Ü"}, "new": True}), "utf-8")
        code, out, err = await replay_command("1", "--to", base, "--ui", server.ui_url,
                                              "--data", f"@{data}")
        assert code == 1, out + err  # the old signature over a new body: the app says 401
        merged = '{"event":"auth.confirmed","data":{"a":1,"b":"Ü"},"new":true}'.encode()
        assert upstream.seen[-1].body == merged and upstream.seen[-1].path_qs == "/hook"
        code, out, err = await replay_command("1", "--to", base, "--ui", server.ui_url,
                                              "--data", f"@{data}", "--resign")
        assert code == 0, out + err  # signed again with the configured secret: verified
        assert upstream.seen[-1].body == merged

        for request_id, data_arg, message in (
                ("2", "{}", "is binary, not JSON"), ("3", "{}", "is not JSON"),
                ("1", "{not json", "--data: not JSON"), ("9", "{}", "request 9: 404")):
            code, out, err = await replay_command(request_id, "--to", base, "--ui",
                                                  server.ui_url, "--data", data_arg)
            assert code == 2 and message in err and err.count("\n") == 1, err
        code, out, err = await replay_command("--query", "path:/hook", "--to", base, "--ui",
                                              server.ui_url, "--data", "{}")
        assert code == 2 and "give its ID" in err, err
        assert len(upstream.seen) == 2
    finally:
        close(server.process)
