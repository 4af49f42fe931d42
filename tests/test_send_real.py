"""`send` as real as README says, read on the wire by a raw receiver on loopback from the real
CLI: each provider's own ids (Stripe's evt_…, GitHub's GUID) and User-Agent where documented,
the delivery id printed only where the provider sends one, and the provider's SDK accepting
what arrived."""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from .cli_process import command
from .conftest import AppsFactory
from .test_send_wire import RawReceiver, header_pairs

STRIPE_ID = r"[A-Za-z0-9]{24}"


@pytest.fixture
async def wire() -> AsyncIterator[tuple[RawReceiver, str]]:
    raw = RawReceiver()
    server = await asyncio.start_server(raw.handle, "127.0.0.1", 0)
    yield raw, f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/hook"
    server.close()


async def sent(wire: tuple[RawReceiver, str], *args: str) -> tuple[str, dict[str, str], bytes]:
    """The CLI's output, and the headers and body the receiver read."""
    raw, url = wire
    process = await asyncio.create_subprocess_exec(
        *command("send", *args, "--to", url), stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, out.decode() + err.decode()
    ((head, body),) = raw.requests
    return out.decode(), {name.lower(): value for name, value in header_pairs(head)}, body


async def test_stripe_sends_evt_ids_its_user_agent_and_its_sdk_accepts_it(
        wire: tuple[RawReceiver, str]) -> None:
    import stripe

    secret = "whsec_" + "5" * 32
    out, headers, body = await sent(wire, "stripe", "--secret", secret)
    assert headers["user-agent"] == "Stripe/1.0 (+https://stripe.com/docs/webhooks)"
    event = stripe.Webhook.construct_event(body.decode(), headers["stripe-signature"], secret)
    assert re.fullmatch(f"evt_{STRIPE_ID}", event["id"])
    assert re.fullmatch(f"pi_{STRIPE_ID}", event["data"]["object"]["id"])
    assert re.fullmatch(r"req_[A-Za-z0-9]{14}", json.loads(body)["request"]["id"])
    assert f"(delivery {event['id']})" in out


async def test_github_sends_a_guid_delivery_and_hookshot(wire: tuple[RawReceiver, str]) -> None:
    out, headers, _ = await sent(wire, "github")
    delivery = headers["x-github-delivery"]
    assert str(uuid.UUID(delivery)) == delivery
    assert re.fullmatch(r"GitHub-Hookshot/[0-9a-f]{7}", headers["user-agent"])
    assert f"(delivery {delivery})" in out


@pytest.mark.parametrize(("provider", "agent", "id_header"), [
    ("shopify", "Shopify-Captain-Hook", "x-shopify-webhook-id"),
    ("slack", "Slackbot 1.0 (+https://api.slack.com/robots)", None),
    ("gitlab", "GitLab/17.6.0", "x-gitlab-event-uuid"),
    ("zoom", "Zoom Marketplace/1.0a", None),
    ("primebot", "webhook-inspector-send/1", "x-primebot-delivery"),  # none documented
])
async def test_each_documented_user_agent_once(wire: tuple[RawReceiver, str], provider: str,
                                              agent: str, id_header: str | None) -> None:
    raw, _ = wire
    _, headers, _ = await sent(wire, provider)
    assert headers["user-agent"] == agent
    names = [name.lower() for name, _ in header_pairs(raw.requests[0][0])]
    assert names.count("user-agent") == 1
    if id_header in ("x-shopify-webhook-id", "x-gitlab-event-uuid"):
        assert str(uuid.UUID(headers[id_header])) == headers[id_header]


async def test_bondify_prints_no_delivery_id_it_does_not_send(
        wire: tuple[RawReceiver, str]) -> None:
    out, headers, body = await sent(wire, "bondify")
    assert out.startswith("sending bondify auth.confirmed to ")
    assert "delivery" not in out.splitlines()[0]
    payload: dict[str, Any] = json.loads(body)
    assert "msg_" not in json.dumps(payload) and not any("msg_" in v for v in headers.values())


async def test_the_pages_send_names_the_id_the_inspector_captured(
        make_apps: AppsFactory) -> None:
    apps = await make_apps()
    github = await (await apps.ui.post("/api/send", json={"provider": "github"})).json()
    bondify = await (await apps.ui.post("/api/send", json={"provider": "bondify"})).json()
    assert bondify["delivery_id"] is None
    rows = (await (await apps.ui.get("/api/requests")).json())["requests"]
    captured = {row["provider"]: row for row in rows}
    assert captured["github"]["delivery_id"] == github["delivery_id"]
    assert str(uuid.UUID(github["delivery_id"])) == github["delivery_id"]
    assert captured["bondify"]["delivery_id"] is None
    detail = await (await apps.ui.get(f"/api/requests/{captured['github']['id']}")).json()
    assert dict((k.lower(), v) for k, v in detail["headers"])["user-agent"].startswith(
        "GitHub-Hookshot/")
