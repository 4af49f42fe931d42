"""HubSpot signs the public URL with the method, body and time (v3), and still sends its older
signatures (v1, v2) beside it; behind a tunnel the URL is rebuilt from X-Forwarded-Proto/-Host.

developers.hubspot.com/docs/apps/legacy-apps/authentication/validating-requests and
hubspot-api-client 12.0.0 `hubspot.utils.signature.Signature`:
- v3, X-HubSpot-Signature-v3: base64 HMAC-SHA256, with the app's client secret, of method + URI
  + body + X-HubSpot-Request-Timestamp (unix milliseconds); older than 5 minutes is rejected.
- v1 and v2, X-HubSpot-Signature with X-HubSpot-Signature-Version: hex SHA-256 (no HMAC, no
  time) of secret + body (v1) or secret + method + URI + body (v2); checked only when no v3
  signature came.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from urllib.parse import unquote

from ..models import Verdict
from ._api import (
    Delivery,
    Identity,
    Key,
    Signed,
    SignInput,
    identity,
    missing_header,
    text,
    verdict,
)
from ._hmac import HmacScheme, Received, same, short

LEGACY = "X-HubSpot-Signature"
LEGACY_VERSION = "X-HubSpot-Signature-Version"


def v1_signature(secret: str, body: bytes) -> str:
    return hashlib.sha256(secret.encode() + body).hexdigest()


def legacy_signature(secret: str, version: str, method: str, url: str, body: bytes) -> str | None:
    if version == "v1":
        return v1_signature(secret, body)
    if version == "v2":
        return hashlib.sha256((secret + method + url).encode() + body).hexdigest()
    return None


class HubSpot(HmacScheme):
    name = "hubspot"
    marker_headers = ("X-HubSpot-Signature-v3", "X-HubSpot-Request-Timestamp", LEGACY)
    signature_header = "X-HubSpot-Signature-v3"
    timestamp_header = "X-HubSpot-Request-Timestamp"
    encoding = "base64"
    template = "{method}{url}{body}{timestamp}"
    tolerance_s = 300
    reject_future = False  # the SDK rejects only old timestamps
    secret_hint = "the app's client secret"

    @property
    def signature_headers(self) -> tuple[str, ...]:
        return (self.signature_header, self.timestamp_header, LEGACY, LEGACY_VERSION)

    def signing_timestamp(self, now: float) -> str:
        return str(int(now * 1000))

    def timestamp_seconds(self, received: Received, delivery: Delivery) -> float | None:
        stamp = received.parts.timestamp
        return float(stamp) / 1000 if stamp else None

    def verify(self, delivery: Delivery, key: Key, now: float,
               explain: bool = True) -> Verdict:
        headers = delivery.headers
        if self.signature_header in headers or LEGACY not in headers:
            return super().verify(delivery, key, now, explain)
        return self.verify_legacy(delivery, key)

    def verify_legacy(self, delivery: Delivery, key: Key) -> Verdict:
        version = delivery.headers.get(LEGACY_VERSION)
        if version is None:
            return missing_header(self.name, LEGACY_VERSION)
        received = (delivery.headers.get(LEGACY) or "").strip()
        expected = legacy_signature(key.secret, version.strip(), delivery.method, delivery.url,
                                    delivery.body)
        if expected is None:
            return verdict(self.name, "malformed", f"{LEGACY_VERSION} {short(version)!r} is "
                           "neither v1 nor v2 (nor is there a v3 signature)", header=LEGACY_VERSION)
        what = "secret + body" if version.strip() == "v1" else "secret + method + URI + body"
        details = {"header": LEGACY, "received": short(received), "expected": short(expected)}
        if same(received, expected):
            return verdict(self.name, "valid", f"{LEGACY} matches SHA-256 of {what} "
                           f"({version.strip()}, which has no timestamp: a replay would match "
                           "too)", **details)
        return verdict(self.name, "invalid", f"{LEGACY} does not match SHA-256 of {what}: "
                       "wrong client secret, or the body or URL changed", **details)

    def diagnose(self, received: Received, key: Key) -> str:
        # Not in the SDK: a URL whose %-escapes were decoded before signing is named as such.
        decoded = unquote(received.parts.url)
        if decoded != received.parts.url:
            parts = received.parts._replace(url=decoded)
            if any(same(signature, self.expected(self.key_bytes(key), parts))
                   for signature in received.signatures):
                return f"it matches the URL with its %-escapes decoded ({short(decoded, 80)})"
        return super().diagnose(received, key)

    def identify(self, delivery: Delivery) -> Identity:
        events = delivery.payload
        first = events[0] if isinstance(events, list) and events else None
        if not isinstance(first, dict):
            return identity(self.name, None, None)
        return identity(self.name, text(first.get("subscriptionType")), text(first.get("eventId")))

    def sign(self, key: Key, message: SignInput) -> Signed:
        """v3, and v1 beside it as HubSpot's webhooks send it."""
        signed = super().sign(key, message)
        legacy = [(LEGACY, v1_signature(key.secret, message.body)), (LEGACY_VERSION, "v1")]
        return replace(signed, headers=[*signed.headers, *legacy])
