"""The page shows the routes and a hold route's queue (SPEC 14): the held request marked in
the list, "Drop" takes one out, "Deliver now" delivers the rest once the app is back; the
Answers dialog lists the routes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..route_app import AppProcess
from .conftest import Server, open_inspector, running_server


@pytest.fixture
def held(tmp_path: Path) -> Iterator[tuple[AppProcess, Server]]:
    app = AppProcess(tmp_path / "app.jsonl")
    (tmp_path / "inspector.toml").write_text(
        f'[[routes]]\nmatch = "path:/held/*"\nto = "{app.url}"\nhold = true\n\n'
        '[[routes]]\nmatch = "path:/gone/*"\nto = "drop"\n')
    try:
        with running_server(tmp_path) as server:
            yield app, server
    finally:
        app.stop()


def test_the_routes_panel_shows_the_queue_drops_and_delivers(
        page: Any, held: tuple[AppProcess, Server]) -> None:
    app, server = held
    open_inspector(page, server)
    panel = page.locator("#routes-panel")
    panel.wait_for(state="visible", timeout=10_000)
    assert "path:/held/*" in panel.inner_text() and "drop" in panel.inner_text()
    for n in range(3):
        server.send(f"/held/{n}")
    page.locator(".row", has_text="/held/2").locator(".held").wait_for(timeout=10_000)
    page.locator(".queue[data-waiting='3']").wait_for(timeout=10_000)
    assert "unreachable" in panel.inner_text()
    page.get_by_role("button", name="Drop #2").click()  # /held/1
    page.locator(".queue[data-waiting='2']").wait_for(timeout=10_000)
    app.start()
    page.get_by_role("button", name="Deliver now").click()
    page.locator(".queue[data-waiting='0']").wait_for(timeout=10_000)
    assert [seen["path"] for seen in app.seen()] == ["/held/0", "/held/2"]
    for path in ("/held/1", "/held/2"):  # dropped, delivered: no longer marked held
        page.locator(".row", has_text=path).locator(".held").wait_for(state="detached",
                                                                      timeout=10_000)
    page.locator("#answers-button").click()
    routes = page.locator("#answers-routes")
    routes.wait_for(timeout=10_000)
    assert "path:/gone/*" in routes.inner_text() and app.url in routes.inner_text()
