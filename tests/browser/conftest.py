"""Playwright for Python driving Debian's `chromium` (found on PATH), against the real CLI."""

from __future__ import annotations

import http.client
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from ..cli_process import Running, close, start

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.path):
            item.add_marker(pytest.mark.browser)


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("INSPECTOR_REQUIRE_BROWSER"):
            raise RuntimeError("chromium is not on PATH (apt-get install -y chromium)")
        pytest.skip("chromium is not on PATH (apt-get install -y chromium)")
    return found


# Module scope: Playwright's sync API keeps an event loop running while it is open, which the
# async tests of other modules must not find.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Server(Running):
    """The CLI server plus a keep-alive client for sending webhooks quickly."""

    def send(self, path: str = "/webhooks/test", body: bytes = b"{}",
             headers: dict[str, str] | None = None, method: str = "POST") -> int:
        split = urlsplit(self.hook_url)
        connection = getattr(self, "_connection", None)
        if connection is None:
            connection = http.client.HTTPConnection(split.hostname, split.port, timeout=10)
            self._connection = connection
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        payload = response.read()
        try:
            return int(json.loads(payload)["id"])
        except (ValueError, KeyError, TypeError):
            return -1

    def send_status(self, path: str, body: bytes = b"{}") -> int:
        split = urlsplit(self.hook_url)
        connection = http.client.HTTPConnection(split.hostname, split.port, timeout=10)
        try:
            connection.request("POST", path, body=body)
            response = connection.getresponse()
            response.read()
            return response.status
        finally:
            connection.close()

    def close_client(self) -> None:
        connection = getattr(self, "_connection", None)
        if connection is not None:
            connection.close()


@contextmanager
def running_server(cwd: Path, *args: str) -> Iterator[Server]:
    """The real CLI on ephemeral loopback ports (more arguments after), closed after."""
    running = start("--hook", "127.0.0.1:0", "--ui", "127.0.0.1:0", *args, cwd=cwd)
    instance = Server(running.process, running.hook_url, running.ui_url)
    try:
        yield instance
    finally:
        instance.close_client()
        close(running.process)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with running_server(tmp_path, "--max-requests", "20000") as instance:
        yield instance


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert errors == [], errors


def open_inspector(page: Any, server: Server, path: str = "/") -> None:
    page.goto(server.ui_url + path)
    page.wait_for_selector("body[data-ready]", state="attached")
    page.wait_for_selector("#connection[data-state='live']")


@pytest.fixture
def upstream() -> Iterator[tuple[Any, str]]:
    """The signature-checking app of tests/upstream.py, served from its own thread and loop
    (Playwright's sync API already runs a loop in this one)."""
    import asyncio
    import threading

    from aiohttp import web

    from ..upstream import Upstream

    app_state = Upstream()
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    runner = web.AppRunner(app_state.app())

    async def begin() -> int:
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        return int(runner.addresses[0][1])

    port = asyncio.run_coroutine_threadsafe(begin(), loop).result(10)
    yield app_state, f"http://127.0.0.1:{port}"
    asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    loop.close()


def download_json(page: Any, selector: str) -> Any:
    """The JSON document the link at `selector` downloads."""
    with page.expect_download() as download:
        page.click(selector)
    return json.loads(Path(download.value.path()).read_text())
