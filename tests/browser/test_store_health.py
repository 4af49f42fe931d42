"""The page says when the history store is away (Redis stopped) and when it is back, and when
it lost data (flushed)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..cli_process import close, start
from ..redis_server import RedisServer
from .conftest import Server, open_inspector, running_server


@pytest.fixture
def on_redis(tmp_path: Path) -> Iterator[tuple[RedisServer, Server]]:
    """A real redis-server and the real CLI using it."""
    redis = RedisServer(tmp_path)
    redis.start()
    try:
        with running_server(tmp_path, "--store", redis.url) as server:
            yield redis, server
    finally:
        redis.stop()


def test_the_page_says_the_store_is_unreachable_then_back(
        page: Any, on_redis: tuple[RedisServer, Server]) -> None:
    redis, server = on_redis
    open_inspector(page, server)
    assert page.locator("#store-health").is_hidden()
    redis.stop()
    server.send("/while-away")
    health = page.locator("#store-health[data-state='unreachable']")
    health.wait_for(state="visible", timeout=10_000)
    assert "redis" in health.inner_text() and "1 request waiting" in health.inner_text()
    redis.start()
    page.locator("#store-health").wait_for(state="hidden", timeout=10_000)
    page.locator(".row", has_text="/while-away").wait_for(timeout=10_000)


def test_the_page_says_when_the_store_lost_its_data(
        page: Any, on_redis: tuple[RedisServer, Server]) -> None:
    redis, server = on_redis
    open_inspector(page, server)
    server.send("/before-the-flush")
    page.locator(".row", has_text="/before-the-flush").wait_for(timeout=10_000)
    with redis.client() as client:
        client.flushall()
    notice = page.locator("#store-notice")
    notice.wait_for(state="visible", timeout=10_000)
    assert "came back empty" in notice.inner_text()
    assert page.locator(".row", has_text="/before-the-flush").count() == 0
    page.locator("#store-health").wait_for(state="hidden", timeout=10_000)
    server.send("/after-the-flush")
    page.locator(".row", has_text="/after-the-flush").wait_for(timeout=10_000)


def test_the_page_says_the_sqlite_file_is_gone_and_why_then_back(page: Any,
                                                                  tmp_path: Path) -> None:
    running = start("--hook", "127.0.0.1:0", "--ui", "127.0.0.1:0", "--store",
                    "sqlite:history.db", cwd=tmp_path)
    server = Server(running.process, running.hook_url, running.ui_url)
    try:
        open_inspector(page, server)
        server.send("/kept")
        page.locator(".row", has_text="/kept").wait_for(timeout=10_000)
        (tmp_path / "history.db").rename(tmp_path / "away.db")
        health = page.locator("#store-health[data-state='gone']")
        health.wait_for(state="visible", timeout=10_000)
        assert "(sqlite) gone: history.db was deleted or moved" in health.inner_text()
        assert server.send_status("/refused") == 503
        (tmp_path / "away.db").rename(tmp_path / "history.db")
        page.locator("#store-health").wait_for(state="hidden", timeout=10_000)
        server.send("/after")
        page.locator(".row", has_text="/after").wait_for(timeout=10_000)
        assert page.locator(".row", has_text="/refused").count() == 0
    finally:
        server.close_client()
        close(running.process)
