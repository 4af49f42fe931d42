"""Keys for signing and verifying with every registered scheme, made fresh for each test."""

from __future__ import annotations

import base64
import secrets

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from inspector.send.signing_keys import signing_key
from inspector.signatures import Key

from ..conftest import scheme_of

# Richer than `send`'s defaults, so that the contract test covers a timestamp and tolerance.
HMAC_OPTIONS = {"header": "X-Signature", "prefix": "sha256=", "payload": "{timestamp}.{body}",
                "timestamp_header": "X-Timestamp", "tolerance_s": 300}


def signing_and_verifying_keys(provider: str) -> tuple[Key, Key]:
    """(the key `sign` takes, the key `verify` takes): equal for shared secrets."""
    if provider == "hmac":
        secret = secrets.token_urlsafe(24)
        return Key(secret, HMAC_OPTIONS), Key(secret, HMAC_OPTIONS)
    keys = signing_key(scheme_of(provider), None)
    assert keys.verifying is not None
    return keys.signing, keys.verifying


def ed25519_standard_keys() -> tuple[Key, Key]:
    """A Standard Webhooks `whsk_`/`whpk_` pair, for `v1a` signatures."""
    private = Ed25519PrivateKey.generate()
    seed = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                 serialization.NoEncryption())
    public = private.public_key().public_bytes(serialization.Encoding.Raw,
                                               serialization.PublicFormat.Raw)
    return (Key("whsk_" + base64.b64encode(seed).decode()),
            Key("whpk_" + base64.b64encode(public).decode()))
