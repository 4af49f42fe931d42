"""Slack, Zoom and Twitch: HMAC-SHA256 hex over a versioned or concatenated timestamped payload."""

from __future__ import annotations

from datetime import UTC, datetime

from ._api import (
    Delivery,
    Handshake,
    Identity,
    Key,
    Sending,
    Signed,
    SignInput,
    identity,
    signed,
    text,
)
from ._hmac import HmacScheme, Parts, Received
from .handshakes import slack_url_verification, zoom_url_validation


class Slack(HmacScheme):
    """docs.slack.dev/authentication/verifying-requests-from-slack."""

    name = "slack"
    marker_headers = ("X-Slack-Signature", "X-Slack-Request-Timestamp")
    signature_header = "X-Slack-Signature"
    timestamp_header = "X-Slack-Request-Timestamp"
    prefix = "v0="
    template = "v0:{timestamp}:{body}"
    tolerance_s = 300
    secret_hint = "the app's signing secret (not the verification token)"

    answers_handshakes = True

    def handshake(self, delivery: Delivery, key: Key, now: float) -> Handshake | None:
        return slack_url_verification(self, delivery, key, now)

    def identify(self, delivery: Delivery) -> Identity:
        form = dict(delivery.form)
        if "command" in form:
            return identity(self.name, form["command"], None)
        if "payload" in form:
            return identity(self.name, "interactive", None)
        event = text(delivery.body_field("event", "type")) or text(delivery.body_field("type"))
        return identity(self.name, event, text(delivery.body_field("event_id")))


class Zoom(HmacScheme):
    """developers.zoom.us/docs/api/webhooks/#verify-webhook-events (5 minutes, as is common)."""

    name = "zoom"
    marker_headers = ("x-zm-signature", "x-zm-request-timestamp")
    signature_header = "x-zm-signature"
    timestamp_header = "x-zm-request-timestamp"
    prefix = "v0="
    template = "v0:{timestamp}:{body}"
    tolerance_s = 300
    secret_hint = "the app's secret token"

    answers_handshakes = True

    def handshake(self, delivery: Delivery, key: Key, now: float) -> Handshake | None:
        return zoom_url_validation(self, delivery, key, now)

    def identify(self, delivery: Delivery) -> Identity:
        tracking = delivery.headers.get("x-zm-trackingid")
        return identity(self.name, text(delivery.body_field("event")), tracking)


def rfc3339_seconds(value: str) -> float:
    """Unix seconds from an RFC 3339 time with up to nanosecond precision."""
    head, dot, fraction = value.strip().rstrip("Z").partition(".")
    moment = datetime.fromisoformat(head).replace(tzinfo=UTC)
    digits = "".join(ch for ch in fraction if ch.isdigit())
    return moment.timestamp() + (float("0." + digits) if dot and digits else 0.0)


class Twitch(HmacScheme):
    """dev.twitch.tv/docs/eventsub/handling-webhook-events/#verifying-the-event-message."""

    name = "twitch"
    marker_headers = ("Twitch-Eventsub-Message-Signature", "Twitch-Eventsub-Message-Id")
    signature_header = "Twitch-Eventsub-Message-Signature"
    timestamp_header = "Twitch-Eventsub-Message-Timestamp"
    id_header = "Twitch-Eventsub-Message-Id"
    prefix = "sha256="
    template = "{id}{timestamp}{body}"
    tolerance_s = 600
    reject_future = False
    secret_hint = "the subscription's secret (10-100 ASCII characters)"
    sending = Sending(headers=lambda event, delivery_id, now: [
        ("Twitch-Eventsub-Message-Type", "notification"),
        ("Twitch-Eventsub-Subscription-Type", event),
        ("Twitch-Eventsub-Subscription-Version", "2")])

    def timestamp_seconds(self, received: Received, delivery: Delivery) -> float | None:
        return rfc3339_seconds(received.parts.timestamp) if received.parts.timestamp else None

    def identify(self, delivery: Delivery) -> Identity:
        headers = delivery.headers
        event = headers.get("Twitch-Eventsub-Subscription-Type")
        kind = headers.get("Twitch-Eventsub-Message-Type")
        if kind and kind != "notification":
            event = f"{event} ({kind})" if event else kind
        return identity(self.name, event, headers.get("Twitch-Eventsub-Message-Id"))

    def sign(self, key: Key, message: SignInput) -> Signed:
        moment = datetime.fromtimestamp(message.now, UTC)
        timestamp = moment.strftime("%Y-%m-%dT%H:%M:%S.%f") + "000Z"
        parts = Parts(body=message.body, timestamp=timestamp, id=message.message_id)
        signature = self.prefix + self.expected(self.key_bytes(key), parts)
        return signed(message, [(self.id_header or "", message.message_id),
                                (self.timestamp_header or "", timestamp),
                                (self.signature_header, signature)])
