"""Requests imported from a HAR file, in a real Chromium (issue 26.4): said to be imported,
with the HAR's answer when it had one, never "from null" nor an answer still awaited."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from ..test_har_import import entry, har_of
from .conftest import Server, open_inspector


def test_imported_requests_say_so_and_show_the_hars_answer(page: Any, server: Server) -> None:
    answered = entry("POST", "http://x/answered", "{}", [])
    answered["response"].update(status=201, headers=[{"name": "X-From", "value": "upstream"}],
                                content={"size": 7, "mimeType": "text/plain", "text": "created"})
    unanswered = entry("POST", "http://x/unanswered", "{}", [])
    unanswered["response"]["status"] = 0
    imported = page.request.post(server.ui_url + "/api/import",
                                 data=har_of(answered, unanswered))
    assert imported.status == 200, imported.text()
    first, second = imported.json()["ids"]

    open_inspector(page, server, f"/requests/{first}")
    expect(page.locator(f"#row-{first} .answer")).to_have_text("201")
    expect(page.locator(f"#row-{second} .answer")).to_have_text("—")
    facts = page.locator(".detail-head .facts")
    expect(facts).to_contain_text("201 from the HAR's server in 12.5 ms")
    expect(facts).to_contain_text("imported (HAR)")
    expect(facts).not_to_contain_text("null")
    page.click("#tab-response")
    panel = page.locator("#tab-panel")
    expect(panel).to_contain_text("recorded in the HAR file")
    expect(panel).to_contain_text("upstream")
    expect(panel.locator("pre.raw")).to_have_text("created")

    page.click(f"#row-{second}")
    expect(facts).to_contain_text(f"#{second} · no answer in the HAR · imported (HAR)")
    expect(panel).to_have_text("The HAR file holds no answer to this request.")
