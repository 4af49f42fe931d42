"""Fan-out to live clients (issue 24.2): a message is framed once, and a client without a
search takes its frames as they are published, with no judging step of its own."""

from __future__ import annotations

import asyncio
import json

import pytest
from websockets.asyncio.client import ClientConnection, connect

from inspector.hub import Subscriber

from .conftest import AppsFactory


async def paths(ws: ClientConnection, wanted: int) -> list[str]:
    return [json.loads(await asyncio.wait_for(ws.recv(), 10))["request"]["path"]
            for _ in range(wanted)]


async def test_unfiltered_clients_get_every_frame_without_a_judging_step(
        make_apps: AppsFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    apps = await make_apps()
    judged = [0]
    judge = Subscriber.judge

    async def counting(self: Subscriber) -> None:
        judged[0] += 1
        await judge(self)

    monkeypatch.setattr(Subscriber, "judge", counting)
    async with connect(apps.ws_url()) as one, connect(apps.ws_url()) as two, \
            connect(apps.ws_url()) as three:
        for ws in (one, two, three):
            assert json.loads(await ws.recv())["type"] == "hello"
        for number in range(20):
            await apps.hooks.post(f"/p/{number}", data=b"{}")
        for ws in (one, two, three):
            assert await paths(ws, 20) == [f"/p/{number}" for number in range(20)]
    assert judged[0] == 0


async def test_a_filtered_client_beside_them_still_gets_only_its_matches(
        make_apps: AppsFactory) -> None:
    apps = await make_apps()
    async with connect(apps.ws_url()) as everything, \
            connect(apps.ws_url("?q=path:/odd")) as odd:
        for ws in (everything, odd):
            assert json.loads(await ws.recv())["type"] == "hello"
        for number in range(20):
            await apps.hooks.post("/odd" if number % 2 else "/even", data=b"{}")
        assert await paths(everything, 20) == ["/odd" if n % 2 else "/even" for n in range(20)]
        assert await paths(odd, 10) == ["/odd"] * 10
