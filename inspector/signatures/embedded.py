"""Signatures carried inside the body instead of a header: Adyen signs each notification item
(the HMAC is in its additionalData), Braintree posts a form of bt_signature and bt_payload."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import secrets
from typing import Any
from urllib.parse import parse_qsl, urlencode

from ..models import Verdict
from ._api import Delivery, Identity, Key, Sending, Signed, SignInput, identity, text, verdict
from ._hmac import encode, hmac_digest, same, short

# Adyen: the fields of a NotificationRequestItem that are signed, in order, joined by ":".
ADYEN_SIGNED = ("pspReference", "originalReference", "merchantAccountCode", "merchantReference",
                "value", "currency", "eventCode", "success")
ADYEN_PLACE = "notificationItems[].NotificationRequestItem.additionalData.hmacSignature"


def adyen_items(payload: Any) -> list[dict[str, Any]] | None:
    """The NotificationRequestItems of an Adyen standard notification, or None."""
    items = payload.get("notificationItems") if isinstance(payload, dict) else None
    if not isinstance(items, list) or not items:
        return None
    found = [entry.get("NotificationRequestItem") for entry in items if isinstance(entry, dict)]
    documents = [item for item in found if isinstance(item, dict)]
    return documents if len(documents) == len(items) else None


def _field(value: Any) -> str:
    """A signed value as it appears in the signing string (absent: empty)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value)  # numbers as written, true/false in lowercase


def adyen_signing_string(item: dict[str, Any]) -> bytes:
    amount = item.get("amount")
    amount = amount if isinstance(amount, dict) else {}
    values = {**item, "value": amount.get("value"), "currency": amount.get("currency")}
    return ":".join(_field(values.get(name)) for name in ADYEN_SIGNED).encode()


def adyen_signature(key: bytes, item: dict[str, Any]) -> str:
    return encode(hmac_digest(key, adyen_signing_string(item), "sha256"), "base64")


def received_signature(item: dict[str, Any]) -> str | None:
    extra = item.get("additionalData")
    signature = extra.get("hmacSignature") if isinstance(extra, dict) else None
    return signature if isinstance(signature, str) and signature else None


class Adyen:
    """docs.adyen.com/development-resources/webhooks/secure-webhooks/verify-hmac-signatures;
    Adyen's Python library (Adyen/util.py is_valid_hmac_notification).

    Each NotificationRequestItem carries base64 HMAC-SHA256 of pspReference, originalReference,
    merchantAccountCode, merchantReference, amount value, amount currency, eventCode and success
    joined by ':', keyed with the hex-decoded HMAC key. Every item must match.
    """
    detects_by_body = True  # see _registry.detect

    name = "adyen"
    aliases = ()
    marker_headers: tuple[str, ...] = ()
    signature_headers = (f"body: {ADYEN_PLACE}",)
    secret_hint = "the webhook's HMAC key (hex, from the Customer Area)"
    sending = Sending(new_secret=lambda: secrets.token_hex(32).upper())

    def detect_body(self, delivery: Delivery) -> bool:
        return adyen_items(delivery.payload) is not None

    def identify(self, delivery: Delivery) -> Identity:
        items = adyen_items(delivery.payload)
        if not items:
            return identity(self.name, None, None)
        event, reference = text(items[0].get("eventCode")), text(items[0].get("pspReference"))
        # Adyen sends an event again until it is accepted: eventCode with pspReference is one.
        return identity(self.name, event, reference, dedupe_on=f"{event}:{reference}")

    def verify(self, delivery: Delivery, key: Key, now: float,
               explain: bool = True) -> Verdict:
        items = adyen_items(delivery.payload)
        if items is None:
            return verdict(self.name, "missing", "no notificationItems in the body",
                           header=ADYEN_PLACE)
        try:
            key_bytes = bytes.fromhex(key.secret.strip())
        except ValueError:
            return verdict(self.name, "malformed", "the HMAC key is not hexadecimal (Adyen's "
                           "keys are, and are hex-decoded before use)", header=ADYEN_PLACE)
        for index, item in enumerate(items):
            signature = received_signature(item)
            if signature is None:
                return verdict(self.name, "missing", f"notification item {index} has no "
                               "additionalData.hmacSignature (is HMAC enabled for this "
                               "webhook?)", header=ADYEN_PLACE)
            expected = adyen_signature(key_bytes, item)
            if not same(signature, expected):
                reason = (f"item {index} (pspReference {short(text(item.get('pspReference')))}) "
                          "does not match base64 HMAC-SHA256 of its signed fields")
                if explain:
                    reason += ": " + self.diagnose(item, signature, key)
                return verdict(self.name, "invalid", reason, header=ADYEN_PLACE,
                               received=short(signature), expected=short(expected),
                               complete=explain)
        return verdict(self.name, "valid", f"the hmacSignature of all {len(items)} notification "
                       "item(s) matches HMAC-SHA256 of their signed fields", header=ADYEN_PLACE,
                       received=short(received_signature(items[0])))

    def diagnose(self, item: dict[str, Any], signature: str, key: Key) -> str:
        if same(signature, adyen_signature(key.secret.encode(), item)):
            return ("it matches with the key's text as the key: Adyen hex-decodes the HMAC key "
                    "first")
        return ("wrong HMAC key, or a signed field (amount, eventCode, references, success) "
                "changed after signing")

    def sign(self, key: Key, message: SignInput) -> Signed:
        """Adyen signs inside the body: every item gets its hmacSignature (a JSON document
        that is not a notification becomes the one item of one)."""
        document = json.loads(message.body)
        if adyen_items(document) is None:
            document = {"live": "false", "notificationItems": [
                {"NotificationRequestItem": document if isinstance(document, dict) else {}}]}
        key_bytes = bytes.fromhex(key.secret)
        for item in adyen_items(document) or []:
            extra = item.get("additionalData")
            extra = dict(extra) if isinstance(extra, dict) else {}
            extra.pop("hmacSignature", None)
            item["additionalData"] = {**extra, "hmacSignature": adyen_signature(key_bytes, item)}
        return Signed([], json.dumps(document, ensure_ascii=False).encode(), message.url)


_KIND = re.compile(rb"<kind>([^<]{1,100})</kind>")
BRAINTREE_PUBLIC_KEY = "inspector_public_key"  # names the key pair in bt_signature


def braintree_fields(delivery: Delivery) -> dict[str, str] | None:
    """bt_signature and bt_payload, read from the body as a form whatever its Content-Type."""
    if b"bt_signature=" not in delivery.body:
        return None
    fields: dict[str, str] = {}
    for name, value in parse_qsl(delivery.body.decode("utf-8", "replace"),
                                 keep_blank_values=True):
        fields.setdefault(name, value)
    if "bt_signature" not in fields or "bt_payload" not in fields:
        return None
    return fields


def braintree_digest(private_key: str, payload: str) -> str:
    key = hashlib.sha1(private_key.encode()).digest()
    return encode(hmac_digest(key, payload.encode(), "sha1"), "hex")


class Braintree:
    """braintree_python WebhookNotificationGateway and util/crypto.py: the form's bt_signature
    is `public_key|hex HMAC-SHA1 of bt_payload`, keyed with the SHA-1 of the private key, for
    each of the gateway's key pairs, joined by '&'; the SDK also accepts bt_payload + newline.
    bt_payload is the notification's XML in base64."""
    detects_by_body = True  # see _registry.detect

    name = "braintree"
    aliases = ()
    marker_headers: tuple[str, ...] = ()
    signature_headers = ("body: bt_signature, bt_payload",)
    secret_hint = "the gateway's private key"
    sending = Sending(new_secret=lambda: secrets.token_hex(16))

    def detect_body(self, delivery: Delivery) -> bool:
        return braintree_fields(delivery) is not None

    def identify(self, delivery: Delivery) -> Identity:
        fields = braintree_fields(delivery)
        if fields is None:
            return identity(self.name, None, None)
        try:
            xml = base64.b64decode(fields["bt_payload"])
        except (binascii.Error, ValueError):
            return identity(self.name, None, None)
        kind = _KIND.search(xml)
        event = text(kind.group(1).decode("utf-8", "replace")) if kind else None
        digest = hashlib.sha256(fields["bt_payload"].encode()).hexdigest()[:32]
        return identity(self.name, event, None, dedupe_on=digest)

    def verify(self, delivery: Delivery, key: Key, now: float,
               explain: bool = True) -> Verdict:
        place = "bt_signature"
        fields = braintree_fields(delivery)
        if fields is None:
            return verdict(self.name, "missing", "no bt_signature and bt_payload form fields "
                           "in the body", header=place)
        pairs = [pair.split("|", 1) for pair in fields["bt_signature"].split("&") if "|" in pair]
        if not pairs:
            return verdict(self.name, "malformed", "bt_signature has no public_key|signature "
                           "pair", header=place, received=short(fields["bt_signature"]))
        payload = fields["bt_payload"]
        expected = braintree_digest(key.secret, payload)
        candidates = (expected, braintree_digest(key.secret, payload + "\n"))
        for public_key, signature in pairs:
            if any(same(signature, candidate) for candidate in candidates):
                return verdict(self.name, "valid", "bt_signature matches HMAC-SHA1 of "
                               f"bt_payload for public key {short(public_key, 32)}",
                               header=place, received=short(signature),
                               expected=short(signature))
        cause = ("it is keyed with the private key itself, not its SHA-1"
                 if any(same(signature, encode(hmac_digest(key.secret.encode(),
                                                           payload.encode(), "sha1"), "hex"))
                        for _, signature in pairs)
                 else "wrong private key, or bt_payload changed after signing")
        return verdict(self.name, "invalid", "no bt_signature pair matches HMAC-SHA1 of "
                       f"bt_payload: {cause}", header=place, received=short(pairs[0][1]),
                       expected=short(expected))

    def sign(self, key: Key, message: SignInput) -> Signed:
        """The form Braintree posts; a body that is not one becomes its bt_payload."""
        fields = dict(parse_qsl(message.body.decode("utf-8", "replace")))
        payload = fields.get("bt_payload") or base64.b64encode(message.body).decode()
        signature = f"{BRAINTREE_PUBLIC_KEY}|{braintree_digest(key.secret, payload)}"
        body = urlencode([("bt_signature", signature), ("bt_payload", payload)]).encode()
        return Signed([("Content-Type", "application/x-www-form-urlencoded")], body,
                      message.url)
