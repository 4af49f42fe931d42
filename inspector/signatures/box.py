"""Box: two signatures, one per configured signature key (rotation), over the body followed by
the delivery's RFC 3339 timestamp.

developer.box.com/guides/webhooks/v2/signatures-v2: base64 HMAC-SHA256 of the body bytes and
then the BOX-DELIVERY-TIMESTAMP bytes, with the primary key (BOX-SIGNATURE-PRIMARY) or the
secondary key (BOX-SIGNATURE-SECONDARY); reject a timestamp older than ten minutes.
developer.box.com/guides/webhooks/v2: the headers, and that BOX-DELIVERY-ID changes on a retry
while the body's `id` stays.

Each configured key is checked against both headers, so either key may be configured (two
secrets for `box` are both tried, the best verdict counting). Box's own SDK (boxsdk 10.18.0,
box_sdk_gen WebhooksManager.validate_message) also accepts a signature over the body with its
backslashes doubled and every character outside printable ASCII written as a JSON \\u escape:
so does this scheme.
"""

from __future__ import annotations

import re
from datetime import datetime

from ..models import Verdict
from ._api import Delivery, Identity, Key, Sending, identity, iso_time, missing_header, text
from ._hmac import HmacScheme, Received, Timing, same

_UNESCAPED_BACKSLASH = re.compile(r"\\(?!/)")
_NOT_PRINTABLE_ASCII = re.compile(r"[^\x20-\x7e]")
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
PRIMARY = "BOX-SIGNATURE-PRIMARY"
SECONDARY = "BOX-SIGNATURE-SECONDARY"


def _box_headers(event: str, delivery_id: str, now: float) -> list[tuple[str, str]]:
    return [("BOX-DELIVERY-ID", delivery_id), ("BOX-SIGNATURE-VERSION", "1"),
            ("BOX-SIGNATURE-ALGORITHM", "HmacSHA256")]


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    encoded = char.encode("utf-16-be")  # two code units for a character beyond the BMP
    return "".join(f"\\u{encoded[i]:02x}{encoded[i + 1]:02x}" for i in range(0, len(encoded), 2))


def escaped_body(body: bytes) -> bytes:
    """The body as Box's SDK escapes it for its second comparison."""
    text = _UNESCAPED_BACKSLASH.sub(r"\\\\", body.decode("utf-8", "replace"))
    return _NOT_PRINTABLE_ASCII.sub(_escape, text).encode()


class Box(HmacScheme):
    name = "box"
    marker_headers = (PRIMARY, SECONDARY, "BOX-DELIVERY-ID")
    signature_header = PRIMARY
    timestamp_header = "BOX-DELIVERY-TIMESTAMP"
    encoding = "base64"
    template = "{body}{timestamp}"
    tolerance_s = 600
    reject_future = False  # the documentation checks only that it is not too old
    secret_hint = "the app's primary or secondary signature key"
    sending = Sending(headers=_box_headers)

    @property
    def signature_headers(self) -> tuple[str, ...]:
        return (PRIMARY, SECONDARY, "BOX-DELIVERY-TIMESTAMP")

    def read(self, delivery: Delivery) -> Received | Verdict:
        headers = delivery.headers
        found = [(name, value.strip()) for name in (PRIMARY, SECONDARY)
                 if (value := headers.get(name)) is not None]
        if not found:
            return missing_header(self.name, PRIMARY)
        header, raw = found[0]
        return Received(header, [value for _, value in found], raw, self.parts(delivery))

    def naming_the_match(self, received: Received, key: Key, delivery: Delivery) -> Received:
        """The header the key's signature is in, when it is there (the secondary, say)."""
        expected = self.expected(self.key_bytes(key), received.parts)
        for name in (PRIMARY, SECONDARY):
            value = delivery.headers.get(name)
            if value is not None and same(value.strip(), expected):
                return received._replace(header=name, raw=value)
        return received

    def judge(self, received: Received, timing: Timing, key: Key, delivery: Delivery,
              explain: bool = True) -> Verdict:
        received = self.naming_the_match(received, key, delivery)
        found = super().judge(received, timing, key, delivery, explain)
        escaped = escaped_body(received.parts.body)
        if found.status != "invalid" or escaped == received.parts.body:
            return found
        other = received._replace(parts=received.parts._replace(body=escaped))
        other = self.naming_the_match(other, key, delivery)
        again = super().judge(other, timing, key, delivery, explain=False)
        if again.status == "invalid":
            return found
        return again._replace(reason=again.reason + " (over the body with non-ASCII characters "
                                                    "escaped, as Box's SDK also accepts)")

    def signing_timestamp(self, now: float) -> str:
        return iso_time(now)

    def timestamp_seconds(self, received: Received, delivery: Delivery) -> float | None:
        stamp = received.parts.timestamp
        if not stamp:
            return None
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            raise ValueError("an RFC 3339 timestamp names its offset")
        return moment.timestamp()

    def identify(self, delivery: Delivery) -> Identity:
        # Retries carry a new BOX-DELIVERY-ID but the same body `id`: that is the delivery.
        return identity(self.name, text(delivery.body_field("trigger")),
                        delivery.headers.get("BOX-DELIVERY-ID"),
                        dedupe_on=text(delivery.body_field("id")))
