"""Public-key schemes: Discord (Ed25519) and SendGrid (ECDSA P-256). The "secret" configured is
the provider's public key; `sign` takes the matching private key (for tests and `send`)."""

from __future__ import annotations

import base64
import binascii

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ..models import Verdict
from ._api import (
    SENDS_PLAINLY,
    Delivery,
    Identity,
    Key,
    Sending,
    Signed,
    SignInput,
    identity,
    missing_header,
    signed,
    text,
    verdict,
)
from ._hmac import short
from .variants import body_variants

DISCORD_TYPES = {"1": "PING", "2": "APPLICATION_COMMAND", "3": "MESSAGE_COMPONENT",
                 "4": "APPLICATION_COMMAND_AUTOCOMPLETE", "5": "MODAL_SUBMIT"}


def ed25519_pair() -> tuple[str, str]:
    """A new (private seed, public key) pair, both hex, as Discord shows them."""
    private = Ed25519PrivateKey.generate()
    seed = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                 serialization.NoEncryption())
    public = private.public_key().public_bytes(serialization.Encoding.Raw,
                                               serialization.PublicFormat.Raw)
    return seed.hex(), public.hex()


def p256_pair() -> tuple[str, str]:
    """A new (private key, verification key) pair, both base64 DER, as SendGrid shows them."""
    private = ec.generate_private_key(ec.SECP256R1())
    der = private.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    public = private.public_key().public_bytes(serialization.Encoding.DER,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(der).decode(), base64.b64encode(public).decode()


class PublicKeyScheme:
    name = ""
    aliases: tuple[str, ...] = ()
    signature_header = ""
    timestamp_header = ""
    marker_headers: tuple[str, ...] = ()
    secret_hint = ""
    algorithm_name = ""
    sending: Sending = SENDS_PLAINLY

    @property
    def signature_headers(self) -> tuple[str, ...]:
        return (self.signature_header, self.timestamp_header)

    def detect_body(self, delivery: Delivery) -> bool:
        return False

    def decode_signature(self, value: str) -> bytes:
        raise NotImplementedError

    def check(self, public_key: str, signature: bytes, message: bytes) -> None:
        """Raise InvalidSignature when the signature does not verify; ValueError for a bad key."""
        raise NotImplementedError

    def verify(self, delivery: Delivery, key: Key, now: float,
               explain: bool = True) -> Verdict:
        headers = delivery.headers
        for needed in (self.signature_header, self.timestamp_header):
            if needed not in headers:
                return missing_header(self.name, needed)
        raw = headers.get(self.signature_header) or ""
        timestamp = (headers.get(self.timestamp_header) or "").encode()
        details = {"header": self.signature_header, "received": short(raw)}
        try:
            signature = self.decode_signature(raw.strip())
        except (ValueError, binascii.Error):
            return verdict(self.name, "malformed", f"{self.signature_header} is not a valid "
                           "encoded signature", **details)
        what = f"{self.algorithm_name} over timestamp + raw body"
        try:
            self.check(key.secret, signature, timestamp + delivery.body)
        except (ValueError, UnsupportedAlgorithm):
            return verdict(self.name, "malformed", f"the configured key is not {self.secret_hint}",
                           **details)
        except InvalidSignature:
            reason = f"{self.signature_header} does not verify as {what}"
            if not explain:
                return verdict(self.name, "invalid", reason, complete=False, **details)
            cause = self.diagnose(key, signature, timestamp, delivery.body)
            return verdict(self.name, "invalid", f"{reason}: {cause}", **details)
        return verdict(self.name, "valid", f"{self.signature_header} verifies as {what}",
                       **details)

    def diagnose(self, key: Key, signature: bytes, timestamp: bytes, body: bytes) -> str:
        for variant, how in body_variants(body):
            try:
                self.check(key.secret, signature, timestamp + variant)
            except InvalidSignature:
                continue
            return f"it verifies for the body {how}: the body changed after signing"
        return f"another key signed it (configure {self.secret_hint}), or the timestamp or body " \
               "changed after signing"


class Discord(PublicKeyScheme):
    """discord.com/developers/docs/interactions/overview (validating security request headers)."""

    name = "discord"
    signature_header = "X-Signature-Ed25519"
    timestamp_header = "X-Signature-Timestamp"
    marker_headers = ("X-Signature-Ed25519",)
    secret_hint = "the application's public key (hex)"
    algorithm_name = "Ed25519"
    sending = Sending(key_pair=ed25519_pair)

    def decode_signature(self, value: str) -> bytes:
        return bytes.fromhex(value)

    def check(self, public_key: str, signature: bytes, message: bytes) -> None:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key.strip())).verify(
            signature, message)

    def identify(self, delivery: Delivery) -> Identity:
        kind = text(delivery.body_field("type"))
        interaction_id = text(delivery.body_field("id"))
        return identity("discord", DISCORD_TYPES.get(kind or "", kind), interaction_id)

    def sign(self, key: Key, message: SignInput) -> Signed:
        private = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(key.secret.strip()))
        timestamp = str(int(message.now))
        signature = private.sign(timestamp.encode() + message.body)
        return signed(message, [(self.signature_header, signature.hex()),
                                (self.timestamp_header, timestamp)])


class SendGrid(PublicKeyScheme):
    """SendGrid Event Webhook security features: ECDSA P-256/SHA-256, base64 DER signature."""

    name = "sendgrid"
    signature_header = "X-Twilio-Email-Event-Webhook-Signature"
    timestamp_header = "X-Twilio-Email-Event-Webhook-Timestamp"
    marker_headers = (signature_header,)
    secret_hint = "the verification public key (base64 DER)"
    algorithm_name = "ECDSA P-256/SHA-256"
    sending = Sending(key_pair=p256_pair)

    def decode_signature(self, value: str) -> bytes:
        return base64.b64decode(value, validate=True)

    def check(self, public_key: str, signature: bytes, message: bytes) -> None:
        loaded = serialization.load_der_public_key(base64.b64decode(public_key.strip()))
        if not isinstance(loaded, ec.EllipticCurvePublicKey):
            raise ValueError("not an EC key")
        loaded.verify(signature, message, ec.ECDSA(hashes.SHA256()))

    def identify(self, delivery: Delivery) -> Identity:
        events = delivery.payload
        first = events[0] if isinstance(events, list) and events else {}
        if not isinstance(first, dict):
            first = {}
        event_id = text(first.get("sg_event_id"))
        return identity("sendgrid", text(first.get("event")), event_id)

    def sign(self, key: Key, message: SignInput) -> Signed:
        private = serialization.load_der_private_key(base64.b64decode(key.secret), None)
        if not isinstance(private, ec.EllipticCurvePrivateKey):
            raise ValueError("SendGrid signing needs an EC P-256 private key (base64 DER)")
        timestamp = str(int(message.now))
        signature = private.sign(timestamp.encode() + message.body, ec.ECDSA(hashes.SHA256()))
        return signed(message, [(self.signature_header, base64.b64encode(signature).decode()),
                                (self.timestamp_header, timestamp)])
