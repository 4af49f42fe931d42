"""Keys for signing and verifying with every registered scheme, made fresh for each test."""

from __future__ import annotations

import base64
import secrets

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from inspector.signatures import Key


def signing_and_verifying_keys(provider: str) -> tuple[Key, Key]:
    """(the key `sign` takes, the key `verify` takes): equal for shared secrets."""
    if provider == "discord":
        private = Ed25519PrivateKey.generate()
        public = private.public_key().public_bytes(serialization.Encoding.Raw,
                                                    serialization.PublicFormat.Raw)
        seed = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                     serialization.NoEncryption())
        return Key(seed.hex()), Key(public.hex())
    if provider == "sendgrid":
        ec_private = ec.generate_private_key(ec.SECP256R1())
        der = ec_private.private_bytes(serialization.Encoding.DER,
                                       serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption())
        public_der = ec_private.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        return Key(base64.b64encode(der).decode()), Key(base64.b64encode(public_der).decode())
    if provider in ("standard-webhooks", "svix"):
        secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
        return Key(secret), Key(secret)
    if provider == "hmac":
        options = {"header": "X-Signature", "prefix": "sha256=", "payload": "{timestamp}.{body}",
                   "timestamp_header": "X-Timestamp", "tolerance_s": 300}
        secret = secrets.token_urlsafe(24)
        return Key(secret, options), Key(secret, options)
    secret = secrets.token_urlsafe(24)
    return Key(secret), Key(secret)


def ed25519_standard_keys() -> tuple[Key, Key]:
    private = Ed25519PrivateKey.generate()
    seed = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                 serialization.NoEncryption())
    public = private.public_key().public_bytes(serialization.Encoding.Raw,
                                               serialization.PublicFormat.Raw)
    return (Key("whsk_" + base64.b64encode(seed).decode()),
            Key("whpk_" + base64.b64encode(public).decode()))
