"""Hygraph (formerly GraphCMS): the signature covers a JSON envelope of the body, the
environment's name and the time, not the body alone.

github.com/hygraph/hygraph-utils index.js (npm @hygraph/utils, formerly @graphcms/utils;
`verifyWebhookSignature` and `generateWebhookSignature`, main branch): the gcms-signature header
is `sign=<base64>, env=<environment>, t=<unix ms>`; the signature is base64 HMAC-SHA256, with
the webhook's secret key, of JSON.stringify({Body: <raw body>, EnvironmentName, TimeStamp}).
The library checks no age.
"""

from __future__ import annotations

import json

from ..models import Verdict
from ._api import Delivery, Identity, Key, Signed, SignInput, identity, signed, text, verdict
from ._hmac import HmacScheme, Parts, Received, encode, hmac_digest, short

HEADER = "gcms-signature"


def envelope(body: bytes, environment: str, timestamp: int) -> bytes:
    """What JSON.stringify writes for the envelope: compact, keys in this order, non-ASCII
    characters as they are (Python escapes the same control characters JavaScript does)."""
    document = {"Body": body.decode("utf-8", "replace"), "EnvironmentName": environment,
                "TimeStamp": timestamp}
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()


class Hygraph(HmacScheme):
    name = "graphcms"
    aliases = ("hygraph",)
    marker_headers = (HEADER,)
    signature_header = HEADER
    encoding = "base64"
    secret_hint = "the webhook's secret key"

    def describe_payload(self) -> str:
        return "the JSON envelope {Body, EnvironmentName, TimeStamp}"

    def read(self, delivery: Delivery) -> Received | Verdict:
        raw = delivery.headers.get(HEADER)
        if raw is None:
            return super().read(delivery)  # the missing-header verdict
        fields = dict(item.strip().partition("=")[::2] for item in raw.split(","))
        sign, stamp = fields.get("sign"), fields.get("t", "")
        if not sign or "env" not in fields or not (stamp.isascii() and stamp.isdigit()
                                                   and len(stamp) <= 16):
            return verdict(self.name, "malformed", f"{HEADER} should be 'sign=…, env=…, t=…'",
                           header=HEADER, received=short(raw))
        # The environment's name rides in `id`: the envelope is built from Parts.
        parts = Parts(body=delivery.body, timestamp=stamp, id=fields["env"])
        return Received(HEADER, [sign], sign, parts)

    def expected(self, key: bytes, parts: Parts, algorithm: str | None = None,
                 encoding: str | None = None) -> str:
        message = envelope(parts.body, parts.id, int(parts.timestamp))
        return encode(hmac_digest(key, message, algorithm or self.algorithm),
                      encoding or self.encoding)

    def identify(self, delivery: Delivery) -> Identity:
        kind = text(delivery.body_field("data", "__typename"))
        operation = text(delivery.body_field("operation"))
        event = f"{kind}.{operation}" if kind and operation else operation
        return identity(self.name, event, None)  # data.id names the entry, not the delivery

    def sign(self, key: Key, message: SignInput) -> Signed:
        stamp = str(int(message.now * 1000))
        parts = Parts(body=message.body, timestamp=stamp, id="master")
        value = f"sign={self.expected(self.key_bytes(key), parts)}, env=master, t={stamp}"
        return signed(message, [(HEADER, value)])
