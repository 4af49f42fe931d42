"""The few sample values that need code: each a function of the time of sending and the
delivery id, used in the tables as `Computed(function)`."""

from __future__ import annotations

import base64
import json
import secrets
import uuid

from .template import iso


def slack_ts(now: float, delivery: str) -> str:
    """Slack's message `ts`: unix seconds with six decimals, as a string."""
    return f"{now:.6f}"


def telegram_update_id(now: float, delivery: str) -> int:
    return int(now) % 10**9


def adyen_psp_reference(now: float, delivery: str) -> str:
    """Adyen's pspReference: 16 upper-case characters."""
    return delivery[-16:].upper()


def braintree_payload(now: float, delivery: str) -> str:
    """developer.paypal.com/braintree/docs/guides/webhooks/parse: bt_payload is base64 XML."""
    xml = (f'<notification><kind>subscription_went_past_due</kind><timestamp type="datetime">'
           f"{iso(now)}</timestamp><subject><subscription><id>{delivery}</id>"
           "<status>Past Due</status></subscription></subject></notification>")
    return base64.encodebytes(xml.encode()).decode()


def mandrill_events(now: float, delivery: str) -> str:
    """Mandrill's form field `mandrill_events`: a JSON list of events, as text."""
    message_id = uuid.uuid4().hex  # the event's _id is its message's
    events = [{"event": "send", "_id": message_id, "ts": int(now),
               "msg": {"ts": int(now), "_id": message_id, "email": "recipient@example.com",
                       "subject": "Your order", "state": "sent", "sender": "shop@example.com",
                       "tags": [], "metadata": {}}}]
    return json.dumps(events, separators=(",", ":"))


def xero_resource_url(now: float, delivery: str) -> str:
    return "https://api.xero.com/api.xro/2.0/Contacts/" + delivery


def woocommerce_date_gmt(now: float, delivery: str) -> str:
    """WooCommerce's `date_created_gmt`: ISO 8601 without the zone letter."""
    return iso(now).rstrip("Z")


def discord_token(now: float, delivery: str) -> str:
    """An interaction's token: base64url of `interaction:<id>:<secret>`, as Discord's read."""
    raw = f"interaction:{delivery}:{secrets.token_urlsafe(48)}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")
