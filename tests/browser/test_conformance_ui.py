"""The page's Conformance block (SPEC 13): the verdict in words under the signature verdicts,
its schema and source, the findings by severity, a finding's path marked in the JSON view, the
list's mark on a deviating row; a payload's strings shown as text, never as markup."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from ..cli_process import close, start
from ..conformance.vectors import CONFORMING
from .conftest import Server, open_inspector

GOOD = CONFORMING["bondify/auth.confirmed"]
BONDIFY = {"X-Bondify-Signature": "00" * 32, "Content-Type": "application/json"}
HOSTILE = "<img src=x onerror=window.pwned=1>"


def send_bondify(server: Server, payload: dict[str, Any]) -> int:
    return server.send("/auth", json.dumps(payload).encode(), BONDIFY)


def open_request(page: Any, server: Server, request_id: int) -> Any:
    open_inspector(page, server, f"/requests/{request_id}")
    block = page.locator("#conformance")
    expect(block).to_be_visible()
    return block


def test_a_number_for_telegram_id_deviates_and_its_finding_marks_the_field(page: Any,
                                                                         server: Server) -> None:
    deviating = send_bondify(server, {**GOOD, "telegram_id": 123456789})
    block = open_request(page, server, deviating)
    expect(block.locator(".c-status")).to_contain_text("deviates")
    expect(block.locator(".c-schema code")).to_have_text("bondify/auth.confirmed")
    source = block.locator(".c-schema a")
    expect(source).to_have_attribute("href", "https://docs.bondify.dev/webhooks/events")
    expect(source).to_have_attribute("rel", "noopener noreferrer")
    errors = block.locator("details[data-severity='error']")
    finding = errors.locator(".c-finding[data-path='/telegram_id']")
    expect(finding).to_contain_text("/telegram_id type")
    expect(finding).to_contain_text("expected string, got number 123456789")
    marked = page.locator("#body-view .j-marked")
    expect(marked).to_have_count(0)
    finding.click()
    expect(marked).to_have_count(1)
    expect(marked).to_have_attribute("data-pointer", "/telegram_id")
    expect(marked).to_contain_text('"telegram_id": 123456789')
    expect(page.locator(".c-finding[data-path='/telegram_id']")).to_have_attribute(
        "aria-pressed", "true")
    expect(page.locator(f"#row-{deviating} .conf-mark")).to_be_visible()


def test_a_pointer_the_body_view_lacks_marks_nothing_and_breaks_nothing(page: Any,
                                                                       server: Server) -> None:
    absent = {key: value for key, value in GOOD.items() if key != "telegram_username"}
    block = open_request(page, server, send_bondify(server, absent))
    block.locator(".c-finding[data-path='/telegram_username']").click()
    expect(page.locator(".c-finding[data-path='/telegram_username']")).to_have_attribute(
        "aria-pressed", "true")
    expect(page.locator("#body-view .j-marked")).to_have_count(0)
    expect(page.locator("#body-view .j-line").first).to_be_visible()


def test_a_conforming_delivery_says_so_and_its_row_has_no_mark(page: Any, server: Server) -> None:
    conforming = send_bondify(server, GOOD)
    block = open_request(page, server, conforming)
    expect(block.locator(".c-status")).to_have_text("conforms to its documented schema")
    expect(block.locator(".c-finding")).to_have_count(0)
    expect(page.locator(f"#row-{conforming}")).to_be_visible()
    expect(page.locator(f"#row-{conforming} .conf-mark")).to_have_count(0)


def test_a_request_from_no_known_provider_has_no_schema(page: Any, server: Server) -> None:
    unknown = server.send("/hook", b'{"x": 1}', {"Content-Type": "application/json"})
    block = open_request(page, server, unknown)
    expect(block.locator(".c-status")).to_contain_text("no schema")


def test_a_provider_without_schemas_says_there_is_none(page: Any, tmp_path: Path) -> None:
    # The generic `hmac` scheme names a provider no documentation describes.
    (tmp_path / "inspector.toml").write_text(
        '[[secrets]]\nprovider = "hmac"\nheader = "X-Sig"\nsecret = "s"\n')
    running = start("--hook", "127.0.0.1:0", "--ui", "127.0.0.1:0", cwd=tmp_path)
    server = Server(running.process, running.hook_url, running.ui_url)
    try:
        signed = server.send("/hook", b'{"event": "a"}',
                             {"X-Sig": "abc", "Content-Type": "application/json"})
        block = open_request(page, server, signed)
        expect(block.locator(".c-status")).to_have_text("no schema for this provider")
        expect(block).to_have_attribute("class", "conformance c-no_schema")
    finally:
        server.close_client()
        close(running.process)


def test_a_hostile_path_and_value_are_shown_as_text(page: Any, server: Server) -> None:
    hostile = send_bondify(server, {**GOOD, HOSTILE: HOSTILE})
    block = open_request(page, server, hostile)
    infos = block.locator("details[data-severity='info']")
    expect(infos).to_contain_text(f"/{HOSTILE} additionalProperties")
    expect(infos).to_contain_text(f'got string "{HOSTILE}"')
    assert block.locator("img").count() == 0
    assert page.evaluate("() => window.pwned") is None


def test_in_a_narrow_window_the_verdict_line_says_it_and_leads_to_the_block(browser: Any,
                                                                          server: Server) -> None:
    deviating = send_bondify(server, {**GOOD, "telegram_id": 123456789})
    context = browser.new_context(viewport={"width": 400, "height": 800})
    page = context.new_page()
    try:
        open_inspector(page, server, f"/requests/{deviating}#headers")
        chip = page.locator("#verdict-line .conformance-chip")
        expect(chip).to_have_text("payload deviates (1 error)")
        expect(page.locator("#conformance")).to_have_count(0)
        chip.click()
        expect(page.locator("#conformance")).to_be_in_viewport()
        row = page.locator(f"#row-{deviating}")
        clipped = row.evaluate("""(row) => [...row.children].some((c) =>
            c.getBoundingClientRect().bottom > row.getBoundingClientRect().bottom + 0.5)""")
        assert not clipped
        expect(row.locator(".conf-mark")).to_be_visible()
    finally:
        context.close()
