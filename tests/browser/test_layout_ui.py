"""The page held to what a new user saw go wrong (issue 26): nothing clipped in any font,
a list that can be widened, nothing that jumps, keys that leave the search box, dialogs that
break no word, and a phone that shows rows."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import Server, open_inspector
from .test_list_detail import fully_visible_rows

ROWS = [("/webhooks/stripe", b'{"id": "evt_1", "type": "payment_intent.succeeded"}'),
        ("/webhooks/github", b'{"action": "opened"}'),
        ("/webhooks/bondify", b'{"event": "auth.confirmed", "session_token": "s_q"}')]
HEADERS = {"/webhooks/github": {"X-GitHub-Event": "pull_request"},
           "/webhooks/stripe": {"Stripe-Signature": "t=1700000000,v1=" + "0" * 64}}

# Each text cell of the rows whose box is shorter than its font's ascent plus descent (the
# glyphs' room: underscores and descenders live at the bottom of it), or that leaves its row.
CLIPPED = """() => {
  const canvas = document.createElement("canvas").getContext("2d");
  const clipped = [];
  for (const row of document.querySelectorAll(".row")) {
    const box = row.getBoundingClientRect();
    for (const cell of row.children) {
      if (!cell.textContent.trim()) continue;
      const style = getComputedStyle(cell);
      canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const metrics = canvas.measureText(cell.textContent);
      const needed = metrics.fontBoundingBoxAscent + metrics.fontBoundingBoxDescent;
      const r = cell.getBoundingClientRect();
      const outside = r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5;
      if (cell.clientHeight + 0.5 < needed || outside) {
        clipped.push(`${cell.className} "${cell.textContent}": ${cell.clientHeight}px`
                     + ` < ${needed.toFixed(1)}px${outside ? ", outside its row" : ""}`);
      }
    }
  }
  return clipped;
}"""

# Words (letters only) that the layout split over two lines, inside `root`.
BROKEN_WORDS = """(root) => {
  const broken = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const word of node.textContent.matchAll(/[A-Za-z]{2,24}/g)) {
      const range = document.createRange();
      range.setStart(node, word.index);
      range.setEnd(node, word.index + word[0].length);
      const boxes = [...range.getClientRects()].filter((r) => r.width > 0);
      const tops = new Set(boxes.map((r) => Math.round(r.top)));
      if (tops.size > 1) broken.push(word[0]);
    }
  }
  return broken;
}"""


def send_rows(server: Server) -> None:
    for path, body in ROWS:
        server.send(path, body, {"Content-Type": "application/json", **HEADERS.get(path, {})})


def installed_families() -> list[str]:
    """Every font family fontconfig knows here (its first name), the ones Chromium can use."""
    try:
        listed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True,
                                timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        pytest.skip("fc-list is not installed")
    return sorted({line.split(",")[0].strip() for line in listed.splitlines() if line.strip()})


def test_no_row_is_clipped_with_the_default_fonts_nor_with_any_installed_family(
        page: Any, server: Server) -> None:
    """line-height: 1 cut underscores and descenders with fonts taller than 1em (issue 26.1);
    the row's height comes from the fonts in use, whichever they are."""
    send_rows(server)
    open_inspector(page, server)
    expect(page.locator(".row")).to_have_count(3)
    assert page.evaluate(CLIPPED) == []
    assert "payment_intent.succeeded" in page.locator("#row-1").inner_text()
    family = {"name": ""}

    def with_family(route: Any) -> None:
        css = route.fetch().text()
        forced = f'\n.row, .row * {{ font-family: "{family["name"]}" !important; }}'
        route.fulfill(body=css + forced, content_type="text/css")

    page.route("**/static/app.css", with_family)
    problems = {}
    for name in installed_families():
        family["name"] = name
        page.reload()
        page.wait_for_selector("body[data-ready]", state="attached")
        expect(page.locator(".row")).to_have_count(3)
        clipped = page.evaluate(CLIPPED)
        if clipped:
            problems[name] = clipped
    assert problems == {}


def test_the_splitter_widens_the_list_and_is_kept_across_reloads(page: Any,
                                                                server: Server) -> None:
    send_rows(server)
    open_inspector(page, server)
    pane = page.locator(".list-pane")
    before = pane.bounding_box()["width"]
    bar = page.get_by_role("separator", name="List width (drag, or the arrow keys)")
    box = bar.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 200)
    page.mouse.down()
    page.mouse.move(box["x"] + 200, box["y"] + 200, steps=5)
    page.mouse.up()
    wider = pane.bounding_box()["width"]
    assert wider > before + 150, (before, wider)
    page.reload()
    page.wait_for_selector("body[data-ready]", state="attached")
    assert abs(pane.bounding_box()["width"] - wider) <= 2
    bar.focus()
    page.keyboard.press("ArrowLeft")
    assert pane.bounding_box()["width"] < wider


def test_a_narrow_row_shows_the_event_before_the_path(page: Any, server: Server) -> None:
    for event in ("auth.confirmed", "auth.cancelled"):
        server.send("/webhooks/bondify/" + "tenant-eu-west-1/" * 3,
                    json.dumps({"event": event, "session_token": "s"}).encode(),
                    {"Content-Type": "application/json"})
    open_inspector(page, server)
    expect(page.locator(".row")).to_have_count(2)
    cells = page.evaluate("""() => [...document.querySelectorAll('.row')].map((row) => {
      const where = row.querySelector('.where'), path = row.querySelector('.path');
      return { whole: where.scrollWidth <= where.clientWidth, text: where.textContent,
               cut: path.scrollWidth > path.clientWidth };
    })""")
    assert [c["text"] for c in cells] == ["bondify auth.cancelled", "bondify auth.confirmed"]
    assert all(c["whole"] and c["cut"] for c in cells), cells


def test_slash_then_escape_leaves_the_search_and_the_newest_is_followed_at_once(
        page: Any, server: Server) -> None:
    ids = [server.send(f"/k/{n}") for n in range(3)]
    open_inspector(page, server)
    # Follow newest is on from the start: the newest is open without waiting for another.
    expect(page.locator(".facts")).to_contain_text(f"#{ids[2]} ·")
    page.fill("#filter", "path:/k")
    expect(page.locator("#count")).to_have_text("3 of 3 requests")
    page.locator("#list").focus()
    page.keyboard.press("/")
    expect(page.locator("#filter")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("#filter")).not_to_be_focused()
    expect(page.locator("#filter")).to_have_value("path:/k")  # the query stays
    page.keyboard.press("j")
    expect(page.locator("#filter")).to_have_value("path:/k")
    expect(page).to_have_url(f"{server.ui_url}/requests/{ids[1]}?q=path%3A%2Fk")


def test_errors_toasts_and_popovers_move_nothing(page: Any, server: Server,
                                                 tmp_path: Any) -> None:
    send_rows(server)
    open_inspector(page, server)
    list_top = page.locator("#list").bounding_box()["y"]
    page.fill("#filter", "provder:stripe")
    error = page.locator("#filter-error")
    expect(error).to_contain_text("did you mean provider:?")
    assert "method, path" not in error.inner_text()  # not all twenty fields
    assert page.locator("#list").bounding_box()["y"] == list_top
    page.fill("#filter", "")
    expect(error).to_be_hidden()

    page.click("#secrets-button")
    page.fill("#secret-value", "whsec_x")
    page.click("#secret-form button[type=submit]")
    expect(page.locator("#toast")).to_contain_text("added")
    page.keyboard.press("Escape")
    assert page.locator("#list").bounding_box()["y"] == list_top

    button = page.locator("#har-button").bounding_box()
    page.click("#har-button")
    page.wait_for_function(  # placed once open (before, its box is the corner it starts in)
        "() => document.querySelector('#har-menu').getBoundingClientRect().top >= "
        "document.querySelector('#har-button').getBoundingClientRect().bottom")
    menu = page.locator("#har-menu").bounding_box()
    assert 0 <= menu["y"] - (button["y"] + button["height"]) <= 8, (menu, button)
    assert menu["x"] <= button["x"] + button["width"] and menu["x"] + menu["width"] >= button["x"]
    har = page.request.get(server.ui_url + "/api/export.har").text()
    (tmp_path / "again.har").write_text(har)
    page.set_input_files("#import-file", str(tmp_path / "again.har"))
    expect(page.locator("#toast")).to_have_text("Imported 3 requests from again.har")
    expect(page.locator("#har-menu")).to_be_hidden()


def answers_with_rules(page: Any, server: Server) -> None:
    rules = [{"path": "/webhooks/*", "status": 503, "body": "simulated outage, try later",
              "times": 3},
             {"path": "/slow/*", "action": "hang", "delay_ms": 2000}]
    answer = page.request.put(server.ui_url + "/api/response",
                              data={"default": {}, "rules": rules})
    assert answer.ok, answer.text()
    page.click("#answers-button")
    expect(page.get_by_role("table", name="Rules")).to_be_visible()


@pytest.mark.parametrize("width", [1280, 400])
def test_the_answers_dialog_and_the_search_help_break_no_word(browser: Any, server: Server,
                                                              width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    open_inspector(page, server)
    answers_with_rules(page, server)
    assert page.evaluate(BROKEN_WORDS, page.locator("#answers-dialog").element_handle()) == []
    page.keyboard.press("Escape")
    page.click("#query-help-button")
    help_box = page.locator("#query-help")
    expect(help_box).to_be_visible()
    assert page.evaluate(BROKEN_WORDS, help_box.element_handle()) == []
    context.close()


def test_rules_are_edited_and_reordered_and_a_text_body_is_text(page: Any,
                                                                server: Server) -> None:
    open_inspector(page, server)
    answers_with_rules(page, server)

    def paths() -> list[str]:
        rules = page.request.get(server.ui_url + "/api/response").json()["rules"]
        return [rule["path"] for rule in rules]

    page.get_by_role("button", name="Move down rule 1").click()
    expect(page.locator("#toast")).to_have_text("Answers updated")
    assert paths() == ["/slow/*", "/webhooks/*"]
    page.get_by_role("button", name="Edit rule 2").click()
    expect(page.locator("#rule-path")).to_have_value("/webhooks/*")
    expect(page.locator("#rule-times")).to_have_value("3")
    page.fill("#rule-path", "/hooks/*")
    page.click("#rule-form button[type=submit]")
    expect(page.locator("#rule-form h3")).to_have_text("Add a rule")
    rules = page.request.get(server.ui_url + "/api/response").json()["rules"]
    assert [r["path"] for r in rules] == ["/slow/*", "/hooks/*"]
    assert rules[1]["status"] == 503 and rules[1]["times"] == 3
    # A new rule without a Content-Type: its body says what it is.
    for body, kind in (("simulated outage", "text/plain; charset=utf-8"),
                       ('{"retry": true}', "application/json")):
        page.fill("#rule-path", f"/{len(body)}")
        page.fill("#rule-body", body)
        page.click("#rule-form button[type=submit]")
        expect(page.get_by_role("table", name="Rules")).to_contain_text(f"/{len(body)}")
        added = page.request.get(server.ui_url + "/api/response").json()["rules"][-1]
        assert added["content_type"] == kind


def test_a_phone_shows_rows_and_the_provider_lists_agree(browser: Any, server: Server) -> None:
    for index in range(40):
        server.send(f"/webhooks/phone/{index}")
    context = browser.new_context(viewport={"width": 400, "height": 800})
    page = context.new_page()
    open_inspector(page, server)
    expect(page.locator("#row-40")).to_be_visible()
    assert fully_visible_rows(page) >= 14  # nine, when header, toolbar and timeline took 290 px
    page.click("#secrets-button")
    dialog = page.locator("#secrets-dialog")
    expect(dialog).to_be_visible()  # shown once the providers and the secrets are loaded
    secrets = page.locator("#secret-provider option").all_inner_texts()
    assert len(secrets) > 50 and secrets == sorted(secrets)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    page.click("#send-button")
    expect(page.locator("#send-provider option").nth(10)).to_be_attached()
    sent = page.locator("#send-provider option").all_inner_texts()
    assert sent == sorted(sent)
    assert [name for name in secrets if name in sent] == sent  # the same order
    context.close()


def test_a_multipart_boundary_does_not_wrap_the_facts(page: Any, server: Server) -> None:
    boundary = "----WebKitFormBoundary" + "7MA4YWxkTrZu0gW" * 3
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
            f"--{boundary}--\r\n").encode()
    request_id = server.send("/upload", body,
                             {"Content-Type": f"multipart/form-data; boundary={boundary}"})
    open_inspector(page, server, f"/requests/{request_id}")
    facts = page.locator(".facts")
    expect(facts).to_contain_text("multipart/form-data")
    assert boundary not in facts.inner_text()
    line = float(facts.evaluate("f => parseFloat(getComputedStyle(f).lineHeight) || 20"))
    assert facts.bounding_box()["height"] < 2 * line
