"""`send` and `events`: documented sample events, signed so that verifiers accept them, and each
provider's retry policy (checked with a fake clock, and once end to end)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from inspector.config import ResponseSpec, Rule, SecretSpec
from inspector.outbound import client_session
from inspector.send.policies import POLICIES
from inspector.send.samples import EVENTS
from inspector.send.sender import Delivery, deep_merge, deliver, plan_delivery
from inspector.send.signing_keys import signing_key
from inspector.signatures import SCHEMES, Headers, detect, get
from inspector.signatures import Delivery as Received
from inspector.signatures.undocumented import UndocumentedScheme

from .conftest import AppsFactory, scheme_of

NOW = 1767225600.0


def test_bondify_events_have_exactly_the_documented_fields_and_types() -> None:
    confirmed = EVENTS["bondify"]["auth.confirmed"](NOW, "d")
    assert set(confirmed) == {"event", "session_token", "telegram_id", "telegram_name",
                              "telegram_username", "confirmed_at"}
    assert isinstance(confirmed, dict)
    assert confirmed["event"] == "auth.confirmed" and confirmed["confirmed_at"] == NOW * 1000
    assert isinstance(confirmed["telegram_id"], str)
    assert confirmed["telegram_username"] is None or isinstance(confirmed["telegram_username"], str)
    cancelled = EVENTS["bondify"]["auth.cancelled"](NOW, "d")
    assert cancelled == {"event": "auth.cancelled", "session_token": cancelled["session_token"],
                         "cancelled_at": int(NOW * 1000)}


def test_primebot_and_bondio_events() -> None:
    assert list(EVENTS["primebot"]) == ["ping", "message.received", "message.sent",
                                        "message.failed", "campaign.started", "campaign.paused",
                                        "campaign.completed", "sender.replied"]
    for name, build in EVENTS["primebot"].items():
        payload = build(NOW, "d")
        assert isinstance(payload, dict)
        assert set(payload) == {"id", "type", "created_at", "data"} and payload["type"] == name
    assert set(EVENTS["bondio"]) == {
        "subscription.activated", "subscription.allowance.thresholdBreached",
        "attachment.activated", "attachment.allowanceConsumed",
        "subscriptionV2.esim.locationChanged", "esim.smdp.stateChanged"}


def test_every_provider_has_a_sample_and_a_policy() -> None:
    """But those without a published scheme or a documented event shape (undocumented)."""
    names = {scheme.name for scheme in SCHEMES if not isinstance(scheme, UndocumentedScheme)}
    assert set(EVENTS) == names and set(POLICIES) == names


SIGNABLE = [name for name in EVENTS if scheme_of(name).sending.published]


def received(delivery: Delivery, signed: Any) -> Received:
    return Received("POST", signed.url, Headers(delivery.headers(signed)), signed.body)


@pytest.mark.parametrize("provider", SIGNABLE)
def test_each_sample_verifies_with_the_inspectors_own_check(provider: str) -> None:
    key = signing_key(scheme_of(provider), None)
    assert key.verifying is not None
    scheme = get(provider)
    assert scheme is not None
    for event in EVENTS[provider]:
        delivery = plan_delivery(provider, event, "https://example.com/hook", None, NOW)
        signed = delivery.signed(key.signing, NOW)
        verdict = scheme.verify(received(delivery, signed), key.verifying, NOW + 1)
        assert verdict.status == "valid", (event, verdict.reason)


@pytest.mark.parametrize("provider", SIGNABLE)
def test_each_providers_delivery_is_detected_as_that_provider(provider: str) -> None:
    """No scheme takes another's requests: what each sends, with its own headers, is its own.
    A scheme that marks none of its requests (the generic hmac; Svix's and Standard Webhooks'
    brands; a generic or shared signature header, whose secret is bound to paths instead) goes
    to the scheme whose own marker header it carries, or to none."""
    scheme = scheme_of(provider)
    key = signing_key(scheme, None)
    delivery = plan_delivery(provider, None, "https://example.com/hook", None, NOW)
    request = received(delivery, delivery.signed(key.signing, NOW))
    found = detect(request)
    if scheme.marker_headers or scheme.detect_body(request):
        assert found is not None and found.name == provider
    else:
        assert found is None or any(name in request.headers for name in found.marker_headers)


def test_bondio_cannot_be_signed_but_is_labelled() -> None:
    delivery = plan_delivery("bondio", "esim.smdp.stateChanged", "http://x/", None, NOW)
    with pytest.raises(NotImplementedError):
        delivery.signed(signing_key(scheme_of("bondio"), None).signing, NOW)


def test_data_merges_or_replaces() -> None:
    merged = deep_merge({"a": {"b": 1, "c": 2}, "d": 3}, {"a": {"b": 9}})
    assert merged == {"a": {"b": 9, "c": 2}, "d": 3}
    assert deep_merge({"a": 1}, [1, 2]) == [1, 2]
    delivery = plan_delivery("bondify", None, "http://x/", {"telegram_username": None}, NOW)
    assert json.loads(delivery.body)["telegram_username"] is None


def test_sdks_accept_what_send_signs() -> None:
    import stripe
    from slack_sdk.signature import SignatureVerifier
    from standardwebhooks.webhooks import Webhook as StandardWebhook
    from svix.webhooks import Webhook as SvixWebhook
    from twilio.request_validator import RequestValidator

    now = time.time()
    for provider in ("standard-webhooks", "svix", "stripe", "slack", "twilio"):
        key = signing_key(scheme_of(provider), None).signing
        delivery = plan_delivery(provider, None, "https://example.com/hook", None, now)
        signed = delivery.signed(key, now)
        headers = dict(delivery.headers(signed))
        body = signed.body.decode()
        if provider == "standard-webhooks":
            StandardWebhook(key.secret).verify(body, headers)
        elif provider == "svix":
            SvixWebhook(key.secret).verify(body, headers)
        elif provider == "stripe":
            stripe.WebhookSignature.verify_header(body, headers["Stripe-Signature"], key.secret,
                                                  300)
        elif provider == "slack":
            verifier = SignatureVerifier(key.secret)
            assert verifier.is_valid(body, headers["X-Slack-Request-Timestamp"],
                                     headers["X-Slack-Signature"])
        else:
            from urllib.parse import parse_qsl

            assert RequestValidator(key.secret).validate(
                signed.url, dict(parse_qsl(body)), headers["X-Twilio-Signature"])


async def test_retry_schedule_follows_the_policy_without_sleeping(
        make_apps: AppsFactory) -> None:
    apps = await make_apps(response=ResponseSpec(status=503, body="down"), max_requests=100)
    url = str(apps.hooks.make_url("/hooks"))
    waits: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        waits.append(seconds)

    for provider in ("primebot", "bondify", "slack", "github"):
        waits.clear()
        delivery = plan_delivery(provider, None, url, None, time.time())
        key = signing_key(scheme_of(provider), None).signing
        async with client_session() as session:
            attempts = await deliver(session, delivery, key, POLICIES[provider], True,
                                     sleep=fake_sleep)
        assert waits == list(POLICIES[provider].delays_s)
        assert [a.status for a in attempts] == [503] * (len(waits) + 1)
    assert POLICIES["primebot"].delays_s == (30, 120, 600, 3600, 21600, 86400)
    assert len(POLICIES["bondify"].delays_s) == 3 and POLICIES["bondify"].timeout_s == 10


async def test_retries_resend_the_same_delivery_until_it_succeeds(
        make_apps: AppsFactory) -> None:
    secret = "b" * 32
    fail_three = Rule(path="/hooks", times=3, response=ResponseSpec(status=500, body="no"))
    apps = await make_apps(rules=(fail_three,), secrets=(SecretSpec("bondify", secret),))
    delivery = plan_delivery("bondify", "auth.confirmed", str(apps.hooks.make_url("/hooks")),
                             None, time.time())

    async def no_wait(seconds: float) -> None:
        return None

    async with client_session() as session:
        key = signing_key(scheme_of("bondify"), secret).signing
        attempts = await deliver(session, delivery, key, POLICIES["bondify"], True,
                                 sleep=no_wait)
    assert [a.status for a in attempts] == [500, 500, 500, 200]
    stored = (await (await apps.ui.get("/api/requests")).json())["requests"]
    assert [r["signature"] for r in stored] == ["valid"] * 4
    assert [r["duplicate_of"] for r in stored] == [None, 1, 1, 1]
    bodies = {(await (await apps.ui.get(f"/api/requests/{r['id']}/raw")).read()) for r in stored}
    assert bodies == {delivery.body}


def test_send_command_end_to_end_against_a_target_failing_three_times(tmp_path: Path) -> None:
    from .cli_process import close, start

    (tmp_path / "inspector.toml").write_text(
        '[[rules]]\npath = "/webhooks/*"\nstatus = 500\ntimes = 3\n')
    secret = "s" * 32
    server = start("--hook", "0", "--ui", "0", "--secret", f"primebot={secret}", cwd=tmp_path)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "inspector", "send", "primebot", "message.received", "--to",
             server.hook_url + "/webhooks/primebot", "--secret", secret, "--retry",
             "--time-scale", "0.0001"], capture_output=True, text=True, timeout=60, cwd=tmp_path)
        assert result.returncode == 0, result.stdout + result.stderr
        lines = [line for line in result.stdout.splitlines() if line.startswith("attempt")]
        assert [line.split()[2] for line in lines] == ["500", "500", "500", "200"]
        assert "delivered on attempt 4" in result.stdout
        stored = server.api("/api/requests")["requests"]
        assert {r["delivery_id"] for r in stored} == {stored[0]["delivery_id"]}
        assert [r["signature"] for r in stored] == ["valid"] * 4
        failing = subprocess.run(
            [sys.executable, "-m", "inspector", "send", "github", "--to", "http://127.0.0.1:9/",
             "--retry"], capture_output=True, text=True, timeout=60, cwd=tmp_path)
        assert failing.returncode == 1 and "not delivered after 1 attempt" in failing.stdout
        unknown = subprocess.run([sys.executable, "-m", "inspector", "send", "nosuch", "--to",
                                  "http://x/"], capture_output=True, text=True, timeout=60)
        assert unknown.returncode == 2 and "unknown provider" in unknown.stderr
        listing = subprocess.run([sys.executable, "-m", "inspector", "events", "primebot"],
                                 capture_output=True, text=True, timeout=60)
        assert listing.returncode == 0 and "# sender.replied" in listing.stdout
    finally:
        close(server.process)
