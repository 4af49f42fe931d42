"""The live websocket, read with an independent client (the `websockets` library)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.frames import Frame, Opcode
from websockets.streams import StreamReader

from inspector.captured import CapturedRequest
from inspector.ui.ws import text_frame

from .conftest import Apps, AppsFactory, eventually, make_capture


async def receive(ws: ClientConnection) -> dict[str, Any]:
    return json.loads(await asyncio.wait_for(ws.recv(), 5))


def add_direct(apps: Apps, count: int) -> list[CapturedRequest]:
    """Add records synchronously, as a burst of captures would between two loop turns."""
    added = []
    for _ in range(count):
        record = make_capture(id=apps.inspector.store.next_id())
        apps.inspector.store.add(record)
        added.append(record)
    return added


async def test_hello_backlog_then_live(apps: Apps) -> None:
    for _ in range(3):
        await apps.hooks.post("/before", data=b"1")
    async with connect(apps.ws_url("?after=1")) as ws:
        hello = await receive(ws)
        assert hello["type"] == "hello" and hello["version"] == 1 and hello["last_id"] == 3
        assert hello["instance"] == apps.inspector.instance
        backlog = [await receive(ws), await receive(ws)]
        assert [(m["type"], m["request"]["id"]) for m in backlog] == [("request", 2),
                                                                     ("request", 3)]
        await apps.hooks.post("/live", data=b"2")
        live = await receive(ws)
        assert live["type"] == "request" and live["request"]["path"] == "/live"
        assert live["request"]["response_status"] == 200


async def test_without_after_only_live_requests_arrive(apps: Apps) -> None:
    await apps.hooks.post("/old", data=b"1")
    async with connect(apps.ws_url()) as ws:
        assert (await receive(ws))["last_id"] == 1
        await apps.hooks.post("/new", data=b"1")
        assert (await receive(ws))["request"]["path"] == "/new"


async def test_delete_clear_and_eviction_are_announced(make_apps: AppsFactory) -> None:
    apps = await make_apps(max_requests=2)
    async with connect(apps.ws_url("?after=0")) as ws:
        await receive(ws)
        for _ in range(3):
            await apps.hooks.post("/x", data=b"1")
        kinds = [await receive(ws) for _ in range(4)]
        assert [m["type"] for m in kinds] == ["request", "request", "request", "delete"]
        assert kinds[3]["ids"] == [1]
        await apps.ui.delete("/api/requests/2")
        assert await receive(ws) == {"type": "delete", "ids": [2]}
        await apps.ui.delete("/api/requests")
        assert await receive(ws) == {"type": "clear"}


async def test_update_message_when_a_record_changes(apps: Apps) -> None:

    async with connect(apps.ws_url()) as ws:
        await receive(ws)
        (record,) = add_direct(apps, 1)
        assert (await receive(ws))["type"] == "request"
        apps.inspector.update(record._replace(event="changed"))
        update = await receive(ws)
        assert update["type"] == "update" and update["request"]["event"] == "changed"


async def test_lagging_client_is_closed_1013_and_resumes_without_loss(
        make_apps: AppsFactory) -> None:
    apps = await make_apps(ws_queue_limit=5, max_requests=1000)
    seen: list[int] = []
    async with connect(apps.ws_url("?after=0")) as ws:
        await receive(ws)
        add_direct(apps, 40)  # the client cannot be served between these: its queue overflows
        try:
            while True:
                seen.append((await receive(ws))["request"]["id"])
        except ConnectionClosed as closed:
            assert closed.rcvd is not None and closed.rcvd.code == 1013
    async with connect(apps.ws_url(f"?after={seen[-1] if seen else 0}")) as ws:
        await receive(ws)
        while len(seen) < 40:
            seen.append((await receive(ws))["request"]["id"])
    assert seen == list(range(1, 41))


async def test_capture_does_not_wait_for_a_stalled_client(make_apps: AppsFactory) -> None:
    apps = await make_apps(ws_queue_limit=10, max_requests=1000)
    async with connect(apps.ws_url("?after=0"), max_queue=1, close_timeout=0.2) as stalled:
        await receive(stalled)
        for index in range(60):  # the stalled client never reads again
            response = await asyncio.wait_for(apps.hooks.post("/x", data=b"%d" % index), 2)
            assert response.status == 200
        assert len(apps.inspector.store) == 60
    assert apps.inspector.hub.listeners == 0


async def test_bad_after_is_400(apps: Apps) -> None:
    response = await apps.ui.get("/ws?after=abc")
    assert response.status == 400


async def test_a_frozen_tab_is_cut_off_while_other_clients_receive_everything(
        make_apps: AppsFactory) -> None:
    import base64
    import os
    import socket

    apps = await make_apps(ws_queue_limit=50, max_requests=5000)
    # A client that completes the handshake and then never reads, with a tiny receive buffer.
    frozen = socket.socket()
    frozen.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    frozen.setblocking(False)
    loop = asyncio.get_running_loop()
    await loop.sock_connect(frozen, (apps.ui_server.host, apps.ui_server.port))
    key = base64.b64encode(os.urandom(16)).decode()
    await loop.sock_sendall(frozen, (
        f"GET /ws?after=0 HTTP/1.1\r\nHost: 127.0.0.1:{apps.ui_server.port}\r\n"
        f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
        "Sec-WebSocket-Version: 13\r\n\r\n").encode())
    assert (await loop.sock_recv(frozen, 1024)).startswith(b"HTTP/1.1 101")
    total = 4000  # 16 MB of messages: more than any kernel send buffer holds
    received: list[list[int]] = [[], []]

    async def reader(index: int, ready: asyncio.Event) -> None:
        async with connect(apps.ws_url("?after=0"), max_size=2**22) as ws:
            await receive(ws)
            ready.set()
            while len(received[index]) < total:
                message = await receive(ws)
                if message["type"] == "request":
                    received[index].append(message["request"]["id"])

    readies = [asyncio.Event(), asyncio.Event()]
    readers = [asyncio.create_task(reader(i, readies[i])) for i in range(2)]
    await asyncio.gather(*(ready.wait() for ready in readies))
    assert apps.inspector.hub.listeners == 3
    long_path = "/p/" + "x" * 4000
    for _ in range(total):
        assert (await apps.hooks.post(long_path, data=b"{}")).status == 200
    await asyncio.wait_for(asyncio.gather(*readers), 30)
    assert received[0] == received[1] == list(range(1, total + 1))
    async def frozen_client_closed() -> bool:  # within the close timeout
        return apps.inspector.hub.listeners == 0

    await eventually(frozen_client_closed)
    frozen.close()


@pytest.mark.parametrize("length", [0, 125, 126, 65535, 65536, 200_000])
def test_hub_frames_parse_as_websocket_text_frames(length: int) -> None:
    """Frames built once by the hub, read by the websockets library's own parser."""
    text = ("é" * length)[:length]
    reader = StreamReader()
    reader.feed_data(text_frame(text))
    reader.feed_eof()
    parsing = Frame.parse(reader.read_exact, mask=False)
    with pytest.raises(StopIteration) as done:
        next(parsing)
    frame = done.value.value
    assert (frame.opcode, frame.fin, frame.data.decode()) == (Opcode.TEXT, True, text)


async def test_a_backlog_longer_than_a_page_arrives_whole_and_once(
        make_apps: AppsFactory) -> None:
    apps = await make_apps(max_requests=5000)
    add_direct(apps, 1234)
    async with connect(apps.ws_url("?after=0")) as ws:
        assert (await receive(ws))["last_id"] == 1234
        add_direct(apps, 1)  # while the backlog is still being sent
        ids = [(await receive(ws))["request"]["id"] for _ in range(1235)]
        assert ids == list(range(1, 1236))
