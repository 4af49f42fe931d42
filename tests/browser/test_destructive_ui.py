"""The page asks before it deletes: Clear and "Delete matches" show how many requests go, say
when the deletion is permanent (a durable store), and do nothing until confirmed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import Server, open_inspector, running_server


@pytest.fixture
def sqlite_server(tmp_path: Path) -> Iterator[Server]:
    with running_server(tmp_path, "--store", f"sqlite:{tmp_path / 'history.db'}") as instance:
        yield instance


def stored(server: Server) -> int:
    return int(server.api("/api/requests?limit=1")["count"])


@pytest.mark.parametrize(("engine", "note"), [
    ("server", "This cannot be undone."),
    ("sqlite_server", "Permanent: they are deleted from the SQLite file and stay deleted after "
                      "a restart."),
])
def test_clear_asks_with_the_count_and_cancel_keeps_everything(
        page: Any, request: pytest.FixtureRequest, engine: str, note: str) -> None:
    server: Server = request.getfixturevalue(engine)
    for index in range(3):
        server.send(f"/kept/{index}")
    open_inspector(page, server)
    expect(page.locator(".row")).to_have_count(3)
    page.click("#clear")
    dialog = page.locator("#confirm-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#confirm-message")).to_contain_text("Delete all 3 requests")
    expect(dialog.locator("#confirm-ok")).to_have_text("Delete 3 requests")
    expect(dialog.locator("#confirm-note")).to_have_text(note)
    page.click("#confirm-cancel")
    expect(dialog).to_be_hidden()
    expect(page.locator(".row")).to_have_count(3)
    assert stored(server) == 3
    page.click("#clear")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")  # Escape is a Cancel too
    expect(dialog).to_be_hidden()
    assert stored(server) == 3
    page.click("#clear")
    page.click("#confirm-ok")
    expect(page.locator(".row")).to_have_count(0)
    expect(page.locator("#count")).to_have_text("0 requests")
    assert stored(server) == 0


def test_delete_matches_asks_and_deletes_only_what_it_counted(page: Any,
                                                              sqlite_server: Server) -> None:
    for path in ("/a/1", "/a/2", "/b/1"):
        sqlite_server.send(path)
    open_inspector(page, sqlite_server)
    page.fill("#filter", "path:/a/*")
    expect(page.locator("#count")).to_have_text("2 of 3 requests")
    page.click("#delete-matches")
    dialog = page.locator("#confirm-dialog")
    expect(dialog.locator("#confirm-message")).to_have_text(
        "Delete the 2 requests that match path:/a/*?")
    expect(dialog.locator("#confirm-note")).to_contain_text("Permanent")
    page.click("#confirm-cancel")
    assert stored(sqlite_server) == 3
    page.click("#delete-matches")
    expect(dialog).to_be_visible()
    sqlite_server.send("/a/3")  # arrives while the dialog asks: not counted, so kept
    expect(page.locator(".row", has_text="/a/3")).to_be_visible()
    page.click("#confirm-ok")
    expect(page.locator("#count")).to_have_text("1 of 2 requests")
    paths = [r["path"] for r in sqlite_server.api("/api/requests")["requests"]]
    assert paths == ["/b/1", "/a/3"]
