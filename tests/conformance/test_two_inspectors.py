"""Each inspector judges with its own schemas (its SharedState's Judge, handed to serialize,
the search and the export): two inspectors in one process, the second with a stricter user
schema, each see their own verdicts, whatever the other was asked first."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from inspector.config import SchemaSpec

from ..conftest import Apps, AppsFactory
from .test_everywhere import BONDIFY, GOOD, schema_file


async def seen_by(apps: Apps) -> tuple[Any, ...]:
    posted = await apps.hooks.post("/auth", data=json.dumps(GOOD), headers=BONDIFY)
    request_id = (await posted.json())["id"]
    listed = await (await apps.ui.get("/api/requests")).json()
    detail = await (await apps.ui.get(f"/api/requests/{request_id}")).json()
    deviating = await (await apps.ui.get("/api/requests", params={"q": "schema:deviates"})).json()
    found = await (await apps.ui.get("/api/requests", params={"q": "finding:/locale"})).json()
    har = json.loads(await (await apps.ui.get("/api/export.har")).read())
    return (listed["requests"][0]["conformance"],
            [f["path"] for f in detail["conformance"]["findings"]],
            len(deviating["requests"]), len(found["requests"]),
            har["log"]["entries"][0]["_conformance"]["status"])


async def test_two_inspectors_with_different_schemas_each_see_their_own(
        make_apps: AppsFactory, tmp_path: Path) -> None:
    stricter = schema_file(tmp_path, "bondify.json", {
        "x-provider": "bondify", "x-event": "auth.confirmed", "type": "object",
        "required": ["locale"]})
    bundled = await make_apps()
    strict = await make_apps(schemas=(SchemaSpec(str(stricter)),))
    assert await seen_by(strict) == ("deviates", ["/locale"], 1, 1, "deviates")
    assert await seen_by(bundled) == ("conforms", [], 0, 0, "conforms")
    assert await seen_by(strict) == ("deviates", ["/locale"], 2, 2, "deviates")
