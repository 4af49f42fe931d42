"""Signing keys for `send`: the one given, or a generated test key the receiver is told about."""

from __future__ import annotations

from dataclasses import dataclass

from ..signatures import Key, Scheme


@dataclass(frozen=True)
class SendingKey:
    signing: Key
    verifying: Key | None  # None when only the given secret's owner knows it (public keys)
    description: str


def signing_key(scheme: Scheme, secret: str | None) -> SendingKey:
    """The key to sign with, and what the receiver must configure to verify."""
    sending = scheme.sending
    if secret is not None:
        shared = Key(secret, sending.options) if sending.key_pair is None else None
        return SendingKey(Key(secret, sending.options), shared, "the secret given with --secret")
    if sending.key_pair is not None:
        private, public = sending.key_pair()
        return SendingKey(Key(private), Key(public),
                          f"a generated key pair; the receiver verifies with: {public}")
    generated = sending.new_secret()
    return SendingKey(Key(generated, sending.options), Key(generated, sending.options),
                      f"a generated test secret: {generated}")
