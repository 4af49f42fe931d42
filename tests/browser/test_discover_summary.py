"""Discovery on the page says what the API's summary says: how many constructions were tried,
or why none was (never "(0 tried)"), in a real Chromium against the real server."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from playwright.sync_api import expect

from .conftest import Server, open_inspector


def discover(page: Any, request_id: int, secret: str) -> Any:
    page.click(f"#row-{request_id}")
    expect(page.locator(f"#row-{request_id}")).to_have_attribute("aria-selected", "true")
    page.click("#secrets-button")
    page.fill("#secret-value", secret)
    page.click("#secret-discover")
    return page.locator("#discover-results")


def test_discovery_with_nothing_to_try_says_why(page: Any, server: Server) -> None:
    open_inspector(page, server)
    request_id = server.send("/plain", b'{"id": 7}', {"X-Note": "hello"})
    results = discover(page, request_id, "some-secret")
    expect(results).to_contain_text(
        "nothing was tried: no header or query value looks like an HMAC")
    expect(results).not_to_contain_text("0 tried")


def test_discovery_that_matches_nothing_says_how_many_were_tried(page: Any,
                                                                 server: Server) -> None:
    body = b'{"id": 8}'
    signature = hmac.new(b"the-real-secret", body, hashlib.sha256).hexdigest()
    open_inspector(page, server)
    request_id = server.send("/signed", body, {"X-Webhook-Signature": signature})
    results = discover(page, request_id, "another-secret")
    expect(results).to_contain_text("0 construction(s) matched of ")
    expect(results).to_contain_text("another secret, or a scheme the generic HMAC")
