"""Signing keys for `send`: the one given, or a generated test key the receiver is told about."""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ..signatures import Key

# The generic scheme needs options to sign; `send hmac` uses these.
HMAC_SEND_OPTIONS = {"header": "X-Signature", "prefix": "sha256=", "algorithm": "sha256",
                     "encoding": "hex"}


@dataclass(frozen=True)
class SendingKey:
    signing: Key
    verifying: Key | None  # None when only the given secret's owner knows it (public keys)
    description: str


def signing_key(provider: str, secret: str | None) -> SendingKey:
    """The key to sign with, and what the receiver must configure to verify."""
    options = HMAC_SEND_OPTIONS if provider == "hmac" else {}
    if secret is not None:
        shared = provider not in ("discord", "sendgrid")
        return SendingKey(Key(secret, options), Key(secret, options) if shared else None,
                          "the secret given with --secret")
    if provider == "discord":
        private = Ed25519PrivateKey.generate()
        public = private.public_key().public_bytes(serialization.Encoding.Raw,
                                                   serialization.PublicFormat.Raw)
        seed = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                     serialization.NoEncryption())
        return SendingKey(Key(seed.hex()), Key(public.hex()),
                          f"a generated key pair; public key (hex): {public.hex()}")
    if provider == "sendgrid":
        key = ec.generate_private_key(ec.SECP256R1())
        der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        public = key.public_key().public_bytes(serialization.Encoding.DER,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
        verification = base64.b64encode(public).decode()
        return SendingKey(Key(base64.b64encode(der).decode()), Key(verification),
                          f"a generated key pair; verification key: {verification}")
    if provider in ("standard-webhooks", "svix"):
        generated = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    elif provider == "stripe":
        generated = "whsec_" + secrets.token_hex(16)
    else:
        generated = secrets.token_urlsafe(32)
    return SendingKey(Key(generated, options), Key(generated, options),
                      f"a generated test secret: {generated}")
