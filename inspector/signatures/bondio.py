"""Bondio: its events are detected and labelled; its signature scheme is not published."""

from __future__ import annotations

from typing import Any

from ..models import Verdict
from ._api import (
    Delivery,
    Identity,
    Key,
    Sending,
    Signed,
    SignInput,
    identity,
    missing_header,
    text,
    verdict,
)
from ._hmac import short
from .discover import discover
from .generic import GenericHmac

MAX_REMEMBERED_KEYS = 64


class Bondio:
    """docs.bondio.co: events are detected and labelled; the `bondio-signature` scheme is not
    published, so a configured Bondio secret is checked by discovery."""

    name = "bondio"
    aliases = ()
    marker_headers = ("bondio-signature",)
    signature_headers = ("bondio-signature",)
    secret_hint = "the Bondio signing key"
    sending = Sending(published=False)

    def detect_body(self, delivery: Delivery) -> bool:
        return False

    def identify(self, delivery: Delivery) -> Identity:
        event_id = text(delivery.body_field("id"))
        return identity("bondio", text(delivery.body_field("type")), event_id)

    def __init__(self) -> None:
        # Discovery tries hundreds of constructions: remember the one found for each key.
        self._found: dict[str, dict[str, Any]] = {}

    def verify(self, delivery: Delivery, key: Key, now: float,
               explain: bool = True) -> Verdict:
        header = "bondio-signature"
        received = delivery.headers.get(header)
        if received is None:
            return missing_header(self.name, header)
        known = self._found.get(key.secret)
        if known is not None and GenericHmac(known).signature_matches(delivery,
                                                                       Key(key.secret, known)):
            return self.found(known, received)
        if not explain:
            return verdict(self.name, "invalid", f"{header} does not match the construction "
                           "found for this key before", header=header, received=short(received),
                           complete=False)
        matches, tried = discover(delivery, key.secret)
        found = [m for m in matches if m.header == header]
        if found:
            if len(self._found) < MAX_REMEMBERED_KEYS:
                self._found[key.secret] = found[0].options
            return self.found(found[0].options, received)
        return verdict(self.name, "invalid", f"{header} matches none of the {tried} "
                       "constructions discovery tries with this key: a different key, or a "
                       "scheme the generic HMAC cannot express", header=header,
                       received=short(received))

    def found(self, options: dict[str, Any], received: str) -> Verdict:
        described = ", ".join(f"{k}={v}" for k, v in options.items())
        return verdict(self.name, "valid", f"bondio-signature matches HMAC ({described}), found "
                       "by discovery; pin it with a [[secrets]] provider = \"hmac\" entry",
                       header="bondio-signature", received=short(received))

    def sign(self, key: Key, message: SignInput) -> Signed:
        raise NotImplementedError("Bondio's signature scheme is not published")
