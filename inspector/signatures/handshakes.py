"""Challenge handshakes: the requests providers make to prove an endpoint before they deliver,
and the answers they expect. Pure: a request and a configured key in, an answer (or None) out.

The only secret-derived value an answer carries is the HMAC the provider asks for (Zoom's
encryptedToken, X's response_token); a configured secret or verify token is never echoed.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable

from ._api import Delivery, Handshake, Key, Scheme
from ._hmac import HmacScheme, hmac_digest, same

JSON = (("Content-Type", "application/json"),)
# Dropbox asks for these on its echo, against a reflected XSS (and they suit every echo).
PLAIN = (("Content-Type", "text/plain; charset=utf-8"), ("X-Content-Type-Options", "nosniff"))


# (the scheme whose secret is configured, the request, that secret, now) -> answer or None
Answerer = Callable[[HmacScheme, Delivery, Key, float], Handshake | None]


def answers_handshakes(scheme: Scheme) -> bool:
    return isinstance(scheme, HmacScheme) and scheme.answers_handshakes


def handshake(scheme: Scheme, delivery: Delivery, key: Key, now: float) -> Handshake | None:
    """The answer a scheme's provider expects to this request, when it is a handshake."""
    return scheme.handshake(delivery, key, now) if isinstance(scheme, HmacScheme) else None


def query_value(delivery: Delivery, name: str) -> str | None:
    return next((value for key, value in delivery.query_params if key == name), None)


def signed_now(scheme: HmacScheme, delivery: Delivery, key: Key, now: float) -> bool:
    """The request's own signature is valid and fresh: a handshake answered only then cannot be
    used by anybody else (to have the secret sign a chosen string, for Zoom)."""
    return scheme.verify(delivery, key, now, False).status == "valid"


def echo(event: str, value: str) -> Handshake:
    return Handshake(event, 200, PLAIN, value.encode("utf-8"))


def zoom_url_validation(scheme: HmacScheme, delivery: Delivery, key: Key,
                        now: float) -> Handshake | None:
    """developers.zoom.us/docs/api/webhooks/#validate-your-webhook-endpoint: a POST of
    `endpoint.url_validation` with `payload.plainToken`; the answer is the token and its hex
    HMAC-SHA256 with the secret token. Answered only when the request's own signature is valid,
    as Zoom's sample app does."""
    if delivery.method != "POST" or delivery.body_field("event") != "endpoint.url_validation":
        return None
    token = delivery.body_field("payload", "plainToken")
    if not isinstance(token, str) or not signed_now(scheme, delivery, key, now):
        return None
    encrypted = hmac_digest(scheme.key_bytes(key), token.encode("utf-8"), "sha256").hex()
    body = json.dumps({"plainToken": token, "encryptedToken": encrypted}).encode()
    return Handshake("endpoint.url_validation", 200, JSON, body)


def twitter_crc(scheme: HmacScheme, delivery: Delivery, key: Key,
                now: float) -> Handshake | None:
    """docs.x.com/x-api/webhooks/quickstart (the CRC check): a GET with `crc_token`; the answer
    is `{"response_token": "sha256=" + base64 HMAC-SHA256(consumer secret, crc_token)}`."""
    token = query_value(delivery, "crc_token") if delivery.method == "GET" else None
    if token is None:
        return None
    digest = hmac_digest(scheme.key_bytes(key), token.encode("utf-8"), "sha256")
    response = "sha256=" + base64.b64encode(digest).decode("ascii")
    return Handshake("crc", 200, JSON, json.dumps({"response_token": response}).encode())


def meta_subscribe(scheme: HmacScheme, delivery: Delivery, key: Key,
                   now: float) -> Handshake | None:
    """developers.facebook.com/docs/graph-api/webhooks/getting-started (verification requests):
    a GET with `hub.mode=subscribe`, `hub.challenge` and `hub.verify_token`; the challenge is
    echoed when the verify token is the one set in the App Dashboard (the secret's
    `verify_token` option), and 403 is the answer otherwise."""
    if delivery.method != "GET" or query_value(delivery, "hub.mode") != "subscribe":
        return None
    challenge = query_value(delivery, "hub.challenge")
    if challenge is None:
        return None
    expected = key.options.get("verify_token")
    received = query_value(delivery, "hub.verify_token") or ""
    if not isinstance(expected, str) or not expected:
        reason = (f"no verify_token is configured for {scheme.name}: add verify_token = \"…\" "
                  "(the App Dashboard's Verify Token) to its [[secrets]] entry")
        return Handshake("hub.challenge", 403, PLAIN, reason.encode())
    if not same(received, expected):
        reason = f"hub.verify_token does not match the verify_token configured for {scheme.name}"
        return Handshake("hub.challenge", 403, PLAIN, reason.encode())
    return echo("hub.challenge", challenge)


def dropbox_challenge(scheme: HmacScheme, delivery: Delivery, key: Key,
                      now: float) -> Handshake | None:
    """dropbox.com/developers/reference/webhooks (the verification request): a GET with
    `challenge`, echoed as text/plain with X-Content-Type-Options: nosniff."""
    challenge = query_value(delivery, "challenge") if delivery.method == "GET" else None
    return None if challenge is None else echo("challenge", challenge)


def xero_intent_to_receive(scheme: HmacScheme, delivery: Delivery, key: Key,
                           now: float) -> Handshake | None:
    """developer.xero.com/documentation/webhooks/configuring-your-server (intent to receive):
    POSTs of `{"events": [], …, "entropy": …}`, some signed correctly and some not; the answer
    is 200 to the first and 401 to the others, with no body."""
    payload = delivery.payload
    if delivery.method != "POST" or not isinstance(payload, dict):
        return None
    if payload.get("events") != [] or "entropy" not in payload:
        return None
    status = 200 if scheme.signature_matches(delivery, key) else 401
    return Handshake("intent to receive", status, (), b"")


def worldline_verification(scheme: HmacScheme, delivery: Delivery, key: Key,
                           now: float) -> Handshake | None:
    """docs.connect.worldline-solutions.com/documentation/webhooks: a GET whose
    X-GCS-Webhooks-Endpoint-Verification header value is echoed in the body."""
    value = delivery.headers.get("X-GCS-Webhooks-Endpoint-Verification")
    if delivery.method != "GET" or value is None:
        return None
    return echo("endpoint verification", value)


def slack_url_verification(scheme: HmacScheme, delivery: Delivery, key: Key,
                           now: float) -> Handshake | None:
    """api.slack.com/events/url_verification: a POST of `{"type": "url_verification",
    "challenge": …}`; once the request's authenticity is verified, the challenge is the answer
    (plain text is accepted)."""
    if delivery.method != "POST" or delivery.body_field("type") != "url_verification":
        return None
    challenge = delivery.body_field("challenge")
    if not isinstance(challenge, str) or not signed_now(scheme, delivery, key, now):
        return None
    return echo("url_verification", challenge)
