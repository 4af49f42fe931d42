"""Challenge handshakes through the real hooks listener: answered as each provider expects when
its secret is configured, recorded with `event` naming the handshake; without the secret, or
when forwarding, the request gets the answer any request gets."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field
from typing import Any

import pytest

from inspector.config import SecretSpec

from .conftest import Apps, AppsFactory
from .upstream import Upstream

SECRET = "handshake-secret-0123456789"


def v0_signature(body: bytes, signature: str, timestamp: str) -> dict[str, str]:
    """Zoom's and Slack's construction: `v0=` hex HMAC-SHA256 of `v0:{timestamp}:{body}`,
    made when sent (both refuse a timestamp five minutes old, and a suite runs longer)."""
    moment = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), b"v0:%s:%s" % (moment.encode(), body),
                      hashlib.sha256).hexdigest()
    return {timestamp: moment, signature: f"v0={digest}"}


XERO_INTENT = json.dumps({"events": [], "lastEventSequence": 0, "firstEventSequence": 0,
                          "entropy": "S0m3r4Nd0mt3xt"}).encode()


def xero_signature(key: str) -> str:
    return base64.b64encode(hmac.new(key.encode(), XERO_INTENT, hashlib.sha256).digest()).decode()


@dataclass(frozen=True)
class Challenge:
    provider: str
    method: str
    target: str
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)
    v0_signed: tuple[str, str] | None = None  # (signature, timestamp) headers: v0_signature

    def sent_headers(self) -> dict[str, str]:
        if self.v0_signed is None:
            return self.headers
        return {**self.headers, **v0_signature(self.body, *self.v0_signed)}


ZOOM_BODY = json.dumps({"payload": {"plainToken": "qgg8vlvZRS6UYooatFL8Aw"},
                        "event_ts": 1654503849680, "event": "endpoint.url_validation"}).encode()
SLACK_BODY = json.dumps({"token": "Jhj5dZrVaK7ZwHHjRyZWjbDl", "type": "url_verification",
                         "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}
                        ).encode()
JSON = {"Content-Type": "application/json"}
CHALLENGES = {
    "zoom": Challenge("zoom", "POST", "/zoom", ZOOM_BODY, JSON,
                      v0_signed=("x-zm-signature", "x-zm-request-timestamp")),
    "twitter": Challenge("twitter", "GET", "/x?crc_token=challenge_string"),
    "meta": Challenge("whatsapp", "GET", "/wa?hub.mode=subscribe&hub.challenge=1158201444"
                      "&hub.verify_token=meatyhamhock", options={"verify_token": "meatyhamhock"}),
    "dropbox": Challenge("dropbox", "GET", "/dbx?challenge=abc123"),
    "xero": Challenge("xero", "POST", "/xero", XERO_INTENT,
                      {"x-xero-signature": xero_signature(SECRET)}),
    "worldline": Challenge("worldline", "GET", "/wl",
                           headers={"X-GCS-Webhooks-Endpoint-Verification": "f5a3d2c1"}),
    "slack": Challenge("slack", "POST", "/slack", SLACK_BODY, JSON,
                       v0_signed=("X-Slack-Signature", "X-Slack-Request-Timestamp")),
}


async def send(apps: Apps, challenge: Challenge) -> tuple[int, dict[str, str], bytes]:
    response = await apps.hooks.request(challenge.method, challenge.target,
                                        data=challenge.body or None,
                                        headers=challenge.sent_headers())
    return response.status, dict(response.headers), await response.read()


async def recorded(apps: Apps) -> dict[str, Any]:
    listing = await (await apps.ui.get("/api/requests?limit=1")).json()
    (row,) = listing["requests"]
    return dict(await (await apps.ui.get(f"/api/requests/{row['id']}")).json())


async def answered(make_apps: AppsFactory, name: str) -> tuple[int, dict[str, str], bytes,
                                                                dict[str, Any]]:
    challenge = CHALLENGES[name]
    secret = SecretSpec(challenge.provider, SECRET, options=challenge.options)
    apps = await make_apps(secrets=(secret,))
    status, headers, body = await send(apps, challenge)
    stored = await recorded(apps)
    assert stored["provider"] == challenge.provider
    assert stored["response"]["status"] == status and stored["response"]["source"] == "inspector"
    assert SECRET.encode() not in body
    return status, headers, body, stored


async def test_zoom_url_validation(make_apps: AppsFactory) -> None:
    status, _, body, stored = await answered(make_apps, "zoom")
    expected = hmac.new(SECRET.encode(), b"qgg8vlvZRS6UYooatFL8Aw", hashlib.sha256).hexdigest()
    assert status == 200
    assert json.loads(body) == {"plainToken": "qgg8vlvZRS6UYooatFL8Aw", "encryptedToken": expected}
    assert stored["event"] == "endpoint.url_validation"
    assert json.loads(stored["response"]["body_text"])["encryptedToken"] == expected


@pytest.mark.parametrize(("name", "header"), [("zoom", "x-zm-signature"),
                                              ("slack", "X-Slack-Signature")])
async def test_a_badly_signed_validation_is_not_answered(make_apps: AppsFactory, name: str,
                                                         header: str) -> None:
    challenge = CHALLENGES[name]
    apps = await make_apps(secrets=(SecretSpec(challenge.provider, SECRET),))
    forged = {**challenge.sent_headers(), header: "v0=" + "0" * 64}
    status, _, body = await send(apps, Challenge(name, "POST", "/", challenge.body, forged))
    stored = await recorded(apps)
    assert status == 200 and json.loads(body) == {"ok": True, "id": stored["id"]}


async def test_twitter_crc(make_apps: AppsFactory) -> None:
    status, headers, body, stored = await answered(make_apps, "twitter")
    digest = hmac.new(SECRET.encode(), b"challenge_string", hashlib.sha256).digest()
    assert status == 200 and headers["Content-Type"] == "application/json"
    assert json.loads(body) == {"response_token": "sha256=" + base64.b64encode(digest).decode()}
    assert stored["event"] == "crc"


async def test_meta_subscription_echoes_the_challenge(make_apps: AppsFactory) -> None:
    status, _, body, stored = await answered(make_apps, "meta")
    assert (status, body) == (200, b"1158201444")
    assert stored["event"] == "hub.challenge" and stored["response"]["body_text"] == "1158201444"


@pytest.mark.parametrize("options", [{"verify_token": "another"}, {}])
async def test_meta_subscription_with_another_or_no_verify_token_is_refused(
        make_apps: AppsFactory, options: dict[str, str]) -> None:
    apps = await make_apps(secrets=(SecretSpec("whatsapp", SECRET, options=options),))
    status, _, body = await send(apps, CHALLENGES["meta"])
    assert status == 403 and b"1158201444" not in body and b"meatyhamhock" not in body
    assert b"verify_token" in body


async def test_dropbox_challenge(make_apps: AppsFactory) -> None:
    status, headers, body, stored = await answered(make_apps, "dropbox")
    assert (status, body) == (200, b"abc123")
    assert headers["Content-Type"].startswith("text/plain")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert stored["event"] == "challenge"


async def test_xero_intent_to_receive(make_apps: AppsFactory) -> None:
    status, _, body, stored = await answered(make_apps, "xero")
    assert (status, body) == (200, b"") and stored["event"] == "intent to receive"
    apps = await make_apps(secrets=(SecretSpec("xero", SECRET),))
    badly_signed = Challenge("xero", "POST", "/xero", XERO_INTENT,
                             {"x-xero-signature": xero_signature("not-the-key")})
    assert (await send(apps, badly_signed))[::2] == (401, b"")
    assert (await recorded(apps))["response"]["status"] == 401


async def test_a_rotated_key_answers_intent_to_receive(make_apps: AppsFactory) -> None:
    apps = await make_apps(secrets=(SecretSpec("xero", "the-old-key"), SecretSpec("xero", SECRET)))
    assert (await send(apps, CHALLENGES["xero"]))[::2] == (200, b"")


async def test_worldline_endpoint_verification(make_apps: AppsFactory) -> None:
    status, _, body, stored = await answered(make_apps, "worldline")
    assert (status, body) == (200, b"f5a3d2c1") and stored["event"] == "endpoint verification"


async def test_slack_url_verification(make_apps: AppsFactory) -> None:
    status, _, body, stored = await answered(make_apps, "slack")
    assert (status, body) == (200, b"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P")
    assert stored["event"] == "url_verification"


@pytest.mark.parametrize("name", sorted(CHALLENGES))
async def test_without_the_secret_the_usual_answer_is_given(make_apps: AppsFactory,
                                                            name: str) -> None:
    apps = await make_apps(secrets=(SecretSpec("stripe", "whsec_other"),))
    status, _, body = await send(apps, CHALLENGES[name])
    stored = await recorded(apps)
    assert status == 200 and json.loads(body) == {"ok": True, "id": stored["id"]}


async def test_a_secret_for_other_paths_does_not_answer(make_apps: AppsFactory) -> None:
    apps = await make_apps(secrets=(SecretSpec("dropbox", SECRET, paths=("/elsewhere/*",)),))
    status, _, body = await send(apps, CHALLENGES["dropbox"])
    assert status == 200 and body != b"abc123"


@pytest.mark.parametrize("name", sorted(CHALLENGES))
async def test_a_forwarding_inspector_passes_the_handshake_on(make_apps: AppsFactory,
                                                              aiohttp_server: Any,
                                                              name: str) -> None:
    challenge = CHALLENGES[name]
    upstream = Upstream()
    server = await aiohttp_server(upstream.app())
    apps = await make_apps(forward=f"http://127.0.0.1:{server.port}",
                           secrets=(SecretSpec(challenge.provider, SECRET,
                                               options=challenge.options),))
    await send(apps, challenge)
    (seen,) = upstream.seen
    assert seen.path_qs == challenge.target and seen.body == challenge.body
    assert (await recorded(apps))["response"]["source"] == "forward"
