"""Standard Webhooks and Svix: `v1,<base64>` HMAC-SHA256 or `v1a,<base64>` Ed25519 signatures.

github.com/standard-webhooks/standard-webhooks spec/standard-webhooks.md; docs.svix.com.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from collections.abc import Iterator

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ..models import Verdict
from ._api import (
    Delivery,
    Identity,
    Key,
    Sending,
    Signed,
    SignInput,
    identity,
    missing_header,
    signed,
    text,
    verdict,
)
from ._hmac import HmacScheme, Parts, Received, Timing, b64decode_loose, fill, short


class StandardWebhooks(HmacScheme):
    sending = Sending(new_secret=lambda: "whsec_" + base64.b64encode(
        secrets.token_bytes(32)).decode())
    name = "standard-webhooks"
    aliases: tuple[str, ...] = ("standard",)
    id_header = "webhook-id"
    timestamp_header = "webhook-timestamp"
    signature_header = "webhook-signature"
    marker_headers: tuple[str, ...] = ("webhook-signature", "webhook-id")
    encoding = "base64"
    template = "{id}.{timestamp}.{body}"
    tolerance_s = 300
    secret_hint = "the whsec_ secret (base64-decoded after the prefix) or a whpk_ public key"

    def key_bytes(self, key: Key) -> bytes:
        secret = key.secret.strip()
        for prefix in ("whsec_", "whsk_", "whpk_"):
            if secret.startswith(prefix):
                secret = secret[len(prefix):]
        try:
            return b64decode_loose(secret)
        except (binascii.Error, ValueError):
            return secret.encode()

    def alternative_keys(self, key: Key) -> Iterator[tuple[bytes, str]]:
        yield key.secret.encode(), "the whole secret used as UTF-8 text (it must be " \
                                   "base64-decoded after 'whsec_')"

    def read(self, delivery: Delivery) -> Received | Verdict:
        headers = delivery.headers
        for needed in (self.signature_header, self.id_header or "", self.timestamp_header or ""):
            if needed not in headers:
                return missing_header(self.name, needed)
        raw = headers.get(self.signature_header) or ""
        signatures = [item.strip() for item in raw.split(" ") if item.strip()]
        if not all("," in item for item in signatures):
            return verdict(self.name, "malformed",
                           f"{self.signature_header} must be a space-separated list of "
                           f"'v1,<base64>' values, got '{short(raw, 12)}'",
                           header=self.signature_header, received=short(raw))
        return Received(self.signature_header, signatures, raw, self.parts(delivery))

    def judge(self, received: Received, timing: Timing, key: Key, delivery: Delivery,
              explain: bool = True) -> Verdict:
        if key.secret.strip().startswith("whpk_"):
            return self.judge_ed25519(received, timing, key)
        # Only v1 entries are HMAC; v1a and unknown versions are ignored, as the libraries do.
        v1 = [item.split(",", 1)[1] for item in received.signatures if item.startswith("v1,")]
        return super().judge(Received(received.header, v1, received.raw, received.parts),
                             timing, key, delivery, explain)

    def judge_ed25519(self, received: Received, timing: Timing, key: Key) -> Verdict:
        details = {"header": received.header, "received": short(received.raw),
                   "timestamp_age_s": timing.age_s}
        try:
            public = Ed25519PublicKey.from_public_bytes(self.key_bytes(key))
        except ValueError:
            return verdict(self.name, "malformed", "the whpk_ key is not a 32-byte Ed25519 "
                           "public key in base64", **details)
        message = fill(self.template, received.parts)
        for item in received.signatures:
            if not item.startswith("v1a,"):
                continue
            try:
                public.verify(b64decode_loose(item[4:]), message)
            except (InvalidSignature, binascii.Error, ValueError):
                continue
            if timing.stale_reason:
                return verdict(self.name, "stale", f"signature matches, but "
                               f"{timing.stale_reason}", **details)
            return verdict(self.name, "valid", f"{received.header} v1a matches Ed25519 over "
                           "'{id}.{timestamp}.{body}'", **details)
        return verdict(self.name, "invalid", f"no v1a signature in {received.header} verifies "
                       "with this public key over '{id}.{timestamp}.{body}': other key, or the "
                       "id, timestamp or body changed after signing", **details)

    def identify(self, delivery: Delivery) -> Identity:
        event = text(delivery.body_field("type")) or text(delivery.body_field("eventType"))
        message_id = delivery.headers.get(self.id_header or "")
        return identity(self.name, event, message_id)

    def sign(self, key: Key, message: SignInput) -> Signed:
        timestamp = str(int(message.now))
        if key.secret.strip().startswith("whsk_"):
            private = Ed25519PrivateKey.from_private_bytes(self.key_bytes(key))
            to_sign = fill(self.template, self.parts_for(message, timestamp))
            value = "v1a," + base64.b64encode(private.sign(to_sign)).decode()
        else:
            expected = self.expected(self.key_bytes(key), self.parts_for(message, timestamp))
            value = "v1," + expected
        return signed(message, [(self.id_header or "", message.message_id),
                                (self.timestamp_header or "", timestamp),
                                (self.signature_header, value)])

    def parts_for(self, message: SignInput, timestamp: str) -> Parts:
        return Parts(body=message.body, timestamp=timestamp, id=message.message_id)


class Svix(StandardWebhooks):
    name = "svix"
    aliases: tuple[str, ...] = ()
    id_header = "svix-id"
    timestamp_header = "svix-timestamp"
    signature_header = "svix-signature"
    marker_headers: tuple[str, ...] = ("svix-signature", "svix-id")

    def read(self, delivery: Delivery) -> Received | Verdict:
        # Svix also sends the unbranded webhook-* headers; use them when svix-* are absent.
        if "svix-signature" not in delivery.headers and "webhook-signature" in delivery.headers:
            return _UNBRANDED.read(delivery)
        return super().read(delivery)


_UNBRANDED = StandardWebhooks()


class _Brand:
    """A provider that delivers through Svix or Standard Webhooks under its own name.

    Its requests carry its base scheme's headers and nothing of its own, so it marks none as its
    own: detection still says `svix` or `standard-webhooks`, and its secret verifies what those
    detect (`delivered_as`) or what arrives on the paths configured for it.
    """

    marker_headers: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    delivered_as = (Svix.name, StandardWebhooks.name)

    def __init__(self, name: str, source: str, secret_hint: str) -> None:
        self.name = name
        self.source = source  # where the provider documents that it signs this way
        self.secret_hint = secret_hint


class SvixBrand(_Brand, Svix):
    """Sends `svix-*` headers."""


class StandardBrand(_Brand, StandardWebhooks):
    """Sends the unbranded `webhook-*` headers."""


BRANDS: tuple[StandardWebhooks, ...] = (
    SvixBrand("clerk", "https://clerk.com/docs/reference/backend/verify-webhook (Standard "
              "Webhooks; svix-* headers mapped); @clerk/backend src/webhooks.ts",
              "the endpoint's signing secret (whsec_…, CLERK_WEBHOOK_SIGNING_SECRET)"),
    SvixBrand("resend", "https://resend.com/docs/webhooks/verify-webhooks-requests (svix-id, "
              "svix-timestamp, svix-signature; the Svix libraries)",
              "the webhook's signing secret (whsec_…)"),
    StandardBrand("replicate", "https://replicate.com/docs/topics/webhooks/verify-webhook "
                  "(webhook-id, webhook-timestamp, webhook-signature)",
                  "the signing secret (whsec_…, GET /v1/webhooks/default/secret)"),
)
