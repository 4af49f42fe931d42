"""Exporting a large history as HAR never holds capture (SPEC 3): the document is written an
entry at a time, each body encoded a piece at a time."""

from __future__ import annotations

import base64
import io
import json
import os

from .busy import while_busy
from .conftest import AppsFactory
from .hostile_inputs import MIB

BODIES = 6


async def test_capture_answers_while_a_large_history_is_exported(
        make_apps: AppsFactory) -> None:
    apps = await make_apps(max_requests=10_000, max_bytes=64 * MIB, max_body=6 * MIB)
    bodies = [os.urandom(5 * MIB) for _ in range(BODIES)]  # not UTF-8: base64 in the HAR
    for body in bodies:
        answer = await apps.hooks.post("/big", data=io.BytesIO(body))
        assert answer.status == 200

    async def export() -> bytes:
        response = await apps.ui.get("/api/export.har")
        assert response.status == 200
        return b"".join([piece async for piece in response.content.iter_any()])

    busy = await while_busy(apps.inspector.hook_url, export)
    busy.assert_unhindered()
    entries = json.loads(busy.result)["log"]["entries"]
    big = [entry for entry in entries if entry["request"]["url"].endswith("/big")]
    assert [base64.b64decode(entry["request"]["postData"]["text"]) for entry in big] == bodies
