from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp.test_utils import BaseTestServer, TestClient, TestServer
from aiohttp.web import BaseRunner
from yarl import URL

from inspector.captured import CapturedRequest
from inspector.config import Config
from inspector.hooks import create_hooks
from inspector.hooks.server import HooksServer
from inspector.outbound import client_session
from inspector.signatures import Scheme, get
from inspector.state import SharedState
from inspector.store import open_store
from inspector.store.protocol import Store
from inspector.ui.app import create_ui_app

from .redis_server import RedisServer


@dataclass
class Apps:
    inspector: SharedState
    hooks: TestClient
    ui: TestClient
    ui_server: TestServer

    def ws_url(self, query: str = "") -> str:
        return f"ws://{self.ui_server.host}:{self.ui_server.port}/ws{query}"


AppsFactory = Callable[..., Awaitable[Apps]]


class HooksTestServer(BaseTestServer):
    """The real hooks listener (HooksServer, as `serve` runs it) on a loopback port, in the
    shape aiohttp's TestClient drives."""

    def __init__(self, hooks: HooksServer) -> None:
        super().__init__()
        self.hooks = hooks
        self.started_listening = False

    async def start_server(self, loop: Any = None, **kwargs: Any) -> None:
        self.host, self.port = await self.hooks.start("127.0.0.1", 0)
        self.started_listening = True
        self.scheme = "http"
        self._root = URL(f"http://{self.host}:{self.port}")

    async def _make_runner(self, **kwargs: Any) -> BaseRunner:
        raise NotImplementedError("HooksServer is started directly")

    @property
    def started(self) -> bool:
        return self.started_listening

    async def close(self) -> None:
        if self.started_listening and not self._closed:
            await self.hooks.close(1.0)
            self._closed = True


@pytest.fixture
async def make_apps(aiohttp_client: Any, aiohttp_server: Any) -> AsyncIterator[AppsFactory]:
    """Both real listeners sharing one SharedState, configured with small limits by default.
    An error that reaches the event loop's handler (an exception in a protocol callback, a
    task nobody awaited) fails the test."""
    unexpected: list[dict[str, Any]] = []
    stores: list[Store] = []
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda _loop, context: unexpected.append(context))

    async def make(ws_queue_limit: int = 2000, ws_queue_bytes: int = 8 * 1024 * 1024,
                   **overrides: Any) -> Apps:
        settings: dict[str, Any] = {"max_requests": 50, "max_bytes": 1024 * 1024,
                                    "max_body": 256 * 1024}
        settings.update(overrides)
        config = Config(**settings)
        store = await open_store(config.store, config.max_requests, config.max_bytes)
        stores.append(store)
        inspector = SharedState(config, ws_queue_limit=ws_queue_limit, store=store,
                                ws_queue_bytes=ws_queue_bytes)
        hooks = await aiohttp_client(HooksTestServer(create_hooks(inspector, session)))
        ui_server = await aiohttp_server(create_ui_app(inspector))
        ui = await aiohttp_client(ui_server)
        inspector.hook_url = str(hooks.make_url("")).rstrip("/")
        return Apps(inspector, hooks, ui, ui_server)

    async with client_session() as session:
        yield make
    for store in stores:
        await store.close()
    loop.set_exception_handler(None)
    assert not unexpected, [context.get("message") for context in unexpected]


@pytest.fixture
async def apps(make_apps: AppsFactory) -> Apps:
    return await make_apps()


async def eventually(condition: Callable[[], Awaitable[bool] | bool],
                     timeout: float = 5.0) -> None:
    """Wait until `condition` holds (checked every few milliseconds), or fail after `timeout`.
    A test with no event loop of its own waits with `asyncio.run(eventually(...))`."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not await holds(condition):
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        await asyncio.sleep(0.01)


async def holds(condition: Callable[[], Awaitable[bool] | bool]) -> bool:
    met = condition()
    return await met if inspect.isawaitable(met) else met


def scheme_of(name: str) -> Scheme:
    scheme = get(name)
    assert scheme is not None, name
    return scheme


def header_block(pairs: tuple[tuple[bytes, bytes], ...]) -> bytes:
    """Raw header pairs as the hooks listener stores them: `name: value` lines ending in CRLF."""
    return b"".join([b"%s: %s\r\n" % pair for pair in pairs])


def make_capture(**overrides: Any) -> CapturedRequest:
    """A CapturedRequest with plausible defaults, for unit tests."""
    headers = overrides.pop("headers", [(b"Content-Type", b"application/json")])
    fields: dict[str, Any] = {
        "id": 1,
        "received_at": time.time(),
        "method": "POST",
        "path": "/webhooks",
        "query": "",
        "http_version": "HTTP/1.1",
        "remote": "127.0.0.1",
        "header_block": header_block(tuple(headers)),
        "body": b'{"event": "test"}',
        "trailer_block": b"",
    }
    fields.update(overrides)
    fields.setdefault("body_size", len(fields["body"]))
    return CapturedRequest(**fields)


@pytest.fixture
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A real redis-server of the test's own, on an ephemeral loopback port."""
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()
