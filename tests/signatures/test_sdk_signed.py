"""Deliveries signed live by the providers' own SDKs verify at capture, through the real apps."""

from __future__ import annotations

import base64
import json
import secrets
import time
from datetime import UTC, datetime
from typing import Any

import pytest

from inspector.config import SecretSpec

from ..conftest import AppsFactory

BODY = json.dumps({"id": "evt_123", "type": "invoice.paid", "data": {"amount": 4200}})


async def captured_verdicts(make_apps: AppsFactory, provider: str, secret: str, path: str,
                            headers: dict[str, str], body: str | bytes,
                            ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    apps = await make_apps(secrets=(SecretSpec(provider, secret),))
    response = await apps.hooks.post(path, data=body, headers=headers)
    assert response.status == 200
    detail = await (await apps.ui.get(f"/api/requests/{(await response.json())['id']}")).json()
    return detail, detail["signatures"]


async def test_standardwebhooks_sdk(make_apps: AppsFactory) -> None:
    from standardwebhooks.webhooks import Webhook

    secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    moment = datetime.now(UTC)
    signature = Webhook(secret).sign("msg_sdk_1", moment, BODY)
    headers = {"webhook-id": "msg_sdk_1", "webhook-timestamp": str(int(moment.timestamp())),
               "webhook-signature": signature, "Content-Type": "application/json"}
    detail, verdicts = await captured_verdicts(make_apps, "standard-webhooks", secret, "/sw",
                                               headers, BODY)
    assert [v["status"] for v in verdicts] == ["valid"], verdicts
    assert detail["provider"] == "standard-webhooks"
    assert detail["delivery_id"] == "msg_sdk_1" and detail["event"] == "invoice.paid"


async def test_svix_sdk(make_apps: AppsFactory) -> None:
    from svix.webhooks import Webhook

    secret = "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()
    moment = datetime.now(UTC)
    signature = Webhook(secret).sign("msg_svix_1", moment, BODY)
    headers = {"svix-id": "msg_svix_1", "svix-timestamp": str(int(moment.timestamp())),
               "svix-signature": signature}
    detail, verdicts = await captured_verdicts(make_apps, "svix", secret, "/svix", headers, BODY)
    assert [v["status"] for v in verdicts] == ["valid"], verdicts
    assert detail["provider"] == "svix"


async def test_stripe_sdk(make_apps: AppsFactory) -> None:
    import stripe

    secret = "whsec_" + secrets.token_hex(16)
    timestamp = int(time.time())
    signature = stripe.WebhookSignature._compute_signature(f"{timestamp}.{BODY}", secret)
    headers = {"Stripe-Signature": f"t={timestamp},v1={signature}"}
    detail, verdicts = await captured_verdicts(make_apps, "stripe", secret, "/stripe", headers,
                                               BODY)
    assert [v["status"] for v in verdicts] == ["valid"], verdicts
    assert detail["event"] == "invoice.paid" and detail["delivery_id"] == "evt_123"
    assert stripe.WebhookSignature.verify_header(BODY, headers["Stripe-Signature"], secret, 300)


async def test_slack_sdk(make_apps: AppsFactory) -> None:
    from slack_sdk.signature import SignatureVerifier

    secret = secrets.token_hex(16)
    timestamp = str(int(time.time()))
    body = "token=x&team_id=T1&command=%2Fdeploy&text=now"
    signature = SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body)
    assert signature is not None
    headers = {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": signature,
               "Content-Type": "application/x-www-form-urlencoded"}
    detail, verdicts = await captured_verdicts(make_apps, "slack", secret, "/slack", headers, body)
    assert [v["status"] for v in verdicts] == ["valid"], verdicts
    assert detail["event"] == "/deploy"


@pytest.mark.parametrize("forwarded", [True, False], ids=["behind-tunnel", "direct"])
async def test_twilio_sdk_form(make_apps: AppsFactory, forwarded: bool) -> None:
    from twilio.request_validator import RequestValidator

    token = secrets.token_hex(16)
    params = {"From": "+15550001111", "Body": "hello", "MessageStatus": "received"}
    body = "&".join(f"{k}={v.replace('+', '%2B')}" for k, v in params.items())
    apps = await make_apps(secrets=(SecretSpec("twilio", token),))
    host = f"{apps.hooks.host}:{apps.hooks.port}"
    public = "https://abc.ngrok.app/sms?x=1" if forwarded else f"http://{host}/sms?x=1"
    headers = {"X-Twilio-Signature": RequestValidator(token).compute_signature(public, params),
               "Content-Type": "application/x-www-form-urlencoded"}
    if forwarded:
        headers |= {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "abc.ngrok.app"}
    response = await apps.hooks.post("/sms?x=1", data=body, headers=headers)
    detail = await (await apps.ui.get(f"/api/requests/{(await response.json())['id']}")).json()
    assert [v["status"] for v in detail["signatures"]] == ["valid"], detail["signatures"]
    assert detail["provider"] == "twilio" and detail["event"] == "received"


async def test_twilio_signed_for_the_public_url_but_tunnel_headers_lost(
        make_apps: AppsFactory) -> None:
    from twilio.request_validator import RequestValidator

    token = secrets.token_hex(16)
    apps = await make_apps(secrets=(SecretSpec("twilio", token),))
    host = f"{apps.hooks.host}:{apps.hooks.port}"
    signature = RequestValidator(token).compute_signature(f"https://{host}/sms", {"A": "1"})
    response = await apps.hooks.post("/sms", data="A=1", headers={
        "X-Twilio-Signature": signature, "Content-Type": "application/x-www-form-urlencoded"})
    detail = await (await apps.ui.get(f"/api/requests/{(await response.json())['id']}")).json()
    (verdict,) = detail["signatures"]
    assert verdict["status"] == "invalid"
    assert "https://" in verdict["reason"] and "X-Forwarded-Proto" in verdict["reason"]


def braintree_gateway(public_key: str, private_key: str) -> Any:
    import braintree

    return braintree.BraintreeGateway(braintree.Configuration(
        braintree.Environment.Sandbox, merchant_id="merchant", public_key=public_key,
        private_key=private_key))


# braintree warns about its own deprecated names when it is imported.
@pytest.mark.filterwarnings("ignore::DeprecationWarning:braintree")
async def test_braintree_sdk_signs_and_parses_ours(make_apps: AppsFactory) -> None:
    from urllib.parse import parse_qsl, urlencode

    import braintree

    from inspector.send.sender import plan_delivery
    from inspector.signatures import Key
    from inspector.signatures.embedded import BRAINTREE_PUBLIC_KEY

    private_key = secrets.token_hex(16)
    gateway = braintree_gateway("sdk_public_key", private_key)
    sample = gateway.webhook_testing.sample_notification(
        braintree.WebhookNotification.Kind.SubscriptionWentPastDue, "sub_sdk_1")
    body = urlencode([("bt_signature", sample["bt_signature"]),
                      ("bt_payload", sample["bt_payload"].decode())])
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    detail, verdicts = await captured_verdicts(make_apps, "braintree", private_key, "/bt",
                                               headers, body)
    assert [v["status"] for v in verdicts] == ["valid"], verdicts
    assert detail["provider"] == "braintree" and detail["event"] == "subscription_went_past_due"
    # And Braintree's SDK accepts what `send braintree` signs.
    delivery = plan_delivery("braintree", None, "https://example.com/bt", None, time.time())
    fields = dict(parse_qsl(delivery.signed(Key(private_key), time.time()).body.decode()))
    ours = braintree_gateway(BRAINTREE_PUBLIC_KEY, private_key).webhook_notification.parse(
        fields["bt_signature"], fields["bt_payload"])
    assert ours.kind == "subscription_went_past_due"


async def test_gocardless_sdk_accepts_ours_and_ours_accept_its_construction(
        make_apps: AppsFactory) -> None:
    from gocardless_pro import webhooks

    from inspector.send.sender import plan_delivery
    from inspector.signatures import Key

    secret = secrets.token_hex(16)
    delivery = plan_delivery("gocardless", None, "https://example.com/gc", None, time.time())
    signed = delivery.signed(Key(secret), time.time())
    (signature,) = [value for name, value in signed.headers if name == "Webhook-Signature"]
    (event,) = webhooks.parse(signed.body, secret, signature)  # raises on a mismatch
    assert event.action == "confirmed"
    apps = await make_apps(secrets=(SecretSpec("gocardless", secret, paths=("/gc",)),))
    response = await apps.hooks.post("/gc", data=signed.body, headers={
        "Webhook-Signature": signature, "Content-Type": "application/json"})
    detail = await (await apps.ui.get(f"/api/requests/{(await response.json())['id']}")).json()
    assert [(v["provider"], v["status"]) for v in detail["signatures"]] == \
        [("gocardless", "valid")]
