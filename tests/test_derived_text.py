"""Text derived from a request is cut at a documented length (issue 28, 3): an event name, a
delivery id, a dedupe key and a verdict's reason taken from megabytes of body or query reach
summaries, lists and websocket messages cut, with a visible "…"; long keys that differ stay
apart."""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path
from urllib.parse import urlsplit

from websockets.asyncio.client import connect

from inspector.config import SecretSpec
from inspector.derived import CUT, MAX_DERIVED, MAX_REASON

from .conftest import Apps, AppsFactory, eventually
from .signatures.test_telebothost import FORWARDED, SECRET, signed_link

STRIPE = {"Stripe-Signature": "t=1767225600,v1=" + "0" * 64,
          "Content-Type": "application/json"}


async def post_stripe(apps: Apps, event: str, delivery_id: str) -> int:
    body = json.dumps({"id": delivery_id, "type": event}).encode()
    posted = await apps.hooks.post("/stripe", data=io.BytesIO(body), headers=STRIPE)
    assert posted.status == 200
    return int((await posted.json())["id"])


async def test_a_huge_event_name_is_cut_everywhere(make_apps: AppsFactory) -> None:
    apps = await make_apps(max_body=16 * 1024 * 1024, max_bytes=64 * 1024 * 1024)
    async with connect(apps.ws_url("?after=0")) as ws:
        json.loads(await ws.recv())
        for n in range(3):
            await post_stripe(apps, f"{n}" + "e" * 3_000_000, f"evt_{n}" + "i" * 1_000_000)
        messages = [await asyncio.wait_for(ws.recv(), 5) for _ in range(3)]
    assert all(len(message) < 4096 for message in messages)
    listing = await apps.ui.get("/api/requests")
    assert len(await listing.read()) < 16 * 1024  # was 27 MB for three 9 MB names
    for summary in (await listing.json())["requests"]:
        for field in ("event", "delivery_id"):
            assert len(summary[field]) == MAX_DERIVED and summary[field].endswith(CUT)
        detail = await (await apps.ui.get(f"/api/requests/{summary['id']}")).json()
        assert len(detail["dedupe_key"]) == MAX_DERIVED and CUT in detail["dedupe_key"]


async def test_long_delivery_ids_that_differ_stay_two_deliveries(make_apps: AppsFactory) -> None:
    apps = await make_apps()
    shared = "evt_" + "x" * 400
    first = await post_stripe(apps, "invoice.paid", shared + "A")
    other = await post_stripe(apps, "invoice.paid", shared + "B")
    again = await post_stripe(apps, "invoice.paid", shared + "A")
    duplicates = [(await (await apps.ui.get(f"/api/requests/{i}")).json())["duplicate_of"]
                  for i in (first, other, again)]
    assert duplicates == [None, None, first]


async def test_a_reason_quoting_received_values_is_cut(make_apps: AppsFactory) -> None:
    """TeleBotHost's valid verdict names the link's command and user, taken from the query."""
    apps = await make_apps(secrets=(SecretSpec("telebothost", SECRET),))
    link = urlsplit(signed_link(user="u" * 20_000))
    opened = await apps.hooks.get(f"{link.path}?{link.query}", headers=FORWARDED)
    detail = await (await apps.ui.get(f"/api/requests/{(await opened.json())['id']}")).json()
    (verdict,) = detail["signatures"]
    assert verdict["status"] == "valid" and "command syncGameData for user uuu" in \
        verdict["reason"]
    assert len(verdict["reason"]) == MAX_REASON and verdict["reason"].endswith(CUT)


async def test_a_lone_surrogate_in_an_event_is_shown_replaced_and_indexed(
        make_apps: AppsFactory, tmp_path: Path) -> None:
    """JSON's "\\ud800" parses to a lone surrogate, which no index, file or terminal can encode:
    the SQLite search index stopped on it, and nothing after it was indexed."""
    apps = await make_apps(store=f"sqlite:{tmp_path / 'history.db'}")
    stripe = {"Stripe-Signature": "t=1,v1=00"}
    await apps.hooks.post("/s", data=b'{"id": "evt_\\udc00", "type": "a\\ud800b"}',
                          headers=stripe)
    await apps.hooks.post("/after", data=b'{"id": "evt_2", "type": "later.event"}',
                          headers=stripe)
    listed = await (await apps.ui.get("/api/requests")).json()
    assert [r["event"] for r in listed["requests"]] == ["a\ufffdb", "later.event"]
    assert listed["requests"][0]["delivery_id"] == "evt_\ufffd"

    async def indexed() -> bool:
        found = await (await apps.ui.get("/api/requests", params={"q": "event:later"})).json()
        return [r["path"] for r in found["requests"]] == ["/after"]

    await eventually(indexed)
