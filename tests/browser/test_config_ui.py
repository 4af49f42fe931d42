"""Secrets of every kind, discovery, and the full rules form, in a real Chromium against the
real server."""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import time
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import expect

from .conftest import Server, open_inspector

SECRET = "acme-signing-secret-42"


def fill(page: Any, values: dict[str, str]) -> None:
    for selector, value in values.items():
        page.fill(selector, value)


def test_a_generic_hmac_secret_with_every_option_and_a_label(page: Any, server: Server) -> None:
    body = b'{"event": "order.paid"}'
    stamp = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), stamp.encode() + b"." + body, hashlib.sha512).digest()
    signed = {"X-Acme-Sig": "v1=" + base64.b64encode(digest).decode(), "X-Acme-Ts": stamp}
    request_id = server.send("/acme", body, signed)
    open_inspector(page, server, f"/requests/{request_id}")
    page.click("#secrets-button")
    page.select_option("#secret-provider", "hmac")
    fill(page, {"#secret-label": "acme live", "#secret-value": SECRET,
                "#secret-option-header": "X-Acme-Sig", "#secret-option-prefix": "v1=",
                "#secret-option-payload": "{timestamp}.{body}",
                "#secret-option-timestamp_header": "X-Acme-Ts",
                "#secret-option-tolerance_s": "600"})
    page.select_option("#secret-option-algorithm", "sha512")
    page.select_option("#secret-option-encoding", "base64")
    page.click("#secret-form button[type=submit]")
    expect(page.locator("#secrets-list")).to_contain_text("acme live hmac")
    expect(page.locator("#secret-value")).to_have_value("")
    assert SECRET not in page.content()
    page.keyboard.press("Escape")
    expect(page.locator(f"#row-{request_id} .badge")).to_have_attribute("title", "signature valid")


def test_a_provider_option_field_follows_the_provider(page: Any, server: Server) -> None:
    open_inspector(page, server)
    page.click("#secrets-button")
    page.select_option("#secret-provider", "github")
    expect(page.locator("#secret-options")).to_be_hidden()
    page.select_option("#secret-provider", "whatsapp")
    expect(page.locator("#secret-option-verify_token")).to_have_attribute("type", "password")
    page.select_option("#secret-provider", "hmac")
    page.fill("#secret-value", SECRET)
    page.click("#secret-form button[type=submit]")  # neither header nor query
    expect(page.locator("#secret-error")).to_contain_text("give exactly one of header or query")


def test_discover_on_the_selected_request_offers_matches_to_add(page: Any,
                                                                server: Server) -> None:
    body = b'{"id": 7, "kind": "ping"}'
    signature = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    open_inspector(page, server)
    page.click("#secrets-button")
    expect(page.locator("#secret-discover")).to_be_disabled()  # nothing to select yet
    page.click("#secrets-dialog .dialog-close button")
    request_id = server.send("/unknown-provider", body, {"X-Webhook-Signature": signature})
    page.click(f"#row-{request_id}")
    expect(page.locator(f"#row-{request_id}")).to_have_attribute("aria-selected", "true")
    page.click("#secrets-button")
    expect(page.locator("#secret-discover")).to_be_enabled()
    page.click("#secret-discover")
    expect(page.locator("#secret-error")).to_have_text("Type the secret to try.")
    page.fill("#secret-value", "not-the-secret")
    page.click("#secret-discover")
    expect(page.locator("#discover-results")).to_contain_text("No construction matched")
    page.fill("#secret-value", SECRET)
    page.click("#secret-discover")
    match = page.locator("#discover-results li").filter(has_text='header = "X-Webhook-Signature"')
    expect(match.first).to_contain_text('algorithm = "sha256"')
    match.first.get_by_role("button", name="Add as secret").click()
    expect(match.first.get_by_role("button")).to_have_text("Added")
    expect(page.locator("#secrets-list")).to_contain_text("hmac")
    assert SECRET not in page.content()
    page.keyboard.press("Escape")
    expect(page.locator(f"#row-{request_id} .badge")).to_have_attribute("title", "signature valid")


def post(server: Server, path: str) -> tuple[http.client.HTTPResponse, bytes]:
    split = urlsplit(server.hook_url)
    connection = http.client.HTTPConnection(split.hostname, split.port, timeout=10)
    try:
        connection.request("POST", path, body=b"{}")
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()


def test_the_rules_form_covers_every_rule_field(page: Any, server: Server) -> None:
    open_inspector(page, server)
    page.click("#answers-button")
    fill(page, {"#rule-method": "POST", "#rule-path": "/slow/*", "#rule-status": "429",
                "#rule-type": "application/json",
                "#rule-headers": "Retry-After: 30\nX-Why: testing",
                "#rule-body": '{"slow": true}', "#rule-delay": "300", "#rule-times": "1"})
    page.click("#rule-form button[type=submit]")
    table = page.locator("#answers-body table")
    expect(table).to_contain_text("POST /slow/*")
    expect(table).to_contain_text("429 application/json · Retry-After: 30 · X-Why: testing")
    expect(table).to_contain_text("after 300 ms")
    response, body = post(server, "/slow/a")
    assert (response.status, body) == (429, b'{"slow": true}')
    assert response.getheader("Retry-After") == "30" and response.getheader("X-Why") == "testing"
    assert response.getheader("Content-Type").startswith("application/json")
    # The delay reached the server's rule: the answer it records waited 300 ms (tests/test_rules
    # times the delay itself), read from the history rather than from this machine's clock.
    newest = page.request.get(server.ui_url + "/api/requests?limit=1").json()["requests"][0]
    answered = page.request.get(f"{server.ui_url}/api/requests/{newest['id']}").json()
    assert answered["path"] == "/slow/a" and answered["response"]["duration_ms"] >= 300
    assert post(server, "/slow/a")[0].status == 200  # times = 1: used up

    page.fill("#rule-path", "/drop")
    page.select_option("#rule-action", "close")
    expect(page.locator("#rule-answer")).to_be_hidden()
    page.click("#rule-form button[type=submit]")
    expect(table).to_contain_text("close")
    try:
        post(server, "/drop")
        raise AssertionError("the connection was answered, not closed")
    except (http.client.RemoteDisconnected, ConnectionError):
        pass

    page.fill("#rule-headers", "no colon here")
    page.click("#rule-form button[type=submit]")
    expect(page.locator("#answers-error")).to_contain_text('line 1: expected "Name: value"')
