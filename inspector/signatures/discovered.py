"""Providers whose signature scheme is not published (Bondio, TeleBotHost): their requests are
detected and labelled, and a secret configured for them is checked by discovery."""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from ..models import Verdict
from ._api import (
    Delivery,
    Identity,
    Key,
    Unpublished,
    identity,
    missing_header,
    text,
    verdict,
)
from ._hmac import short
from .discover import Discovery, discover
from .generic import GenericHmac

MAX_REMEMBERED_KEYS = 64


class Discovered(Unpublished):
    """Verification by discovery: the construction found for a key is remembered and tried first
    (discovery tries hundreds). `place` is where the signature is, as discovery names it."""

    aliases: tuple[str, ...] = ()
    place = ""
    secret_hint = ""

    def __init__(self) -> None:
        self._found: dict[str, dict[str, Any]] = {}

    def received(self, delivery: Delivery) -> str | None:
        """The signature on the request, or None."""
        raise NotImplementedError

    def missing(self) -> Verdict:
        return missing_header(self.name, self.place)

    def about(self, delivery: Delivery) -> str:
        """What a valid verdict adds about the request."""
        return ""

    def verify(self, delivery: Delivery, key: Key, now: float,
               explain: bool = True) -> Verdict:
        place = self.place
        received = self.received(delivery)
        if received is None:
            return self.missing()
        known = self._found.get(key.secret)
        if known is not None and GenericHmac(known).signature_matches(delivery,
                                                                       Key(key.secret, known)):
            return self.found(delivery, known, received)
        if not explain:
            return verdict(self.name, "invalid", f"{place} does not match the construction "
                           "found for this key before", header=place, received=short(received),
                           complete=False)
        found = discover(delivery, key.secret, only=place, enough=1)
        if found.matches:
            options = found.matches[0].options
            if len(self._found) < MAX_REMEMBERED_KEYS:
                self._found[key.secret] = options
            return self.found(delivery, options, received)
        return verdict(self.name, "invalid", f"{place} {not_found(found)}", header=place,
                       received=short(received))

    def found(self, delivery: Delivery, options: dict[str, Any], received: str) -> Verdict:
        described = ", ".join(f"{k}={v}" for k, v in options.items())
        return verdict(self.name, "valid", f"{self.place} matches HMAC ({described}), found "
                       "by discovery; pin it with a [[secrets]] provider = \"hmac\" entry"
                       f"{self.about(delivery)}", header=self.place, received=short(received))


def not_found(found: Discovery) -> str:
    """Why discovery found no construction, as the end of a sentence about the signature."""
    if found.untried:
        return (f"matches none of the {found.tried:,} constructions discovery tried with this "
                f"key before its budget ran out ({found.untried:,} more were not tried, the "
                "likeliest go first): pin the scheme with a generic hmac secret, or run `verify "
                "discover` on the request without its unrelated headers")
    if not found.tried:
        return ("does not look like an HMAC discovery can reproduce (hex, or base64, of 16 to "
                "64 bytes, after an optional short prefix): nothing to try")
    return (f"matches none of the {found.tried:,} constructions discovery tries with this key: "
            "a different key, or a scheme the generic HMAC cannot express")


class Bondio(Discovered):
    """docs.bondio.co: events are detected and labelled; the `bondio-signature` scheme is not
    published."""

    name = "bondio"
    place = "bondio-signature"
    marker_headers = ("bondio-signature",)
    signature_headers = ("bondio-signature",)
    secret_hint = "the Bondio signing key"

    def received(self, delivery: Delivery) -> str | None:
        return delivery.headers.get(self.place)

    def detect_body(self, delivery: Delivery) -> bool:
        return False

    def identify(self, delivery: Delivery) -> Identity:
        event_id = text(delivery.body_field("id"))
        return identity("bondio", text(delivery.body_field("type")), event_id)


LINK_PARAMETERS = ("command", "options", "sig", "user")


class UserLink(NamedTuple):
    """A TeleBotHost user-based webhook link, read from its query."""

    command: str
    options: Any  # the decoded JSON, or the text as sent when it is not JSON
    sig: str
    user: str


def decode_options(raw: str) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        return raw


def user_link(delivery: Delivery) -> UserLink | None:
    """The link's signed values when the query has all four (the first of a repeated name)."""
    if "sig=" not in delivery.url:  # most requests: no query to parse
        return None
    values: dict[str, str] = {}
    for name, value in delivery.query_params:
        values.setdefault(name, value)
    if not all(name in values for name in LINK_PARAMETERS):
        return None
    return UserLink(values["command"], decode_options(values["options"]), values["sig"],
                    values["user"])


class TeleBotHost(Discovered):
    """tbl-static-docs.pages.dev/webhook-instance/user-webhook: signed user links
    `?command=…&options=<JSON>&sig=…&user=…&<params>`. How `sig` is made is not published."""
    detects_by_body = True  # see _registry.detect

    name = "telebothost"
    place = "?sig"
    marker_headers: tuple[str, ...] = ()
    signature_headers = ("(query: command, options, sig, user)",)
    secret_hint = ("TeleBotHost's link signing key (unpublished: check its links with a "
                   "generic hmac secret, query = \"sig\")")

    def received(self, delivery: Delivery) -> str | None:
        link = user_link(delivery)
        return None if link is None else link.sig

    def missing(self) -> Verdict:
        return verdict(self.name, "missing", "no signed user link in the URL (command, options, "
                       "sig and user in the query)", header=self.place)

    def about(self, delivery: Delivery) -> str:
        link = user_link(delivery)
        if link is None:
            return ""
        options = json.dumps(link.options, ensure_ascii=False)
        return f"; command {link.command} for user {link.user}, options {short(options, 80)}"

    def detect_body(self, delivery: Delivery) -> bool:
        return user_link(delivery) is not None

    def identify(self, delivery: Delivery) -> Identity:
        link = user_link(delivery)
        if link is None:
            return identity(self.name, None, None)
        # The same signed link opened again is the same request again.
        return identity(self.name, text(link.command), None, dedupe_on=link.sig)
