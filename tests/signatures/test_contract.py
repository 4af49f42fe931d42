"""Every registered scheme signs what it verifies: sign, valid; tamper, invalid; late, stale."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from inspector.signatures import SCHEMES, Delivery, Headers, Key, Scheme, Signed, SignInput

from .keys import ed25519_standard_keys, signing_and_verifying_keys

NOW = 1_767_225_600.0
# Schemes whose signature does not cover the body; tampering goes after what they do sign.
TOKEN_SCHEMES = {"telegram", "gitlab", "okta"}
# A provider that publishes no scheme declares so (Bondio's and TeleBotHost's are verified by
# discovery only).
SIGNABLE = [scheme for scheme in SCHEMES if scheme.sending.published]
UNSIGNABLE = [scheme for scheme in SCHEMES if not scheme.sending.published]


def body_for(scheme: Scheme) -> bytes:
    document = {"id": "evt_1", "type": "test.event", "event": "auth.confirmed",
                "webhookTimestamp": int(NOW * 1000), "time_ms": int(NOW * 1000), "update_id": 1}
    return json.dumps(document).encode()


def delivered(signed: Signed, method: str = "POST") -> Delivery:
    headers = Headers([("Content-Type", "application/json"), *signed.headers])
    return Delivery(method, signed.url, headers, signed.body)


def sign(scheme: Scheme, key: Key) -> Signed:
    message = SignInput(body=body_for(scheme), url="https://example.com/webhooks?x=1", now=NOW,
                        message_id="msg_0001")
    return scheme.sign(key, message)


def tamper(scheme: Scheme, signed: Signed) -> Signed:
    if scheme.name in TOKEN_SCHEMES:
        return replace(signed, headers=[(n, v + "x") for n, v in signed.headers])
    if scheme.name == "sns":  # the body is the signed message: change a signed field
        document = json.loads(signed.body)
        document["Message"] += "x"
        return replace(signed, body=json.dumps(document).encode())
    if scheme.name == "mailgun":
        document = json.loads(signed.body)
        document["signature"]["token"] += "x"
        return replace(signed, body=json.dumps(document).encode())
    if scheme.name == "adyen":  # the signed fields of each item, not the whole body
        document = json.loads(signed.body)
        document["notificationItems"][0]["NotificationRequestItem"]["pspReference"] = "x"
        return replace(signed, body=json.dumps(document).encode())
    if scheme.name == "braintree":  # a form: the signed bt_payload, not a field's name
        return replace(signed, body=signed.body.replace(b"bt_payload=", b"bt_payload=x"))
    body = bytearray(signed.body)
    body[2] ^= 0x01
    return replace(signed, body=bytes(body))


@pytest.mark.parametrize("scheme", SIGNABLE, ids=lambda scheme: scheme.name)
def test_sign_then_verify_then_tamper_then_late(scheme: Scheme) -> None:
    signing_key, verifying_key = signing_and_verifying_keys(scheme.name)
    signed = sign(scheme, signing_key)
    assert scheme.verify(delivered(signed), verifying_key, NOW).status == "valid"
    tampered = scheme.verify(delivered(tamper(scheme, signed)), verifying_key, NOW)
    assert tampered.status == "invalid", tampered.reason
    tolerance = getattr(scheme, "tolerance_s", None)
    if tolerance is not None:
        late = scheme.verify(delivered(signed), verifying_key, NOW + tolerance + 1)
        assert late.status == "stale", late.reason
        assert late.timestamp_age_s is not None and late.timestamp_age_s > tolerance


@pytest.mark.parametrize("scheme", UNSIGNABLE, ids=lambda scheme: scheme.name)
def test_a_scheme_that_is_not_published_refuses_to_sign(scheme: Scheme) -> None:
    with pytest.raises(NotImplementedError, match="not published"):
        sign(scheme, Key("any-key"))


def test_bondio_and_telebothost_declare_their_schemes_unpublished() -> None:
    assert {"bondio", "telebothost"} <= {scheme.name for scheme in UNSIGNABLE}


def test_standard_webhooks_v1a_round_trip() -> None:
    scheme = next(s for s in SCHEMES if s.name == "standard-webhooks")
    private, public = ed25519_standard_keys()
    signed = sign(scheme, private)
    assert scheme.verify(delivered(signed), public, NOW).status == "valid"
    assert scheme.verify(delivered(tamper(scheme, signed)), public, NOW).status == "invalid"


def test_every_spec_provider_is_registered() -> None:
    names = {scheme.name for scheme in SCHEMES}
    assert names >= {"bondify", "primebot", "bondio", "standard-webhooks", "svix", "stripe",
                     "github", "gitlab", "bitbucket", "slack", "shopify", "twilio", "telegram",
                     "discord", "square", "paddle", "sendgrid", "mailgun", "zoom", "linear",
                     "intercom", "typeform", "twitch", "hmac"}
