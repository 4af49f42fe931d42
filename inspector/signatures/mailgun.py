"""Mailgun: the signature travels in the body and covers only timestamp + token, not the body."""

from __future__ import annotations

import json
import math
from typing import Any

from ..models import Verdict
from ._api import SENDS_PLAINLY, Delivery, Identity, Key, Signed, SignInput, identity, text, verdict
from ._hmac import encode, hmac_digest, same, short


class Mailgun:
    """documentation.mailgun.com (securing webhooks): hex HMAC-SHA256 of timestamp+token.

    Mailgun recommends rejecting old timestamps and reused tokens; 5 minutes is used here.
    """
    detects_by_body = True  # see _registry.detect

    name = "mailgun"
    aliases = ()
    marker_headers: tuple[str, ...] = ()
    signature_headers = ("body: signature.timestamp, signature.token, signature.signature",)
    secret_hint = "the HTTP webhook signing key"
    sending = SENDS_PLAINLY
    tolerance_s = 300

    def block(self, delivery: Delivery) -> dict[str, Any] | None:
        signature = delivery.body_field("signature")
        if isinstance(signature, dict):
            return signature
        form = dict(delivery.form)
        if {"timestamp", "token", "signature"} <= form.keys():
            return form
        return None

    def detect_body(self, delivery: Delivery) -> bool:
        block = self.block(delivery)
        return block is not None and "token" in block and "timestamp" in block

    def verify(self, delivery: Delivery, key: Key, now: float,
               explain: bool = True) -> Verdict:
        block = self.block(delivery)
        where = "signature"
        if block is None or not all(k in block for k in ("timestamp", "token", "signature")):
            return verdict(self.name, "missing", "no signature {timestamp, token, signature} "
                           "in the body", header=where)
        timestamp, token, received = (str(block[k]) for k in ("timestamp", "token", "signature"))
        expected = encode(hmac_digest(key.secret.encode(), (timestamp + token).encode(),
                                      "sha256"), "hex")
        try:
            age = round(now - float(timestamp), 3)
            if not math.isfinite(age):
                raise ValueError(timestamp)
        except (ValueError, OverflowError):
            return verdict(self.name, "malformed", "signature.timestamp is not a number",
                           header=where)
        details = {"header": where, "received": short(received), "expected": short(expected),
                   "timestamp_age_s": age}
        if not same(received, expected):
            return verdict(self.name, "invalid", "signature.signature does not match HMAC-SHA256 "
                           "of timestamp+token: wrong signing key, or the token or timestamp "
                           "changed", **details)
        if age > self.tolerance_s:
            return verdict(self.name, "stale", f"signature matches, but it was made {age:.0f} s "
                           f"ago (more than {self.tolerance_s} s): a replayed delivery?",
                           **details)
        return verdict(self.name, "valid", "signature matches HMAC-SHA256 of timestamp+token "
                       "(Mailgun does not sign the event data itself)", **details)

    def identify(self, delivery: Delivery) -> Identity:
        block = self.block(delivery) or {}
        token = text(block.get("token"))
        event = text(delivery.body_field("event-data", "event")) or text(
            dict(delivery.form).get("event"))
        return identity("mailgun", event, token)

    def sign(self, key: Key, message: SignInput) -> Signed:
        """Mailgun signs inside the body: the JSON object gets a fresh `signature` block."""
        payload = json.loads(message.body)
        timestamp = str(int(message.now))
        signature = encode(hmac_digest(key.secret.encode(),
                                       f"{timestamp}{message.message_id}".encode(), "sha256"),
                           "hex")
        payload["signature"] = {"timestamp": timestamp, "token": message.message_id,
                                "signature": signature}
        return Signed([], json.dumps(payload, ensure_ascii=False).encode(), message.url)
