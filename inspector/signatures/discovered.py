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
    Sending,
    Signed,
    SignInput,
    Unpublished,
    identity,
    missing_header,
    text,
    verdict,
)
from ._hmac import short
from .discover import Discovery, discover, unreadable
from .generic import GenericHmac

MAX_REMEMBERED_KEYS = 64


class Discovered(Unpublished):
    """Verification by discovery: the construction found for a key is remembered and tried first
    (discovery tries hundreds). `place` is where the signature is, as discovery names it.

    Signing uses a generic construction standing in for the unpublished one: the key's options
    (SPEC 10: `send --option`, or the scheme's `sending.options` that `send` gives), else the one
    discovery found for this key; with neither it cannot sign."""

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
        return verdict(self.name, "invalid", f"{place} {not_found(found, received)}", header=place,
                       received=short(received))

    def sign(self, key: Key, message: SignInput) -> Signed:
        options = key.options or self._found.get(key.secret)
        if not options:
            raise NotImplementedError(
                f"{self.name}'s signature scheme is not published: give the generic hmac "
                "construction to sign with (--option header=NAME or query=NAME, and algorithm, "
                "encoding, prefix, payload as a [[secrets]] entry of provider \"hmac\" has them)")
        return GenericHmac(options).sign(Key(key.secret, options), message)

    def found(self, delivery: Delivery, options: dict[str, Any], received: str) -> Verdict:
        described = ", ".join(f"{k}={v}" for k, v in options.items())
        return verdict(self.name, "valid", f"{self.place} matches HMAC ({described}), found "
                       "by discovery; pin it with a [[secrets]] provider = \"hmac\" entry"
                       f"{self.about(delivery)}", header=self.place, received=short(received))


def not_found(found: Discovery, received: str) -> str:
    """Why discovery found no construction, as the end of a sentence about the signature."""
    if not found.tried and not found.untried:
        return f"{unreadable(received)}: nothing to try"
    if not found.tried:
        return ("was compared with nothing: the request is too large for discovery's budget "
                f"({found.untried:,} constructions left untried); pin the scheme with a generic "
                "hmac secret")
    if found.untried:
        return (f"matches none of the {found.tried:,} constructions discovery tried with this "
                f"key before its budget ran out ({found.untried:,} more were not tried, the "
                "likeliest go first): pin the scheme with a generic hmac secret, or run `verify "
                "discover` on the request without its unrelated headers")
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


# The generic construction a link is signed with when no other is given: HMAC-SHA256, hex, of
# the URL without its `sig` (so command, options, user and params are all covered).
LINK_CONSTRUCTION = {"query": "sig", "payload": "{url}", "algorithm": "sha256", "encoding": "hex"}


def link_query(values: Any) -> list[tuple[str, str]]:
    """A user link's query from its values {command, options, user, params}: options as compact
    JSON, then the params; ValueError when they make no link."""
    if not isinstance(values, dict) or not all(isinstance(values.get(name), str)
                                               for name in ("command", "user")):
        raise ValueError("a user link needs a command and a user, both strings")
    params = values.get("params") or {}
    if not isinstance(params, dict) or set(params) & set(LINK_PARAMETERS):
        raise ValueError("a user link's params are an object of names other than "
                         + ", ".join(LINK_PARAMETERS))
    options = json.dumps(values.get("options", {}), separators=(",", ":"), ensure_ascii=False)
    return [("command", values["command"]), ("options", options), ("user", values["user"]),
            *((str(name), text_of(value)) for name, value in params.items())]


def text_of(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


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
    # `send` signs a link with this generic construction unless given another: TeleBotHost's
    # own is not published, so this is a stand-in that says so, never a guess at theirs.
    sending = Sending(published=False, link=link_query, options=LINK_CONSTRUCTION)

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
