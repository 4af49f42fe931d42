"""Replay and the answers panel, in a real Chromium against the real server and a real app."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from ..cli_process import close, start
from ..upstream import APP_SECRET, sign
from .conftest import Server, open_inspector

BODY = b'{"event": "auth.confirmed", "session_token": "s1"}'


def test_replay_edited_and_resigned_with_history_and_diff(
        page: Any, upstream: tuple[Any, str], tmp_path: Path) -> None:
    app, base = upstream
    running = start("--hook", "0", "--ui", "0", "--forward", base, "--secret",
                    f"bondify={APP_SECRET}", cwd=tmp_path)
    server = Server(running.process, running.hook_url, running.ui_url)
    try:
        server.send("/webhooks/bondify", BODY, sign(BODY))  # answered by the app, not with an id
        request_id = server.api("/api/requests")["requests"][-1]["id"]
        open_inspector(page, server, f"/requests/{request_id}")
        page.click("#replay-button")
        expect(page.locator("#replay-target")).to_have_value(base)
        page.click("#replay-as-captured")
        expect(page.locator(".replay").first).to_contain_text("200")
        page.fill("#replay-body", BODY.decode().replace("s1", "s2"))
        page.click("#replay-edited")
        expect(page.locator(".replay")).to_have_count(2)
        expect(page.locator(".replay").first.locator(".answer")).to_have_text("401")
        page.check("#replay-resign")
        page.click("#replay-edited")
        expect(page.locator(".replay")).to_have_count(3)
        newest = page.locator(".replay").first
        expect(newest.locator(".answer")).to_have_text("200")
        expect(page.locator(".replay .replay-kind")).to_have_text(
            ["edited, re-signed", "edited", "as captured"])
        newest.locator("summary").click()
        body_diff = newest.locator("pre.diff[aria-label='Body sent diff']")
        expect(body_diff.locator(".ddel")).to_contain_text('"s1"')
        expect(body_diff.locator(".dadd")).to_contain_text('"s2"')
        headers_diff = newest.locator("pre.diff[aria-label='Headers sent diff']")
        expect(headers_diff.locator(".dadd")).to_contain_text("X-Bondify-Signature")
        assert app.seen[-1].body == BODY.replace(b"s1", b"s2")
        expect(page.locator("#tab-replays")).to_have_text("Replays 3")
        expect(page.locator(".replay .replay-number")).to_have_text(["#3 ", "#2 ", "#1 "])
    finally:
        server.close_client()
        close(running.process)


def test_the_target_is_checked_beside_the_button_and_remembered(
        page: Any, upstream: tuple[Any, str], server: Server) -> None:
    """Issue 26.7: without --forward the target starts empty; Replay then says so beside the
    button (in view), sends nothing, takes `host:port` as http, and the next request's form
    starts with the target last used. An added field shows as one added line, whatever
    commas the edit moved."""
    app, base = upstream
    first = server.send("/webhooks/x", BODY)
    second = server.send("/webhooks/y", BODY)
    open_inspector(page, server, f"/requests/{first}")
    page.click("#replay-button")
    expect(page.locator("#replay-target")).to_have_value("")
    message = page.locator(".replay-form .actions #replay-message")
    page.click("#replay-as-captured")
    expect(message).to_have_text(
        "Give a target: the base URL of your app, e.g. http://localhost:3000")
    expect(message).to_be_in_viewport()
    page.fill("#replay-target", "ftp://127.0.0.1/")
    page.click("#replay-as-captured")
    expect(message).to_have_text("Not an http(s) URL: ftp://127.0.0.1/")
    assert server.api(f"/api/requests/{first}")["replays"] == [] and app.seen == []

    page.fill("#replay-target", base.removeprefix("http://"))
    page.click("#replay-as-captured")
    expect(page.locator(".replay .replay-kind")).to_have_text(["as captured"])
    expect(message).to_have_text("")
    page.fill("#replay-body", '{\n  "event": "auth.confirmed",\n  "session_token": "s1",\n'
                              '  "extra": 1\n}')
    page.click("#replay-edited")
    expect(page.locator(".replay .replay-kind")).to_have_text(["edited", "as captured"])
    newest = page.locator(".replay").first
    newest.locator("summary").click()
    body_diff = newest.locator("pre.diff[aria-label='Body sent diff']")
    expect(body_diff.locator(".dadd")).to_have_text(['+   "extra": 1'])
    expect(body_diff.locator(".ddel")).to_have_count(0)
    assert app.seen[-1].body.endswith(b'"extra": 1\n}')

    page.click(f"#row-{second}")
    page.click("#replay-button")
    expect(page.locator("#replay-target")).to_have_value(base)


def test_the_forward_password_is_never_in_the_page_yet_replays_use_it(
        page: Any, upstream: tuple[Any, str], tmp_path: Path) -> None:
    app, base = upstream
    password = "f0rward-pa55"
    with_password = base.replace("http://", f"http://app:{password}@")
    running = start("--hook", "0", "--ui", "0", "--forward", with_password, cwd=tmp_path)
    server = Server(running.process, running.hook_url, running.ui_url)
    try:
        server.send("/webhooks/x", BODY)
        request_id = server.api("/api/requests")["requests"][-1]["id"]
        open_inspector(page, server, f"/requests/{request_id}")
        page.click("#replay-button")
        expect(page.locator("#replay-target")).to_have_value(
            base.replace("http://", "http://app:***@"))
        page.click("#replay-as-captured")
        expect(page.locator(".replay")).to_have_count(1)
        expect(page.locator(".replay summary")).to_contain_text("app:***@")
        authorizations = [dict(seen.headers).get("Authorization") for seen in app.seen]
        assert authorizations[-1] == "Basic " + base64.b64encode(
            f"app:{password}".encode()).decode()
        assert password not in page.content()
    finally:
        server.close_client()
        close(running.process)


def test_answers_panel_sets_default_and_rules(page: Any, server: Server) -> None:
    open_inspector(page, server)
    page.click("#answers-button")
    page.fill("#default-status", "202")
    page.fill("#default-body", "accepted")
    page.click("#default-form button[type=submit]")
    expect(page.locator("#toast")).to_have_text("Answers updated")
    page.fill("#rule-path", "/webhooks/*")
    page.fill("#rule-times", "2")
    page.click("#rule-form button[type=submit]")
    expect(page.locator("#answers-body table")).to_contain_text("2 of 2 left")
    assert server.send_status("/webhooks/a") == 500
    assert server.send_status("/elsewhere") == 202
    page.keyboard.press("Escape")
    page.click("#answers-button")
    expect(page.locator("#answers-body table")).to_contain_text("1 of 2 left")
    page.get_by_role("button", name="Remove rule 1").click()
    expect(page.locator("#answers-body")).to_contain_text("No rules")
    assert server.send_status("/webhooks/a") == 202


def test_saving_the_default_answer_keeps_and_edits_its_headers(page: Any, server: Server) -> None:
    page.request.put(server.ui_url + "/api/response", data={
        "default": {"status": 200, "headers": {"X-Handled-By": "config"}}})
    open_inspector(page, server)
    page.click("#answers-button")
    expect(page.locator("#default-headers")).to_have_value("X-Handled-By: config")
    page.fill("#default-status", "201")
    page.click("#default-form button[type=submit]")
    expect(page.locator("#toast")).to_have_text("Answers updated")
    answers = page.request.get(server.ui_url + "/api/response").json()
    assert (answers["default"]["status"], answers["default"]["headers"]) == (
        201, {"X-Handled-By": "config"})
    page.fill("#default-headers", "X-Handled-By: config\nRetry-After: 30")
    page.click("#default-form button[type=submit]")
    expect(page.locator("#answers-body")).to_contain_text("Rules")
    page.wait_for_function("() => document.getElementById('default-headers').value"
                           ".includes('Retry-After: 30')")
    assert page.request.get(server.ui_url + "/api/response").json()["default"]["headers"] == {
        "X-Handled-By": "config", "Retry-After": "30"}
    page.fill("#default-headers", "not a header line")
    page.click("#default-form button[type=submit]")
    expect(page.locator("#answers-error")).to_have_text(
        'Headers, line 1: expected "Name: value"')


def test_send_a_test_event_from_the_ui(page: Any, server: Server) -> None:
    page.request.post(server.ui_url + "/api/secrets", data={"provider": "primebot",
                                                            "secret": "p" * 32})
    open_inspector(page, server)
    page.click("#send-button")
    page.select_option("#send-provider", "primebot")
    page.select_option("#send-event", "sender.replied")
    expect(page.locator("#send-target")).to_have_value(server.hook_url)
    page.click("#send-form button[type=submit]")
    expect(page.locator("#send-result")).to_contain_text("sender.replied → 200")
    expect(page.locator("#send-result")).to_contain_text("the configured secret")
    page.keyboard.press("Escape")
    row = page.locator(".row").first
    expect(row).to_contain_text("primebot sender.replied")
    expect(row.locator(".badge")).to_have_attribute("title", "signature valid")
