"""Fan-out to live clients (issue 24.2): a message is framed once, and a client without a
search takes its frames as they are published, with no judging step of its own; publishing
costs the same whatever the number of clients, each of which takes a burst in one write."""

from __future__ import annotations

import asyncio
import json
import sys
from contextlib import AsyncExitStack
from types import FrameType
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from inspector.analysis import delivery_of
from inspector.hub import Hub, Subscriber
from inspector.ui.ws import text_frame

from .conftest import Apps, AppsFactory, eventually, make_capture
from .test_summary_text import GITHUB, ISSUE


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



async def test_a_filtered_client_that_joins_later_judges_what_follows(
        make_apps: AppsFactory) -> None:
    """What was published while no filter listened is kept as text only; a filtered client
    that joins reads from its own position on, so it never meets such a message."""
    apps = await make_apps()
    async with connect(apps.ws_url()) as everything:
        assert json.loads(await everything.recv())["type"] == "hello"
        for number in range(3):
            await apps.hooks.post(f"/early/{number}", data=b"{}")
        async with connect(apps.ws_url("?q=path:/late")) as late:
            assert json.loads(await late.recv())["type"] == "hello"
            for number in range(3):
                await apps.hooks.post(f"/late/{number}", data=b"{}")
            assert await paths(late, 3) == [f"/late/{number}" for number in range(3)]
        assert await paths(everything, 6) == [f"/early/{n}" for n in range(3)] + \
            [f"/late/{n}" for n in range(3)]

BURST = 256


def calls_to_store(apps: Apps, count: int) -> int:
    """The Python calls made while `count` requests are stored (and published) between two
    turns of the loop, as a burst of captures would be."""
    calls = [0]

    def counting(_frame: FrameType, event: str, _arg: Any) -> None:
        if event == "call":
            calls[0] += 1

    store = apps.inspector.store
    sys.setprofile(counting)
    try:
        for _ in range(count):
            store.add(make_capture(id=store.next_id()))
    finally:
        sys.setprofile(None)
    return calls[0]


async def test_publishing_costs_the_same_for_ten_clients_as_for_one(
        make_apps: AppsFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Counted, not timed: nine more clients add less than a quarter of a call per message
    each (one step per client per message before: a queue, a wake-up), and each client takes a
    burst of messages in one batch, in order."""
    apps = await make_apps(max_requests=4 * BURST)
    batches: list[int] = []
    next_batch = Subscriber.next_batch

    async def counted(self: Subscriber) -> bytes | None:
        batch = await next_batch(self)
        batches.append(id(self))
        return batch

    monkeypatch.setattr(Subscriber, "next_batch", counted)
    async with AsyncExitStack() as stack:
        clients = []
        costs = []
        for count in (1, 10):
            while len(clients) < count:
                clients.append(await stack.enter_async_context(connect(apps.ws_url())))
                assert json.loads(await clients[-1].recv())["type"] == "hello"
            await eventually(lambda wanted=count: apps.inspector.hub.listeners == wanted)
            batches.clear()
            costs.append(calls_to_store(apps, BURST))
            first = BURST * (len(costs) - 1) + 1
            for ws in clients[-count:]:
                ids = [json.loads(await asyncio.wait_for(ws.recv(), 10))["request"]["id"]
                       for _ in range(BURST)]
                assert ids == list(range(first, first + BURST))
            assert sorted(batches) == sorted(set(batches)) and len(batches) == count
    assert (costs[1] - costs[0]) / (9 * BURST) < 0.25, costs


async def test_a_capture_and_its_eviction_share_a_log_entry_yet_are_two_frames(
        make_apps: AppsFactory) -> None:
    """With no filter listening, an eviction joins its capture's entry in the hub's log (one
    `Published`, framed once): the client still gets two messages, in order, and the pair
    counts as two against the client's bound."""
    apps = await make_apps(max_requests=3)
    hub = apps.inspector.hub
    async with connect(apps.ws_url()) as ws:
        assert json.loads(await ws.recv())["type"] == "hello"
        await eventually(lambda: hub.listeners == 1)
        entries, messages = hub.end, hub.end_count
        store = apps.inspector.store
        for _ in range(10):
            store.add(make_capture(id=store.next_id()))
        assert (hub.end - entries, hub.end_count - messages) == (10, 17)
        got = [json.loads(await asyncio.wait_for(ws.recv(), 10)) for _ in range(17)]
    expected: list[Any] = [["request", 1], ["request", 2], ["request", 3]]
    for number in range(4, 11):
        expected += [["request", number], ["delete", [number - 3]]]
    assert [[m["type"], m["request"]["id"] if "request" in m else m["ids"]] for m in got] == \
        expected


@pytest.mark.parametrize(("captures", "closed"), [(3, False), (4, True)])
async def test_a_joined_eviction_counts_against_a_frozen_clients_bound(
        make_apps: AppsFactory, captures: int, closed: bool) -> None:
    """A bound of 6 messages: three captures and their two evictions fit, four and three do
    not (the client is closed with 1013), though either is fewer than 6 entries."""
    apps = await make_apps(max_requests=1, ws_queue_limit=6)
    async with connect(apps.ws_url()) as ws:
        assert json.loads(await ws.recv())["type"] == "hello"
        await eventually(lambda: apps.inspector.hub.listeners == 1)
        store = apps.inspector.store
        for _ in range(captures):
            store.add(make_capture(id=store.next_id()))
        got = []
        try:
            while len(got) < 2 * captures - 1:
                got.append(json.loads(await asyncio.wait_for(ws.recv(), 10))["type"])
        except ConnectionClosed as ended:
            assert closed and ended.rcvd is not None and ended.rcvd.code == 1013
        else:
            assert not closed and got == ["request"] + ["request", "delete"] * (captures - 1)


async def test_a_listened_capture_and_its_eviction_are_published_in_few_calls(
        make_apps: AppsFactory) -> None:
    """Counted, not timed (each Python call costs a listened request about a microsecond): a
    GitHub capture's message (its summary's status judged on the JSON capture parsed, the
    header block lowered once) and its eviction's, to an unfiltered client: 45 calls on
    3eec273, 30 on 84ca3b4, 13 now (the status judged by one check, what the record's shape
    holds written from its kept text, the texts logged without closures)."""
    apps = await make_apps()
    inspector = apps.inspector
    async with connect(apps.ws_url()) as ws:
        assert json.loads(await ws.recv())["type"] == "hello"
        await eventually(lambda: inspector.hub.listeners == 1)
        record = make_capture(id=7, provider="github", event="issues.opened", body=ISSUE,
                              headers=[(n.encode(), v.encode()) for n, v in GITHUB.items()])
        inspector._publish("request", record._replace(id=6))  # its schema compiled once
        delivery = delivery_of(record)
        delivery.body_field("action")  # as the analysis does: the body parsed
        inspector.judge.handed = delivery
        calls = [0]

        def counting(_frame: FrameType, event: str, _arg: Any) -> None:
            calls[0] += event == "call"

        sys.setprofile(counting)
        try:
            inspector._publish("request", record)
            inspector._publish("delete", [1])
        finally:
            sys.setprofile(None)
        got = [json.loads(await asyncio.wait_for(ws.recv(), 10)) for _ in range(3)]
    assert [message["type"] for message in got] == ["request", "request", "delete"]
    assert got[1]["request"]["conformance"] in ("conforms", "deviates")
    assert calls[0] <= 14, calls[0]


async def pumped(hub: Hub, count: int) -> tuple[list[asyncio.Task[None]], list[bytes]]:
    """`count` subscribers, each with a pump that takes its batches, all waiting."""
    taken: list[bytes] = []

    async def pump(subscriber: Subscriber) -> None:
        while (batch := await subscriber.next_batch()) is not None:
            taken.append(batch)

    tasks = [asyncio.create_task(pump(hub.subscribe(text_frame))) for _ in range(count)]
    await asyncio.sleep(0)
    return tasks, taken


async def test_waiting_pumps_are_woken_taken_and_waiting_again_in_few_calls() -> None:
    """Counted, not timed: ten pumps woken by one publish, each taking its batch and waiting
    again, with the loop's own calls: 316 on 84ca3b4 (an asyncio.Event a subscriber, its
    `wake`, `_take`, `wake_on_publish`), 196 now (a future a wait, resolved by the hub)."""
    hub = Hub()
    tasks, taken = await pumped(hub, 10)
    calls = [0]

    def counting(_frame: FrameType, event: str, _arg: Any) -> None:
        calls[0] += event == "call"

    sys.setprofile(counting)
    try:
        hub.publish(lambda: {"type": "clear"})
        for _ in range(3):
            await asyncio.sleep(0)
    finally:
        sys.setprofile(None)
    assert taken == [text_frame('{"type":"clear"}')] * 10
    assert calls[0] <= 200, calls[0]
    hub.shut_down()
    await asyncio.gather(*tasks)


async def test_a_pump_cancelled_while_it_waits_leaves_the_others_woken() -> None:
    """Its future is cancelled with it: the next publish passes it by."""
    hub = Hub()
    tasks, taken = await pumped(hub, 3)
    tasks[1].cancel()
    await asyncio.sleep(0)
    hub.publish(lambda: {"type": "clear"})
    await eventually(lambda: len(taken) == 2)
    hub.shut_down()
    await asyncio.gather(tasks[0], tasks[2])
    assert tasks[1].cancelled() and taken == [text_frame('{"type":"clear"}')] * 2
