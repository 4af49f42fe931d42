"""The OpenAPI document covers the whole API, and schemathesis finds no 5xx and no answer that
breaks it (replay and send are left out: fuzzed targets would leave this machine)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .cli_process import close, start
from .conftest import Apps


def aiohttp_paths(apps: Apps) -> set[str]:
    found = set()
    for resource in apps.ui_server.app.router.resources():
        info = resource.get_info()
        path = info.get("path") or info.get("formatter", "")
        path = re.sub(r"\{(\w+)(:[^}]*)?\}", r"{\1}", path)
        if path.startswith("/api/") and "{tail}" not in path:
            found.add(path)
    return found


async def test_every_api_route_is_documented(apps: Apps) -> None:
    document = await (await apps.ui.get("/api/openapi.json")).json()
    assert document["openapi"].startswith("3.")
    assert aiohttp_paths(apps) <= set(document["paths"])


def schemathesis() -> list[str]:
    found = shutil.which("schemathesis") or str(Path(sys.executable).parent / "schemathesis")
    if not Path(found).exists():
        pytest.skip("schemathesis is not installed")
    return [found]


def test_schemathesis_finds_no_server_error_and_no_schema_break(tmp_path: Path) -> None:
    server = start("--hook", "0", "--ui", "0", "--secret", "github=gh-secret", cwd=tmp_path)
    try:
        for path, headers in (("/a", {"X-GitHub-Event": "push"}), ("/b", {}), ("/c?x=1", {})):
            server.post(path, json.dumps({"n": path}).encode(), headers)
        result = subprocess.run(
            [*schemathesis(), "run", server.ui_url + "/api/openapi.json",
             "--checks", "not_a_server_error,response_schema_conformance,"
                         "status_code_conformance,content_type_conformance",
             "--exclude-path-regex", ".*/(replay|send)$", "--max-examples", "25",
             "--seed", "20261122", "--phases", "examples,coverage,fuzzing"],
            capture_output=True, text=True, timeout=600, cwd=tmp_path)
        summary = result.stdout[-3000:]
        assert result.returncode == 0, summary
        assert re.search(r"\d+ generated, \d+ passed", summary), summary
        assert server.process.poll() is None
    finally:
        close(server.process)
