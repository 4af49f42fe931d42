"""The timeline: axis labels, a square-root scale, bars that stay put under the pointer, and a
brush that becomes the search's time range; in a real Chromium against the real server."""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

from playwright.sync_api import expect

from .conftest import Server, download_json, open_inspector

BUCKET_S = 30


def stop_the_page_clock(page: Any) -> None:
    """The page's clock stands still from now on (its timers run): its 30 bars stay where they
    are, and whatever the server receives from now on falls in the last one (the page puts
    there what is later than its now), whichever 30 s boundary this machine's clock crosses."""
    page.clock.set_fixed_time(time.time())


def bar_height(bar: Any) -> float:
    """The share of the bar's height its segments fill, 0..1."""
    return float(bar.evaluate(
        "b => [...b.querySelectorAll('.seg')].reduce((s, x) => s + x.offsetHeight, 0)"
        " / b.clientHeight"))


def har_dated(at: datetime) -> str:
    """A HAR document of one request that arrived at `at` (imports keep that time)."""
    return json.dumps({"log": {"version": "1.2", "creator": {"name": "test", "version": "1"},
                               "entries": [{"startedDateTime": at.isoformat(), "request": {
                                   "method": "POST", "url": "http://example.test/trickle",
                                   "httpVersion": "HTTP/1.1", "headers": [], "queryString": [],
                                   "postData": {"mimeType": "application/json", "text": "{}"}}}]}})


def bursts_and_one_earlier(page: Any, server: Server, bursts: int) -> None:
    """`bursts` requests now, in one bar, and one imported as if it came 90 s ago; then the
    page open on them."""
    stop_the_page_clock(page)
    for _ in range(bursts):
        server.send("/burst")
    imported = page.request.post(server.ui_url + "/api/import",
                                 data=har_dated(datetime.now(UTC) - timedelta(seconds=90)))
    assert imported.ok, imported.text()
    open_inspector(page, server)


def test_axis_labels_and_a_square_root_scale(page: Any, server: Server) -> None:
    bursts_and_one_earlier(page, server, 16)
    busy = page.locator(".timeline .bar[data-total='16']")
    trickle = page.locator(".timeline .bar[data-total='1']")
    expect(busy).to_have_count(1)
    expect(trickle).to_have_count(1)
    expect(page.locator(".timeline-peak")).to_have_text("16")
    labels = page.locator(".timeline-x span")
    expect(labels.last).to_have_text("now")
    texts = labels.all_text_contents()
    assert len(texts) == 4 and all(re.fullmatch(r"\d\d:\d\d(:\d\d)?", t) for t in texts[:-1])
    # One request beside sixteen: a quarter of the height (a linear scale would give 1/16).
    assert abs(bar_height(busy) - 1.0) < 0.05
    assert abs(bar_height(trickle) - 0.25) < 0.05


def test_the_last_bar_narrows_the_list_to_all_it_counts(page: Any, server: Server) -> None:
    """The last bar counts what came later than the page's now (here the browser's clock is
    90 s behind the server's): a click on it lists those requests too, not none."""
    page.clock.set_fixed_time(time.time() - 90)
    for _ in range(2):
        server.send("/ahead")
    open_inspector(page, server)
    last = page.locator(".timeline .bar").last
    expect(last).to_have_attribute("data-total", "2")
    last.click()
    expect(page.locator("#timeline-filter")).to_be_visible()
    expect(page.locator(".row")).to_have_count(2)
    page.click("#har-button")  # what the view exports is what it lists
    entries = download_json(page, "#export-view")["log"]["entries"]
    assert [urlsplit(entry["request"]["url"]).path for entry in entries] == ["/ahead"] * 2
    page.click("#timeline-filter-clear")
    bars = page.locator(".timeline .bar")
    drag(page, bars.nth(27), bars.nth(29))  # a brush that takes in the last bar: the same
    expect(page.locator("#filter")).to_have_value(re.compile(r"^time:>="))
    expect(page.locator(".row")).to_have_count(2)


def test_the_bar_under_the_pointer_survives_live_updates(page: Any, server: Server) -> None:
    stop_the_page_clock(page)
    server.send("/first")
    open_inspector(page, server)
    busy = page.locator(".timeline .bar:not([data-total='0'])").last
    expect(busy).to_have_attribute("data-total", "1")
    busy.hover()
    page.evaluate("() => { window.hovered = document.querySelector('.timeline .bar:hover'); }")
    for _ in range(3):
        server.send("/more")
    expect(busy).to_have_attribute("data-total", "4")
    assert page.evaluate("""() => window.hovered.isConnected
        && document.querySelector('.timeline .bar:hover') === window.hovered
        && window.hovered.dataset.total === '4'""")
    busy.click()  # the click lands on the bar it was aimed at
    expect(page.locator("#timeline-filter")).to_be_visible()
    expect(page.locator(".row")).to_have_count(4)


def drag(page: Any, first: Any, last: Any) -> None:
    start, end = first.bounding_box(), last.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=6)
    expect(page.locator(".timeline-brush")).to_be_visible()
    page.mouse.up()


def second(stamp_ms: int) -> str:
    return datetime.fromtimestamp(stamp_ms / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_a_brush_applies_its_range_as_the_search(page: Any, server: Server) -> None:
    stop_the_page_clock(page)
    ids = [server.send("/brushed") for _ in range(3)]
    open_inspector(page, server)
    page.fill("#filter", "method:post")
    expect(page.locator("#count")).to_have_text("3 of 3 requests")
    bars = page.locator(".timeline .bar")
    expect(bars).to_have_count(30)
    first, last = bars.nth(27), bars.nth(29)
    low = int(first.get_attribute("data-from") or 0)
    drag(page, first, last)
    # The last bar's window is open-ended (it counts what is later than the page's now), and
    # so is a brush that takes it in.
    expected = f"method:post time:>={second(low)}"
    expect(page.locator("#filter")).to_have_value(expected)
    expect(page.locator("#filter")).not_to_have_attribute("aria-invalid", "true")
    query = urlencode({"q": expected})
    expect(page).to_have_url(re.compile(re.escape(query) + "$"))  # applied, as a link
    expect(page.locator(".row")).to_have_count(len(ids))
    # A second brush over older buckets replaces the range: nothing arrived then.
    first, last = bars.nth(0), bars.nth(4)
    low = int(first.get_attribute("data-from") or 0)
    high = int(last.get_attribute("data-from") or 0) + BUCKET_S * 1000
    drag(page, first, last)
    expected = f"method:post time:{second(low)}..{second(high - 1000)}"
    expect(page.locator("#filter")).to_have_value(expected)
    expect(page.locator(".row")).to_have_count(0)
    expect(page.locator("#count")).to_have_text("0 of 3 requests")


def test_a_picked_bar_narrows_what_the_view_exports(page: Any, server: Server) -> None:
    bursts_and_one_earlier(page, server, 3)
    page.click("#har-button")
    expect(page.locator("#export-view")).to_be_hidden()  # no search, no bar: that is "all"
    page.keyboard.press("Escape")
    page.fill("#filter", "method:post")
    expect(page.locator("#count")).to_have_text("4 of 4 requests")
    page.locator(".timeline .bar[data-total='1']").click()
    expect(page.locator("#count")).to_have_text("1 of 4 requests")
    page.click("#har-button")
    entries = download_json(page, "#export-view")["log"]["entries"]
    assert [urlsplit(entry["request"]["url"]).path for entry in entries] == ["/trickle"]


def test_an_import_older_than_the_window_leaves_the_recent_bars_standing(page: Any,
                                                                         server: Server) -> None:
    """Ids do not follow times: the newest id here came twenty minutes ago (issue 26.3)."""
    server.send("/recent")
    imported = page.request.post(server.ui_url + "/api/import",
                                 data=har_dated(datetime.now(UTC) - timedelta(minutes=20)))
    assert imported.ok, imported.text()
    open_inspector(page, server)
    expect(page.locator(".row")).to_have_count(2)
    bar = page.locator(".timeline .bar[data-total='1']")
    expect(bar).to_have_count(1)
    expect(bar).to_have_attribute("aria-label", re.compile(r": 1 request, 0 failing$"))
