"""Holding (SPEC 14): while a hold route's app is down, senders get the default answer with
`"held": true`, and the requests reach the app once each, in order, signed again so that the
app's own SDK accepts them, once it is back. The app is a real process, stopped and started;
the backoff clock is injected, so no test waits out real backoff."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from inspector.config import RouteSpec, SecretSpec
from inspector.holding import BACKOFF_MOST_S, backoff_s

from .conftest import Apps, AppsFactory, eventually
from .route_app import AppProcess

STRIPE_SECRET = "whsec_route_test_secret"
STANDARD_SECRET = "whsec_" + base64.b64encode(b"standard-route-test-key-32bytes!").decode()
OLD = 600  # seconds: a timestamp this old is refused by both SDKs (their tolerance is 300)


class StepClock:
    """Backoff waits end when the test says so (or when the queue is woken), not in real time;
    each wait asked for is recorded, and each one let run out."""

    def __init__(self) -> None:
        self.waits: list[float] = []
        self.waited: list[float] = []
        self.offset = 0.0
        self.released = asyncio.Event()
        self.in_wait = False

    def now(self) -> float:
        return time.time() + self.offset

    async def wait(self, seconds: float, wake: asyncio.Event) -> None:
        self.waits.append(seconds)
        self.released.clear()
        self.in_wait = True
        _, pending = await asyncio.wait(
            [asyncio.ensure_future(self.released.wait()), asyncio.ensure_future(wake.wait())],
            return_when=asyncio.FIRST_COMPLETED)
        self.in_wait = False
        for task in pending:
            task.cancel()
        if self.released.is_set():
            self.offset += seconds
            self.waited.append(seconds)

    async def advance(self) -> None:
        """Let the next wait run out at once."""
        await eventually(lambda: _true(self.in_wait and not self.released.is_set()))
        self.released.set()


async def _true(value: bool) -> bool:
    return value


def stripe_signed(body: bytes, at: float) -> dict[str, str]:
    stamp = str(int(at))
    mac = hmac.new(STRIPE_SECRET.encode(), f"{stamp}.".encode() + body, hashlib.sha256)
    return {"Stripe-Signature": f"t={stamp},v1={mac.hexdigest()}",
            "Content-Type": "application/json"}


def standard_signed(body: bytes, at: float, message_id: str) -> dict[str, str]:
    from standardwebhooks.webhooks import Webhook

    when = datetime.fromtimestamp(at, UTC)
    return {"webhook-id": message_id, "webhook-timestamp": str(int(at)),
            "webhook-signature": Webhook(STANDARD_SECRET).sign(message_id, when, body),
            "Content-Type": "application/json"}


def event(n: int) -> bytes:
    return json.dumps({"id": f"evt_{n}", "type": "invoice.paid", "object": "event",
                       "data": {"object": {"n": n}}}).encode()


async def held_apps(make_apps: AppsFactory, app: AppProcess, **settings: Any
                    ) -> tuple[Apps, StepClock]:
    secrets = (SecretSpec("stripe", STRIPE_SECRET),
               SecretSpec("standard-webhooks", STANDARD_SECRET))
    apps = await make_apps(routes=(RouteSpec("", app.url, hold=True),),
                           **{"secrets": secrets, **settings})
    clock = StepClock()
    assert apps.inspector.holding is not None
    apps.inspector.holding.clock = clock
    return apps, clock


async def queue(apps: Apps) -> dict[str, Any]:
    listed = await (await apps.ui.get("/api/routes")).json()
    return dict(listed["routes"][0]["queue"])


async def detail(apps: Apps, request_id: int) -> dict[str, Any]:
    return dict(await (await apps.ui.get(f"/api/requests/{request_id}")).json())


def test_backoff_is_1s_doubling_to_60s() -> None:
    assert [backoff_s(n) for n in range(1, 10)] == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert backoff_s(10_000) == BACKOFF_MOST_S


async def test_held_while_down_then_delivered_once_each_in_order_signed_again(
        make_apps: AppsFactory, tmp_path: Path) -> None:
    app = AppProcess(tmp_path / "app.jsonl", STRIPE_SECRET, STANDARD_SECRET)
    apps, clock = await held_apps(make_apps, app)
    old = time.time() - OLD  # what arrives after the app's restart is late: signed again
    answers = []
    for n in range(1, 5):
        headers = stripe_signed(event(n), old) if n % 2 else \
            standard_signed(event(n), old, f"msg_{n}")
        answer = await apps.hooks.post(f"/hook/{n}", data=event(n), headers=headers)
        answers.append((answer.status, await answer.json()))
    assert answers == [(200, {"ok": True, "id": n, "held": True}) for n in range(1, 5)]
    assert (await queue(apps))["ids"] == [1, 2, 3, 4]
    assert (await (await apps.ui.get("/healthz")).json())["held"] == 4
    assert (await detail(apps, 1))["held"] == "waiting"

    await clock.advance()  # the second attempt fails too: the wait doubles
    await clock.advance()
    await eventually(lambda: _true(len(clock.waited) == 2 and clock.in_wait))
    assert [round(w) for w in [*clock.waited, clock.waits[-1]]] == [1, 2, 4]
    assert "unreachable" in (await queue(apps))["last_error"]
    assert app.seen() == []

    app.start()
    try:
        await clock.advance()
        await eventually(lambda: _true(len(app.seen()) == 4))
        seen = app.seen()
        assert [s["path"] for s in seen] == ["/hook/1", "/hook/2", "/hook/3", "/hook/4"]
        assert [s["verified"] for s in seen] == ["stripe", "standard", "stripe", "standard"]
        assert [json.loads(s["body"]) for s in seen] == [json.loads(event(n)) for n in range(1, 5)]
        await eventually(lambda: _delivered(apps, 4))
        stored = await detail(apps, 1)
        assert stored["held"] == "delivered"
        notes = [replay["note"] for replay in stored["replays"]]  # forwarding was attempt 1
        assert notes == [f"held delivery, attempt {n}, signed again" for n in (2, 3, 4)]
        assert [replay["status"] for replay in stored["replays"]] == [None, None, 200]
        assert (await queue(apps))["waiting"] == 0
        later = await apps.hooks.post("/hook/5", data=event(5), headers=stripe_signed(
            event(5), time.time()))
        assert later.status == 200 and (await later.json())["app"] == app.port
        await asyncio.sleep(0.2)  # nothing more arrives: each was delivered once
        assert len(app.seen()) == 5
    finally:
        app.stop()


async def test_unsigned_goes_as_captured_and_says_so(make_apps: AppsFactory,
                                                    tmp_path: Path) -> None:
    app = AppProcess(tmp_path / "app.jsonl")
    apps, clock = await held_apps(make_apps, app, secrets=())
    await apps.hooks.post("/p", data=event(1), headers=stripe_signed(event(1), time.time()))
    app.start()
    try:
        await clock.advance()
        await eventually(lambda: _true(len(app.seen()) == 1))
        await eventually(lambda: _delivered(apps, 1))
        (delivered,) = (await detail(apps, 1))["replays"]
        assert delivered["note"] == ("held delivery, attempt 2, sent as captured: its "
                                     "signature may be stale")
    finally:
        app.stop()


async def _delivered(apps: Apps, request_id: int) -> bool:
    return (await detail(apps, request_id))["held"] == "delivered"


async def test_the_bound_holds_and_past_it_the_app_down_is_a_502(make_apps: AppsFactory,
                                                                 tmp_path: Path) -> None:
    app = AppProcess(tmp_path / "app.jsonl")
    apps, _ = await held_apps(make_apps, app, max_held=2)
    statuses = [(await apps.hooks.post(f"/b/{n}", data=b"{}")).status for n in range(4)]
    assert statuses == [200, 200, 502, 502]
    assert (await queue(apps))["ids"] == [1, 2]
    assert (await detail(apps, 3))["held"] is None


async def test_deliver_now_and_drop(make_apps: AppsFactory, tmp_path: Path) -> None:
    app = AppProcess(tmp_path / "app.jsonl")
    apps, clock = await held_apps(make_apps, app)
    for n in range(3):
        await apps.hooks.post(f"/d/{n}", data=b"{}")
    dropped = await apps.ui.delete("/api/routes/0/held/2")
    assert dropped.status == 204
    assert (await apps.ui.delete("/api/routes/0/held/2")).status == 404
    assert (await apps.ui.post("/api/routes/7/deliver")).status == 404
    assert (await detail(apps, 2))["held"] == "dropped"
    app.start()
    try:
        await eventually(lambda: _true(bool(clock.waits)))
        now = await apps.ui.post("/api/routes/0/deliver")  # no need to wait out the backoff
        assert now.status == 202
        await eventually(lambda: _true(len(app.seen()) == 2))
        assert [s["path"] for s in app.seen()] == ["/d/0", "/d/2"]
    finally:
        app.stop()


async def test_an_app_slower_than_the_timeout_holds_too(make_apps: AppsFactory,
                                                       aiohttp_server: Any) -> None:
    from .upstream import Upstream

    upstream = Upstream()  # its /slow path answers after 2 s
    server = await aiohttp_server(upstream.app())
    apps = await make_apps(routes=(RouteSpec("", f"http://127.0.0.1:{server.port}",
                                             hold=True),), forward_timeout=0.3)
    answer = await apps.hooks.post("/slow", data=b"{}")
    assert answer.status == 200 and (await answer.json())["held"] is True
    assert (await queue(apps))["ids"] == [1]
    fast = await apps.hooks.post("/fast", data=b"{}")  # the queue waits: it joins, in order
    assert (await fast.json())["held"] is True and len(upstream.seen) == 1
