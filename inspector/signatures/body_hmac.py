"""Providers that sign the raw body alone: Shopify, Typeform, Intercom, Linear, Pusher."""

from __future__ import annotations

from ._api import Delivery, Identity, Sending, identity, iso_time, text
from ._hmac import HmacScheme, Received


class Shopify(HmacScheme):
    """shopify.dev …/webhooks/subscribe/https: base64 HMAC-SHA256 with the app client secret."""

    name = "shopify"
    marker_headers = ("X-Shopify-Hmac-Sha256", "X-Shopify-Topic", "X-Shopify-Shop-Domain")
    signature_header = "X-Shopify-Hmac-Sha256"
    encoding = "base64"
    secret_hint = "the app's client secret"
    # Shopify's own library refuses a delivery without any of these (webhooks/validate).
    sending = Sending(headers=lambda event, delivery_id, now: [
        ("X-Shopify-Topic", event), ("X-Shopify-API-Version", "2025-10"),
        ("X-Shopify-Shop-Domain", "example.myshopify.com"),
        ("X-Shopify-Webhook-Id", delivery_id), ("X-Shopify-Event-Id", delivery_id),
        ("X-Shopify-Triggered-At", iso_time(now))])

    def identify(self, delivery: Delivery) -> Identity:
        headers = delivery.headers
        event_id = headers.get("X-Shopify-Event-Id") or headers.get("X-Shopify-Webhook-Id")
        return identity("shopify", headers.get("X-Shopify-Topic"),
                        headers.get("X-Shopify-Webhook-Id"), dedupe_on=event_id)


class Typeform(HmacScheme):
    """typeform.com/developers/webhooks/secure-your-webhooks: `sha256=` + base64."""

    name = "typeform"
    marker_headers = ("Typeform-Signature",)
    signature_header = "Typeform-Signature"
    encoding = "base64"
    prefix = "sha256="

    def identify(self, delivery: Delivery) -> Identity:
        return identity(self.name, text(delivery.body_field("event_type")),
                             text(delivery.body_field("event_id")))


class Intercom(HmacScheme):
    """developers.intercom.com (signed notifications): `sha1=` hex with the client_secret."""
    detects_by_body = True  # see _registry.detect

    name = "intercom"
    signature_header = "X-Hub-Signature"
    algorithm = "sha1"
    prefix = "sha1="
    secret_hint = "the app's client_secret"

    def detect_body(self, delivery: Delivery) -> bool:
        return bool(delivery.body_field("type") == "notification_event")

    def identify(self, delivery: Delivery) -> Identity:
        return identity(self.name, text(delivery.body_field("topic")),
                             text(delivery.body_field("id")))


def body_milliseconds(delivery: Delivery, field: str) -> float | None:
    """A signing time the body carries in unix milliseconds, as seconds."""
    value = delivery.body_field(field)
    if value is None:
        return None
    return float(value) / 1000


class Linear(HmacScheme):
    """linear.app/developers/webhooks: hex HMAC-SHA256; body `webhookTimestamp` (ms), 60 s."""

    sending = Sending(headers=lambda event, delivery_id, now: [
        ("Linear-Event", "Issue"), ("Linear-Delivery", delivery_id)])
    name = "linear"
    marker_headers = ("Linear-Signature", "Linear-Delivery", "Linear-Event")
    signature_header = "Linear-Signature"
    id_header = "Linear-Delivery"
    tolerance_s = 60

    @property
    def signature_headers(self) -> tuple[str, ...]:
        return ("Linear-Signature",)

    def timestamp_seconds(self, received: Received, delivery: Delivery) -> float | None:
        return body_milliseconds(delivery, "webhookTimestamp")

    def identify(self, delivery: Delivery) -> Identity:
        kind = text(delivery.body_field("type")) or delivery.headers.get("Linear-Event")
        action = text(delivery.body_field("action"))
        event = f"{kind}.{action}" if kind and action else kind
        return identity(self.name, event, delivery.headers.get("Linear-Delivery"))


class Pusher(HmacScheme):
    """Pusher Channels webhooks (pusher.com/docs/channels/server_api/webhooks); pusher-http-python
    3.3.4 `validate_webhook`: hex HMAC-SHA256 of the body with the app secret; X-Pusher-Key names
    the app; the body's `time_ms` must be within 300 s of now (either way)."""

    name = "pusher"
    marker_headers = ("X-Pusher-Signature", "X-Pusher-Key")
    signature_header = "X-Pusher-Signature"
    tolerance_s = 300
    secret_hint = "the app's secret (not its key)"
    sending = Sending(headers=lambda event, delivery_id, now: [("X-Pusher-Key", "app-key")])

    @property
    def signature_headers(self) -> tuple[str, ...]:
        return ("X-Pusher-Signature", "X-Pusher-Key")

    def timestamp_seconds(self, received: Received, delivery: Delivery) -> float | None:
        return body_milliseconds(delivery, "time_ms")

    def identify(self, delivery: Delivery) -> Identity:
        events = delivery.body_field("events")
        first = events[0] if isinstance(events, list) and events else None
        event = text(first.get("name")) if isinstance(first, dict) else None
        return identity(self.name, event, None)
