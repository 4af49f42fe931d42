"""Bondify, Prime Bot and Bondio: the providers this tool was first built for."""

from __future__ import annotations

from ..models import new_tuple
from ._api import Delivery, Identity, Sending, text
from ._hmac import HmacScheme


class Bondify(HmacScheme):
    """docs.bondify.dev/webhooks/verification: bare hex HMAC-SHA256 of the raw body."""
    detects_by_body = True  # see _registry.detect

    name = "bondify"
    marker_headers = ("X-Bondify-Signature",)
    signature_header = "X-Bondify-Signature"
    secret_hint = "the project Secret Key"

    def detect_body(self, delivery: Delivery) -> bool:
        event = delivery.body_field("event")
        return isinstance(event, str) and event.startswith("auth.") and \
            delivery.body_field("session_token") is not None

    def identify(self, delivery: Delivery) -> Identity:
        payload = delivery.payload  # its fields read here: no `body_field` frame each
        fields = payload if isinstance(payload, dict) else {}
        event = text(fields.get("event"))
        session = text(fields.get("session_token"))
        # Bondify documents no delivery id: the same event for the same session is a resend.
        key = f"bondify:{event}:{session}" if event and session else None
        # event, delivery_id, dedupe_key: made at once (no NamedTuple constructor frame)
        return new_tuple(Identity, (event, None, key))


class PrimeBot(HmacScheme):
    """prime-bot.live/docs/webhooks: `sha256=` hex of the raw body; the timestamp is not signed."""

    name = "primebot"
    aliases = ("prime-bot",)
    marker_headers = ("X-PrimeBot-Signature", "X-PrimeBot-Event", "X-PrimeBot-Delivery")
    signature_header = "X-PrimeBot-Signature"
    timestamp_header = "X-PrimeBot-Timestamp"
    id_header = "X-PrimeBot-Delivery"
    prefix = "sha256="
    tolerance_s = 300
    reject_future = False
    secret_hint = "the signing secret (32+ characters)"
    sending = Sending(headers=lambda event, delivery_id, now: [
        ("X-PrimeBot-Event", event), ("X-PrimeBot-Delivery", delivery_id)])

    def identify(self, delivery: Delivery) -> Identity:
        event = delivery.headers.get("X-PrimeBot-Event") or text(delivery.body_field("type"))
        delivery_id = delivery.headers.get("X-PrimeBot-Delivery")
        key = f"primebot:{delivery_id}" if delivery_id else None
        return Identity(event=event, delivery_id=delivery_id, dedupe_key=key)
