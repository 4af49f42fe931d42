"""Twilio and Square sign the public URL they were configured with: behind a tunnel that URL must
be rebuilt from X-Forwarded-Proto/-Host (see _api.public_url); so do HubSpot (hubspot.py) and
Plivo and Mandrill (url_params.py)."""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qs, parse_qsl, urlsplit

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
    signed,
    text,
    verdict,
)
from ._hmac import HmacScheme, encode, hmac_digest, same, short
from .variants import URL_CAUSE, url_variants

DEFAULT_PORTS = {"http": 80, "https": 443}


def with_port(url: str) -> str:
    split = urlsplit(url)
    if split.port is not None or split.scheme not in DEFAULT_PORTS:
        return url
    return split._replace(netloc=f"{split.netloc}:{DEFAULT_PORTS[split.scheme]}").geturl()


def url_and_sorted_params(token: str, url: str, params: list[tuple[str, str]]) -> str:
    """Base64 HMAC-SHA1 of the URL followed by every parameter's name and value, sorted by name
    (the values of a repeated name sorted too), with no separator."""
    grouped: dict[str, set[str]] = {}
    for name, value in params:
        grouped.setdefault(name, set()).add(value)
    message = url + "".join(name + value for name in sorted(grouped)
                            for value in sorted(grouped[name]))
    return encode(hmac_digest(token.encode(), message.encode(), "sha1"), "base64")


def without_port(url: str) -> str:
    split = urlsplit(url)
    return split._replace(netloc=split.hostname or "").geturl() if split.port else url


class Twilio:
    """twilio.com/docs/usage/security#validating-requests; twilio-python RequestValidator.

    HMAC-SHA1, base64, over the URL followed by every form parameter name+value sorted by name
    (values of a repeated name sorted too). JSON bodies: the URL alone, whose `bodySHA256` query
    parameter must be the body's SHA-256. Like the SDK, the URL is tried with and without port.
    """

    name = "twilio"
    aliases = ()
    header = "X-Twilio-Signature"
    marker_headers = (header, "I-Twilio-Idempotency-Token")
    signature_headers = (header,)
    secret_hint = "the account's auth token"
    sending = Sending(headers=lambda event, delivery_id, now: [
        ("I-Twilio-Idempotency-Token", delivery_id)])

    def detect_body(self, delivery: Delivery) -> bool:
        return False

    def signature(self, token: str, url: str, params: list[tuple[str, str]]) -> str:
        return url_and_sorted_params(token, url, params)

    def signed_params(self, delivery: Delivery) -> tuple[list[tuple[str, str]], bool | None]:
        """The parameters that are signed, and whether bodySHA256 matches (None: not used)."""
        body_hash = parse_qs(urlsplit(delivery.url).query).get("bodySHA256")
        if body_hash:
            return [], same(hashlib.sha256(delivery.body).hexdigest(), body_hash[0])
        return delivery.form, None

    def verify(self, delivery: Delivery, key: Key, now: float,
               explain: bool = True) -> Verdict:
        received = delivery.headers.get(self.header)
        if received is None:
            return missing_header(self.name, self.header)
        params, body_hash_ok = self.signed_params(delivery)
        candidates = (without_port(delivery.url), with_port(delivery.url))
        expected = self.signature(key.secret, candidates[0], params)
        details = {"header": self.header, "received": short(received), "expected": short(expected)}
        matched = any(same(received, self.signature(key.secret, url, params))
                      for url in candidates)
        if matched and body_hash_ok is False:
            return verdict(self.name, "invalid", "the URL signature matches, but the body's "
                           "SHA-256 differs from the bodySHA256 query parameter: the body "
                           "changed after signing", **details)
        if matched:
            signed = "the URL" + (" and the form parameters" if params else "")
            return verdict(self.name, "valid", f"{self.header} matches HMAC-SHA1 of {signed}",
                           **details)
        reason = (f"{self.header} does not match HMAC-SHA1 of the URL {delivery.url}"
                  f"{' and sorted form parameters' if params else ''}")
        if not explain:
            return verdict(self.name, "invalid", reason, complete=False, **details)
        return verdict(self.name, "invalid",
                       f"{reason}: {self.diagnose(delivery, key, params, received)}", **details)

    def diagnose(self, delivery: Delivery, key: Key, params: list[tuple[str, str]],
                 received: str) -> str:
        for url, how in url_variants(delivery.url):
            if same(received, self.signature(key.secret, url, params)):
                return URL_CAUSE.format(how=how, url=delivery.url)
        return "wrong auth token, or the parameters changed after signing"

    def identify(self, delivery: Delivery) -> Identity:
        form = dict(delivery.form)
        event = next((form[name] for name in ("MessageStatus", "SmsStatus", "CallStatus",
                                              "EventType") if name in form), None)
        token = delivery.headers.get("I-Twilio-Idempotency-Token")
        return identity("twilio", event, token)

    def sign(self, key: Key, message: SignInput) -> Signed:
        if "x-www-form-urlencoded" in message.content_type:
            params = parse_qsl(message.body.decode(), keep_blank_values=True)
            return signed(message, [(self.header, self.signature(key.secret, message.url,
                                                                  params))])
        # JSON and other bodies: Twilio signs the URL, which carries the body's SHA-256.
        url = body_sha256_url(message.url, message.body)
        return Signed([(self.header, self.signature(key.secret, url, []))], message.body, url)


def body_sha256_url(url: str, body: bytes) -> str:
    """The URL with the bodySHA256 parameter Twilio adds for JSON bodies."""
    separator = "&" if urlsplit(url).query else "?"
    return f"{url}{separator}bodySHA256={hashlib.sha256(body).hexdigest()}"


class Square(HmacScheme):
    """developer.squareup.com/docs/webhooks/step3validate: base64 HMAC-SHA256 of URL + body."""

    name = "square"
    marker_headers = ("x-square-hmacsha256-signature", "x-square-signature")
    signature_header = "x-square-hmacsha256-signature"
    encoding = "base64"
    template = "{url}{body}"
    secret_hint = "the subscription's signature key"

    def identify(self, delivery: Delivery) -> Identity:
        event_id = text(delivery.body_field("event_id"))
        return identity("square", text(delivery.body_field("type")), event_id)
