"""Signing keys for `send`: the one given, or a generated test key the receiver is told about."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..signatures import Key, Scheme


@dataclass(frozen=True)
class SendingKey:
    signing: Key
    verifying: Key | None  # None when only the given secret's owner knows it (public keys)
    description: str


def signing_key(scheme: Scheme, secret: str | None,
                options: Mapping[str, Any] | None = None) -> SendingKey:
    """The key to sign with, and what the receiver must configure to verify. `options`: a
    generic construction given for this delivery, else the scheme's own (if any)."""
    sending = scheme.sending
    options = options or sending.options
    if secret is not None:
        shared = Key(secret, options) if sending.key_pair is None else None
        return SendingKey(Key(secret, options), shared,
                          "the secret given with --secret" + standing_in(scheme, options))
    if sending.key_pair is not None:
        private, public = sending.key_pair()
        return SendingKey(Key(private), Key(public),
                          f"a generated key pair; the receiver verifies with: {public}")
    generated = sending.new_secret()
    return SendingKey(Key(generated, options), Key(generated, options),
                      f"a generated test secret: {generated}" + standing_in(scheme, options))


def standing_in(scheme: Scheme, options: Mapping[str, Any]) -> str:
    """For a provider whose scheme is not published: the generic construction signed with, as
    the receiver's [[secrets]] entry of provider "hmac" gives it."""
    if scheme.sending.published or not options:
        return ""
    described = ", ".join(f"{name} = {value}" for name, value in options.items())
    return (f", by the generic hmac construction {described} ({scheme.name}'s own scheme is "
            "not published)")
