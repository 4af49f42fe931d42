"""Stripe and Paddle: a header of key=value pairs carrying a timestamp and several signatures."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

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
from ._hmac import HmacScheme, Parts, Received, short


class KeyedHeaderScheme(HmacScheme):
    """`t=<ts>,v1=<hex>,v1=<hex>`: any signature of the known version may match (key rotation)."""

    separator = ","
    timestamp_key = "t"
    signature_key = "v1"
    id_field = "id"
    event_field = "type"

    def read(self, delivery: Delivery) -> Received | Verdict:
        header = self.signature_header
        raw = delivery.headers.get(header)
        if raw is None:
            return missing_header(self.name, header)
        pairs = [item.strip().partition("=") for item in raw.split(self.separator)]
        timestamps = [value for key, _, value in pairs if key == self.timestamp_key]
        signatures = [value for key, _, value in pairs if key == self.signature_key]
        if not timestamps or not signatures:
            lacking = "timestamp" if not timestamps else f"{self.signature_key} signature"
            return verdict(self.name, "malformed", f"{header} has no {lacking} "
                           f"('{self.timestamp_key}=…{self.separator}{self.signature_key}=…' "
                           "expected)", header=header, received=short(raw))
        return Received(header, signatures, raw, self.parts(delivery, timestamps[0]))

    def identify(self, delivery: Delivery) -> Identity:
        delivery_id = text(delivery.body_field(self.id_field))
        return identity(self.name, text(delivery.body_field(self.event_field)), delivery_id)

    def sign(self, key: Key, message: SignInput) -> Signed:
        timestamp = self.signing_timestamp(message.now)
        signature = self.expected(self.key_bytes(key), Parts(body=message.body,
                                                             timestamp=timestamp))
        value = f"{self.timestamp_key}={timestamp}{self.separator}{self.signature_key}={signature}"
        return signed(message, [(self.signature_header, value)])


class Stripe(KeyedHeaderScheme):
    """docs.stripe.com/webhooks#verify-manually; stripe-python WebhookSignature.

    The key is the whole `whsec_…` string as UTF-8; `v0` signatures (test mode) are ignored; the
    SDK rejects only old timestamps.
    """

    name = "stripe"
    marker_headers = ("Stripe-Signature",)
    signature_header = "Stripe-Signature"
    template = "{timestamp}.{body}"
    tolerance_s = 300
    reject_future = False
    secret_hint = "the endpoint's whsec_ signing secret, used verbatim"
    sending = Sending(new_secret=lambda: "whsec_" + secrets.token_hex(16), json_indent=2)

    def alternative_keys(self, key: Key) -> Iterator[tuple[bytes, str]]:
        for other, how in super().alternative_keys(key):
            yield other, how + " (Stripe uses the whole whsec_ string as the key)"


class Paddle(KeyedHeaderScheme):
    """developer.paddle.com/webhooks/signature-verification; paddle-python-sdk Verifier.

    `ts=<unix>;h1=<hex>` over `{ts}:{body}` with the `pdl_ntf_…` key as-is; the SDK allows 5 s.
    """

    name = "paddle"
    marker_headers = ("Paddle-Signature",)
    signature_header = "Paddle-Signature"
    separator = ";"
    timestamp_key = "ts"
    signature_key = "h1"
    template = "{timestamp}:{body}"
    tolerance_s = 5
    reject_future = False
    id_field = "event_id"
    event_field = "event_type"
    secret_hint = "the notification destination's secret key (pdl_ntf_…), used verbatim"
