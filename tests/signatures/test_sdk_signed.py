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
from inspector.signatures import Delivery, Headers, Key, SignInput, get

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


async def test_castle_sdk(make_apps: AppsFactory) -> None:
    from types import SimpleNamespace

    from castle.webhooks.verify import WebhooksVerify

    secret = secrets.token_hex(16)
    body = json.dumps({"api_version": "v1", "type": "$incident.confirmed", "data": {"id": "1"}})
    theirs = WebhooksVerify._compute_signature(SimpleNamespace(data=body.encode()), secret)
    detail, verdicts = await captured_verdicts(make_apps, "castle", secret, "/castle",
                                               {"X-Castle-Signature": theirs}, body)
    assert [v["status"] for v in verdicts] == ["valid"], verdicts
    assert detail["provider"] == "castle" and detail["event"] == "$incident.confirmed"
    scheme = get("castle")
    assert scheme is not None
    ours = scheme.sign(Key(secret), SignInput(body.encode(), "https://x/", time.time(), "m"))
    WebhooksVerify.call(SimpleNamespace(headers=dict(ours.headers), data=ours.body),
                        SimpleNamespace(api_secret=secret))  # raises when it does not match


async def test_modern_treasury_sdk(make_apps: AppsFactory) -> None:
    from modern_treasury import ModernTreasury

    key = secrets.token_hex(16)
    webhooks = ModernTreasury(api_key="k", organization_id="o", webhook_key=key).webhooks
    body = json.dumps({"event": "completed", "data": {"id": "po_1"}})
    headers = {"X-Signature": webhooks.get_signature(body), "X-Webhook-ID": "whk_sdk_1"}
    # X-Signature marks no provider: a Modern Treasury secret is tied to its path.
    apps = await make_apps(secrets=(SecretSpec("modern-treasury", key, paths=("/mt",)),))
    response = await apps.hooks.post("/mt", data=body, headers=headers)
    detail = await (await apps.ui.get(f"/api/requests/{(await response.json())['id']}")).json()
    assert [v["status"] for v in detail["signatures"]] == ["valid"], detail["signatures"]
    scheme = get("modern_treasury")
    assert scheme is not None and scheme.identify(
        Delivery("POST", None, Headers(headers.items()), body.encode())).delivery_id == "whk_sdk_1"
    ours = scheme.sign(Key(key), SignInput(body.encode(), "https://x/", time.time(), "m"))
    assert webhooks.validate_signature(ours.body.decode(), dict(ours.headers), key=key)


def modern_treasury_delivery(key: str) -> tuple[str, dict[str, str]]:
    """A delivery with the headers Modern Treasury sends beside X-Signature (signed by its SDK)."""
    from modern_treasury import ModernTreasury

    webhooks = ModernTreasury(api_key="k", organization_id="o", webhook_key=key).webhooks
    body = json.dumps({"event": "completed", "data": {"id": "po_2", "object": "payment_order"}})
    return body, {"X-Signature": webhooks.get_signature(body), "X-Topic": "payment_order",
                  "X-Event-Id": "evt_mt_2", "X-Live": "false", "X-Webhook-ID": "whk_sdk_2",
                  "User-Agent": "ModernTreasury/Webhooks", "Content-Type": "application/json"}


async def test_a_modern_treasury_delivery_is_known_by_its_own_headers(
        make_apps: AppsFactory) -> None:
    """X-Signature is a generic name, but X-Topic and X-Live mark Modern Treasury's deliveries:
    a secret given no paths verifies them, and without one they are named unverified."""
    key = secrets.token_hex(16)
    body, headers = modern_treasury_delivery(key)
    detail, verdicts = await captured_verdicts(make_apps, "modern-treasury", key, "/anywhere",
                                               headers, body)
    assert [v["status"] for v in verdicts] == ["valid"], verdicts
    assert detail["provider"] == "modern-treasury" and detail["delivery_id"] == "whk_sdk_2"
    apps = await make_apps()
    response = await apps.hooks.post("/anywhere", data=body, headers=headers)
    detail = await (await apps.ui.get(f"/api/requests/{(await response.json())['id']}")).json()
    assert [(v["provider"], v["status"]) for v in detail["signatures"]] == \
        [("modern-treasury", "unverified")]


@pytest.mark.parametrize(("provider", "sdk"), [
    ("clerk", "svix"), ("resend", "svix"), ("replicate", "standardwebhooks")])
async def test_svix_brands_signed_by_their_sdk(make_apps: AppsFactory, provider: str,
                                               sdk: str) -> None:
    from standardwebhooks.webhooks import Webhook as StandardWebhook
    from svix.webhooks import Webhook as SvixWebhook

    secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    moment = datetime.now(UTC)
    prefix, webhook = ("svix", SvixWebhook) if sdk == "svix" else ("webhook", StandardWebhook)
    headers = {f"{prefix}-id": "msg_brand_1", f"{prefix}-timestamp": str(int(moment.timestamp())),
               f"{prefix}-signature": webhook(secret).sign("msg_brand_1", moment, BODY)}
    detail, verdicts = await captured_verdicts(make_apps, provider, secret, "/brand", headers,
                                               BODY)
    assert [(v["provider"], v["status"]) for v in verdicts] == [(provider, "valid")], verdicts
    assert detail["provider"] == ("svix" if sdk == "svix" else "standard-webhooks")


@pytest.mark.parametrize("provider", ["clerk", "resend", "replicate"])
def test_svix_sdks_accept_what_send_signs_for_the_brands(provider: str) -> None:
    from standardwebhooks.webhooks import Webhook as StandardWebhook
    from svix.webhooks import Webhook as SvixWebhook

    from inspector.send.sender import plan_delivery
    from inspector.send.signing_keys import signing_key

    from ..conftest import scheme_of

    now = time.time()
    key = signing_key(scheme_of(provider), None).signing
    delivery = plan_delivery(provider, None, "https://example.com/hook", None, now)
    signed = delivery.signed(key, now)
    headers = dict(delivery.headers(signed))
    webhook = StandardWebhook if provider == "replicate" else SvixWebhook
    webhook(key.secret).verify(signed.body.decode(), headers)  # raises unless it verifies
    with pytest.raises(Exception, match=r"(?i)signature"):
        webhook(key.secret).verify(signed.body.decode() + " ", headers)


def test_orb_sdk_verifies_what_orb_signs() -> None:
    import orb

    from inspector.signatures import Key, SignInput

    from ..conftest import scheme_of

    secret = secrets.token_urlsafe(24)
    client = orb.Orb(api_key="unused", webhook_secret=secret)
    message = SignInput(body=BODY.encode(), url="https://example.com/orb", now=time.time(),
                        message_id="evt_orb_1")
    headers = dict(scheme_of("orb").sign(Key(secret), message).headers)
    assert client.webhooks.verify_signature(BODY, headers) is None
    with pytest.raises(ValueError, match="signatures match"):
        client.webhooks.verify_signature(BODY + " ", headers)


async def test_orb_delivery_checked_by_its_sdk_verifies_at_capture(
        make_apps: AppsFactory) -> None:
    import hashlib
    import hmac

    import orb

    secret = secrets.token_urlsafe(24)
    stamp = datetime.now(UTC).isoformat()
    signature = hmac.new(secret.encode(), f"v1:{stamp}:{BODY}".encode(), hashlib.sha256)
    headers = {"X-Orb-Timestamp": stamp, "X-Orb-Signature": "v1=" + signature.hexdigest()}
    orb.Orb(api_key="unused", webhook_secret=secret).webhooks.verify_signature(BODY, headers)
    detail, verdicts = await captured_verdicts(make_apps, "orb", secret, "/orb", headers, BODY)
    assert [v["status"] for v in verdicts] == ["valid"], verdicts
    assert detail["provider"] == "orb" and detail["event"] == "invoice.paid"


async def test_worldline_connect_sdk_validates_what_we_sign(make_apps: AppsFactory) -> None:
    from worldline.connect.sdk.communication.request_header import RequestHeader
    from worldline.connect.sdk.webhooks.in_memory_secret_key_store import InMemorySecretKeyStore
    from worldline.connect.sdk.webhooks.signature_validation_exception import (
        SignatureValidationException,
    )
    from worldline.connect.sdk.webhooks.signature_validator import SignatureValidator

    scheme = get("worldline")
    assert scheme is not None
    secret, key_id = secrets.token_urlsafe(24), "key-1"
    body = json.dumps({"apiVersion": "v1", "id": "evt_wl_1", "type": "payment.paid",
                       "payment": {"id": "000002", "status": "PAID"}}).encode()
    signed = scheme.sign(Key(secret), SignInput(body, "https://example.com/wl", time.time(),
                                                "evt_wl_1"))
    headers = dict(signed.headers) | {"X-GCS-KeyId": key_id, "Content-Type": "application/json"}
    InMemorySecretKeyStore.instance().store_secret_key(key_id, secret)
    validator = SignatureValidator(InMemorySecretKeyStore.instance())
    validator.validate(body, [RequestHeader(name, value) for name, value in headers.items()])
    with pytest.raises(SignatureValidationException):
        validator.validate(body + b" ", [RequestHeader(n, v) for n, v in headers.items()])
    detail, verdicts = await captured_verdicts(make_apps, "worldline", secret, "/wl", headers,
                                               body)
    assert [v["status"] for v in verdicts] == ["valid"], verdicts
    assert detail["provider"] == "worldline" and detail["event"] == "payment.paid"


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


def sdk_signed(provider: str, secret: str, body: bytes, url: str,
               content_type: str = "application/json") -> dict[str, str]:
    """The headers our scheme signs `body` with, as the SDK under test receives them."""
    from inspector.signatures import Key, SignInput, get

    scheme = get(provider)
    assert scheme is not None
    message = SignInput(body=body, url=url, now=time.time(), message_id="msg_1",
                        content_type=content_type)
    return dict(scheme.sign(Key(secret), message).headers)


async def test_pusher_sdk(make_apps: AppsFactory) -> None:
    from pusher import Pusher
    from pusher.signature import sign

    secret = secrets.token_hex(10)
    body = json.dumps({"time_ms": int(time.time() * 1000),
                       "events": [{"name": "channel_occupied", "channel": "orders"}]})
    headers = {"X-Pusher-Key": "app-key", "X-Pusher-Signature": sign(secret, body),
               "Content-Type": "application/json"}
    detail, verdicts = await captured_verdicts(make_apps, "pusher", secret, "/pusher", headers,
                                               body)
    assert [v["status"] for v in verdicts] == ["valid"], verdicts
    assert detail["provider"] == "pusher" and detail["event"] == "channel_occupied"
    ours = sdk_signed("pusher", secret, body.encode(), "https://example.com/pusher")
    client = Pusher(app_id="1", key="app-key", secret=secret)
    assert client.validate_webhook("app-key", ours["X-Pusher-Signature"], body) is not None


async def test_plivo_sdk_v3(make_apps: AppsFactory) -> None:
    from urllib.parse import urlencode

    from plivo.utils.signature_v3 import (
        construct_post_url,
        get_signature_v3,
        validate_v3_signature,
    )

    token = secrets.token_hex(16)
    public = "https://abc.ngrok.app/plivo?flow=sms"
    params = {"MessageUUID": "db3ce55a-7f1d", "Status": "delivered", "To": "14155550111"}
    nonce = "05429567804466091622"
    signature = get_signature_v3(token.encode(), construct_post_url(public, dict(params)).decode(),
                                 nonce.encode()).decode()
    headers = {"X-Plivo-Signature-V3": signature, "X-Plivo-Signature-V3-Nonce": nonce,
               "Content-Type": "application/x-www-form-urlencoded",
               "X-Forwarded-Proto": "https", "X-Forwarded-Host": "abc.ngrok.app"}
    detail, verdicts = await captured_verdicts(make_apps, "plivo", token, "/plivo?flow=sms",
                                               headers, urlencode(params))
    assert [v["status"] for v in verdicts] == ["valid"], verdicts
    assert detail["provider"] == "plivo" and detail["event"] == "delivered"
    ours = sdk_signed("plivo", token, urlencode(params).encode(), public,
                      "application/x-www-form-urlencoded")
    assert validate_v3_signature("POST", public, ours["X-Plivo-Signature-V3-Nonce"], token,
                                 ours["X-Plivo-Signature-V3"], dict(params))


async def test_hubspot_sdk_v3(make_apps: AppsFactory) -> None:
    from hubspot.utils.signature import Signature

    secret = secrets.token_hex(16)
    public = "https://abc.ngrok.app/hubspot"
    body = json.dumps([{"eventId": 7, "subscriptionType": "contact.creation", "objectId": 1}])
    timestamp = str(int(time.time() * 1000))
    signature = Signature.get_signature(secret, body, "v3", public, "POST", timestamp)
    headers = {"X-HubSpot-Signature-v3": signature, "X-HubSpot-Request-Timestamp": timestamp,
               "Content-Type": "application/json",
               "X-Forwarded-Proto": "https", "X-Forwarded-Host": "abc.ngrok.app"}
    detail, verdicts = await captured_verdicts(make_apps, "hubspot", secret, "/hubspot", headers,
                                               body)
    assert [v["status"] for v in verdicts] == ["valid"], verdicts
    assert detail["event"] == "contact.creation" and detail["delivery_id"] == "7"
    ours = sdk_signed("hubspot", secret, body.encode(), public)
    assert Signature.is_valid(ours["X-HubSpot-Signature-v3"], secret, body, public, "POST", "v3",
                              ours["X-HubSpot-Request-Timestamp"])
    assert Signature.is_valid(ours["X-HubSpot-Signature"], secret, body, signature_version="v1")
    legacy = {"X-HubSpot-Signature": Signature.get_signature(secret, body, "v2", public, "POST"),
              "X-HubSpot-Signature-Version": "v2", "Content-Type": "application/json",
              "X-Forwarded-Proto": "https", "X-Forwarded-Host": "abc.ngrok.app"}
    _, verdicts = await captured_verdicts(make_apps, "hubspot", secret, "/hubspot", legacy, body)
    assert [v["status"] for v in verdicts] == ["valid"], verdicts


@pytest.mark.parametrize("escaped", [False, True], ids=["raw", "non-ascii-escaped"])
async def test_box_sdk(make_apps: AppsFactory, escaped: bool) -> None:
    from box_sdk_gen.internal.utils import compute_webhook_signature
    from box_sdk_gen.managers.webhooks import WebhooksManager

    primary, secondary = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    body = json.dumps({"type": "webhook_event", "id": "eb0c4e06", "trigger": "FILE.UPLOADED",
                       "source": {"name": "Prüfbericht €.pdf"}}, ensure_ascii=False)
    headers = {"box-delivery-timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
               "box-signature-version": "1", "box-signature-algorithm": "HmacSHA256",
               "box-delivery-id": "673a081b", "Content-Type": "application/json"}
    headers["box-signature-secondary"] = compute_webhook_signature(
        body, headers, secondary, escape_body=escaped)
    detail, verdicts = await captured_verdicts(make_apps, "box", secondary, "/box", headers,
                                               body.encode())
    assert [v["status"] for v in verdicts] == ["valid"], verdicts
    assert detail["event"] == "FILE.UPLOADED" and detail["delivery_id"] == "673a081b"
    ours = sdk_signed("box", primary, body.encode(), "https://example.com/box")
    assert WebhooksManager.validate_message(
        body, {**{k.lower(): v for k, v in ours.items()}, "box-signature-version": "1",
               "box-signature-algorithm": "HmacSHA256"}, primary)
