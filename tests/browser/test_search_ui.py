"""The filter box speaks the search language, in a real Chromium against the real server."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, quote_plus

from playwright.sync_api import expect

from inspector.query.fields import FIELDS

from .conftest import Server, open_inspector


def row_ids(page: Any) -> list[int]:
    ids = page.eval_on_selector_all(".row", "rows => rows.map(r => Number(r.dataset.id))")
    return sorted(ids, reverse=True)


def three(server: Server) -> list[int]:
    return [server.send("/webhooks/stripe", b'{"type": "charge.failed", "amount": 2500}',
                        {"Content-Type": "application/json"}),
            server.send("/webhooks/github", b'{"ref": "main"}', {"X-GitHub-Event": "push"}),
            server.send("/health", b"ok")]


def test_the_query_lives_in_the_url_and_errors_show_as_you_type(page: Any,
                                                                server: Server) -> None:
    stripe, github, _ = three(server)
    open_inspector(page, server, "/?q=" + quote("json.amount:>1000"))
    expect(page.locator("#filter")).to_have_value("json.amount:>1000")
    expect(page.locator("#count")).to_have_text("1 of 3 requests")
    assert row_ids(page) == [stripe]
    page.fill("#filter", "path:/webhooks/* status:abc")
    expect(page.locator("#filter-error")).to_be_visible()
    expect(page.locator("#filter-error")).to_contain_text("character 25: expected a status")
    expect(page.locator("#filter")).to_have_attribute("aria-invalid", "true")
    assert row_ids(page) == [stripe]  # what was shown stays until the query parses
    page.fill("#filter", "path:/webhooks/* status:2xx")
    expect(page.locator("#filter-error")).to_be_hidden()
    expect(page.locator("#count")).to_have_text("2 of 3 requests")
    assert row_ids(page) == [github, stripe]
    assert address(page) == ["/", "path:/webhooks/* status:2xx"]
    page.click(f"#row-{github}")
    expect(page).to_have_url(f"{server.ui_url}/requests/{github}?q="
                             + quote_plus("path:/webhooks/* status:2xx", safe="*"))


def address(page: Any) -> list[str]:
    return list(page.evaluate("[location.pathname, new URLSearchParams(location.search).get('q')]"))


def test_live_requests_count_and_timeline_follow_the_search(page: Any, server: Server) -> None:
    three(server)
    open_inspector(page, server)
    page.fill("#filter", "path:webhooks")
    expect(page.locator("#count")).to_have_text("2 of 3 requests")
    page.wait_for_function("() => !document.querySelector('#connection') || "
                           "document.querySelector('#connection').dataset.state === 'live'")
    server.send("/elsewhere", b"{}")
    newest = server.send("/webhooks/late", b"{}")
    expect(page.locator(f"#row-{newest}")).to_be_visible()
    # Both arrivals were stored: the count of everything grows (the matching one at once).
    expect(page.locator("#count")).to_have_text("3 of 5 requests")
    assert len(row_ids(page)) == 3
    page.wait_for_function("() => [...document.querySelectorAll('.timeline .bar')]"
                           ".reduce((n, b) => n + Number(b.dataset.total), 0) === 3")


def test_recent_queries_are_remembered_and_the_help_lists_every_field(page: Any,
                                                                      server: Server) -> None:
    three(server)
    open_inspector(page, server)
    page.fill("#filter", "provider:github")
    page.press("#filter", "Enter")
    expect(page.locator("#count")).to_have_text("1 of 3 requests")  # known by its headers
    page.reload()
    page.wait_for_selector("body[data-ready]", state="attached")
    expect(page.locator("#filter")).to_have_value("provider:github")  # from the URL
    stored = json.loads(page.evaluate(
        "localStorage.getItem('webhook-inspector:recent-queries')"))
    assert stored[0] == "provider:github"
    assert page.eval_on_selector_all("#recent-queries option", "os => os.map(o => o.value)") \
        == stored
    page.click("#query-help-button")
    help_box = page.locator("#query-help")
    expect(help_box).to_be_visible()
    expect(help_box.locator("tbody tr").first).to_contain_text("method:POST")
    assert help_box.locator("button.example").count() == len(FIELDS)  # one example a field
    help_box.locator("button.example", has_text="path:/webhooks/*").click()
    expect(page.locator("#filter")).to_have_value("provider:github path:/webhooks/*")
    page.fill("#filter", "")
    help_box.locator("button.example", has_text="path:/webhooks/*").click()
    expect(page.locator("#filter")).to_have_value("path:/webhooks/*")
    expect(page.locator("#count")).to_have_text("2 of 3 requests")


def test_typing_shows_the_matches_of_what_was_typed_last(page: Any, server: Server) -> None:
    """Every prefix typed is a query of its own (`body:n` matches all of these); the list and
    the count end on the last one's matches. How soon is measured by bench/search_typing.py
    at 100,000 stored, not here."""
    for index in range(30):
        server.send(f"/bulk/{index}", b'{"n": %d, "note": "nothing"}' % index,
                    {"Content-Type": "application/json"})
    needle = server.send("/needle-here", b'{"needle": "found"}')
    open_inspector(page, server)
    page.locator("#filter").press_sequentially("body:needle", delay=40)
    expect(page.locator("#count")).to_have_text("1 of 31 requests")
    expect(page.locator(f"#row-{needle}")).to_be_visible()
    assert row_ids(page) == [needle]
    assert "q=body%3Aneedle" in page.url


def test_acting_on_the_matches_asks_before_replaying_more_than_ten(
        page: Any, server: Server, upstream: tuple[Any, str]) -> None:
    app_state, base = upstream
    for index in range(12):
        server.send(f"/batch/{index}", b"{}")
    server.send("/other", b"{}")
    open_inspector(page, server)
    expect(page.locator("#matches-actions")).to_be_hidden()
    page.fill("#filter", "path:/batch/*")
    expect(page.locator("#count")).to_have_text("12 of 13 requests")
    expect(page.locator("#matches-actions")).to_be_visible()
    asked: list[str] = []

    def answer(dialog: Any) -> None:
        asked.append(dialog.type)
        dialog.accept(base if dialog.type == "prompt" else None)

    page.on("dialog", answer)
    page.click("#replay-matches")
    expect(page.locator("#confirm-message")).to_have_text(
        "Replay all 12 requests that match path:/batch/*?")
    page.click("#confirm-ok")
    expect(page.locator("#toast")).to_contain_text("Replayed 12")
    assert asked == ["prompt"]  # the count is asked in the page's own dialog
    assert sorted(seen.path_qs for seen in app_state.seen) == sorted(
        f"/batch/{index}" for index in range(12))
    page.click("#delete-matches")
    expect(page.locator("#confirm-ok")).to_have_text("Delete 12 requests")
    page.click("#confirm-ok")
    expect(page.locator("#count")).to_have_text("0 of 1 request")
