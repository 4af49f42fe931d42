"""Meta's webhooks: the Graph API (Facebook users, pages, permissions…), Messenger, Instagram and
WhatsApp. One construction (developers.facebook.com/docs/graph-api/webhooks/getting-started,
"Validating payloads"): `X-Hub-Signature-256: sha256=` + hex HMAC-SHA256 of the raw body, keyed
with the app secret. The four registry names are told apart by the body's `object`.

GitHub signs with the same header. A request is Meta's only when its body is Meta's envelope
(`{"object": "...", "entry": [...]}`), which GitHub never sends; GitHub's deliveries also carry
X-GitHub-Event, which marks them before any body is looked at.
"""

from __future__ import annotations

from typing import Any

from ._api import Delivery, Handshake, Identity, Key, identity, shared, text
from ._hmac import HmacScheme
from .handshakes import meta_subscribe

SIGNATURE_HEADER = "X-Hub-Signature-256"
# What a Messenger entry carries instead of Graph API `changes`.
_MESSAGING = ("messaging", "standby")
_NOT_EVENTS = frozenset({"sender", "recipient", "timestamp"})


def envelope_object(delivery: Delivery) -> str | None:
    """The `object` of Meta's envelope, or None when the body is not one."""
    payload = delivery.payload
    if not isinstance(payload, dict) or not isinstance(payload.get("entry"), list):
        return None
    kind = payload.get("object")
    return kind if isinstance(kind, str) else None


def first_entry(delivery: Delivery) -> dict[str, Any]:
    entries = delivery.body_field("entry")
    first = entries[0] if isinstance(entries, list) and entries else None
    return first if isinstance(first, dict) else {}


def is_messaging(entry: dict[str, Any]) -> bool:
    return any(key in entry for key in _MESSAGING)


def entry_event(entry: dict[str, Any]) -> str | None:
    """The field that changed (`changes[0].field`), or what a Messenger event is (`message`,
    `postback`, `read`…: the key of `messaging[0]` beside sender, recipient and timestamp)."""
    changes = entry.get("changes")
    if isinstance(changes, list) and changes and isinstance(changes[0], dict):
        return text(changes[0].get("field"))
    for key in _MESSAGING:
        items = entry.get(key)
        if isinstance(items, list) and items and isinstance(items[0], dict):
            return next((name for name in items[0] if name not in _NOT_EVENTS), None)
    return None


class MetaWebhooks(HmacScheme):
    """One Meta product: the envelopes whose `object` it sends."""
    detects_by_body = True  # see _registry.detect

    signature_header = SIGNATURE_HEADER
    prefix = "sha256="
    secret_hint = "the app secret (App Dashboard > App settings > Basic)"
    # The App Dashboard's Verify Token, for the subscription handshake (a [[secrets]] option).
    option_keys = ("verify_token",)

    def __init__(self, name: str, aliases: tuple[str, ...], objects: tuple[str, ...] = (),
                 messaging: bool | None = None) -> None:
        self.name = name
        self.aliases = aliases
        # Empty: any envelope the other products do not claim (they come first).
        self.objects = frozenset(objects)
        # Pages send both Graph API changes and Messenger events: `messaging` tells them apart.
        self.messaging = messaging

    def claims(self, kind: str, entry: dict[str, Any]) -> bool:
        if self.objects and kind not in self.objects:
            return False
        return self.messaging is None or is_messaging(entry) == self.messaging

    def detect_body(self, delivery: Delivery) -> bool:
        if SIGNATURE_HEADER not in delivery.headers:
            return False
        kind = envelope_object(delivery)
        return kind is not None and self.claims(kind, first_entry(delivery))

    answers_handshakes = True

    def handshake(self, delivery: Delivery, key: Key, now: float) -> Handshake | None:
        return meta_subscribe(self, delivery, key, now)

    def identify(self, delivery: Delivery) -> Identity:
        kind = envelope_object(delivery)
        field = entry_event(first_entry(delivery))
        event = shared(f"{kind}.{field}") if kind and field else kind
        return identity(self.name, event, None)


def schemes() -> tuple[MetaWebhooks, ...]:
    """Most specific first: detection takes the first that claims an envelope."""
    return (
        MetaWebhooks("whatsapp", (), ("whatsapp_business_account",)),
        MetaWebhooks("instagram", (), ("instagram",)),
        MetaWebhooks("facebook-messenger", ("facebook_messenger", "messenger"), ("page",),
                     messaging=True),
        MetaWebhooks("facebook-graph-api", ("facebook_graph_api", "facebook")),
    )
