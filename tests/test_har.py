"""HAR 1.2 export, loaded back with a HAR parser (haralyzer)."""

from __future__ import annotations

import base64
import json

from haralyzer import HarEntry, HarParser

from .conftest import Apps


async def export(apps: Apps, query: str = "") -> dict:  # type: ignore[type-arg]
    response = await apps.ui.get("/api/export.har" + query)
    assert response.status == 200
    assert "attachment" in response.headers["Content-Disposition"]
    return await response.json()


async def test_har_loads_with_requests_and_responses(apps: Apps) -> None:
    await apps.hooks.post("/webhooks/a?x=1", data=b'{"event": "auth.confirmed"}',
                          headers={"Content-Type": "application/json",
                                   "X-Forwarded-Proto": "https",
                                   "X-Forwarded-Host": "abc.ngrok.app"})
    await apps.hooks.put("/bin", data=b"\xff\x00\x01", headers={"X-Bondify-Signature": "ab"})
    document = await export(apps)
    parser = HarParser(document)
    assert document["log"]["version"] == "1.2"
    entries = parser.har_data["entries"]
    assert len(entries) == 2
    first, second = entries
    assert first["request"]["method"] == "POST"
    assert first["request"]["url"] == "https://abc.ngrok.app/webhooks/a?x=1"
    assert first["request"]["queryString"] == [{"name": "x", "value": "1"}]
    assert first["request"]["postData"]["text"] == '{"event": "auth.confirmed"}'
    assert first["response"]["status"] == 200
    assert json.loads(first["response"]["content"]["text"]) == {"ok": True, "id": 1}
    assert base64.b64decode(second["request"]["postData"]["text"]) == b"\xff\x00\x01"
    entry = HarEntry(first)
    assert entry.request.method == "POST" and entry.response.status == 200
    assert entry.request.get_header_value("Content-Type") == "application/json"


async def test_har_by_ids_and_masked(apps: Apps) -> None:
    for n in range(3):
        await apps.hooks.post(f"/n/{n}", data=b"{}", headers={
            "Authorization": "Bearer secret-token", "X-Hub-Signature-256": "sha256=abc"})
    document = await export(apps, "?ids=1,3,99&mask=1")
    entries = document["log"]["entries"]
    assert [e["request"]["url"].rsplit("/", 1)[1] for e in entries] == ["0", "2"]
    text = json.dumps(document)
    assert "secret-token" not in text and "sha256=abc" not in text
    assert "(masked)" in text
    unmasked = json.dumps(await export(apps, "?ids=1"))
    assert "secret-token" in unmasked
    assert (await apps.ui.get("/api/export.har?ids=a,b")).status == 400
