"""Plain shared tokens compared for equality: Telegram's secret_token, GitLab's X-Gitlab-Token,
the secret of Okta's event hooks."""

from __future__ import annotations

from ..models import Verdict
from ._api import (
    SENDS_PLAINLY,
    Delivery,
    Identity,
    Key,
    Signed,
    SignInput,
    identity,
    missing_header,
    signed,
    text,
    verdict,
)
from ._hmac import same


def check_token(scheme: str, header: str, delivery: Delivery, key: Key) -> Verdict:
    received = delivery.headers.get(header)
    if received is None:
        return missing_header(scheme, header)
    details = {"header": header, "received": f"({len(received)} characters)"}  # never the token
    if same(received, key.secret):
        return verdict(scheme, "valid", f"{header} equals the configured token", **details)
    if same(received.lower(), key.secret.lower()):
        cause = "it differs only in letter case (the comparison is exact)"
    elif same(received.strip(), key.secret.strip()):
        cause = "it differs only in surrounding whitespace"
    else:
        cause = "a different token is configured at the provider"
    return verdict(scheme, "invalid", f"{header} does not equal the configured token: {cause}",
                   **details)


class HeaderToken:
    """A provider that sends the configured secret itself in `header`: compared, and sent."""

    name = ""
    header = ""
    aliases: tuple[str, ...] = ()
    sending = SENDS_PLAINLY

    def verify(self, delivery: Delivery, key: Key, now: float,
               explain: bool = True) -> Verdict:
        return check_token(self.name, self.header, delivery, key)

    def sign(self, key: Key, message: SignInput) -> Signed:
        return signed(message, [(self.header, key.secret)])


class Telegram(HeaderToken):
    """core.telegram.org/bots/api#setwebhook: the secret_token echoed in a header."""
    detects_by_body = True  # see _registry.detect

    name = "telegram"
    header = "X-Telegram-Bot-Api-Secret-Token"
    marker_headers = (header,)
    signature_headers = (header,)
    secret_hint = "the secret_token given to setWebhook"

    def detect_body(self, delivery: Delivery) -> bool:
        payload = delivery.payload
        return isinstance(payload, dict) and isinstance(payload.get("update_id"), int)

    def identify(self, delivery: Delivery) -> Identity:
        payload = delivery.payload if isinstance(delivery.payload, dict) else {}
        update_id = payload.get("update_id")
        kinds = [name for name in payload if name != "update_id"]
        delivery_id = None if update_id is None else str(update_id)
        return identity("telegram", kinds[0] if kinds else None, delivery_id)


class Okta(HeaderToken):
    """help.okta.com (add an event hook), developer.okta.com/docs/guides/secure-hooks: no
    signature; the hook's Authentication field and secret arrive as a header (Authorization, as
    Okta's guides set it). The one-time verification GET (X-Okta-Verification-Challenge) is
    labelled Okta's but not answered here."""
    detects_by_body = True  # see _registry.detect

    name = "okta"
    header = "Authorization"
    marker_headers = ("X-Okta-Verification-Challenge",)
    signature_headers = (header,)
    secret_hint = "the event hook's Authentication secret (its Authentication field: Authorization)"

    def detect_body(self, delivery: Delivery) -> bool:
        return bool(delivery.body_field("eventType") == "com.okta.event_hook")

    def identify(self, delivery: Delivery) -> Identity:
        events = delivery.body_field("data", "events")
        first = events[0] if isinstance(events, list) and events else None
        event = text(first.get("eventType")) if isinstance(first, dict) else None
        return identity(self.name, event, text(delivery.body_field("eventId")))
