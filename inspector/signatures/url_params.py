"""Plivo and Mailchimp Transactional (Mandrill) sign the public URL together with the request's
parameters, sorted: behind a tunnel the URL is rebuilt from X-Forwarded-Proto/-Host."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlsplit

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
    parse_json,
    signed,
    text,
    verdict,
)
from ._hmac import encode, hmac_digest, same, short
from .url_signed import url_and_sorted_params
from .variants import URL_CAUSE, url_variants


def grouped(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    values: dict[str, list[str]] = {}
    for name, value in pairs:
        values.setdefault(name, []).append(value)
    return values


def _text(value: Any) -> str:
    # As the Python SDK formats values: str() of numbers and booleans.
    return value if isinstance(value, str) else str(value)


def sorted_params(params: Mapping[str, Any]) -> str:
    """Plivo's parameter string: name then value(s), sorted by name, nested objects flattened."""
    pieces = []
    for name in sorted(params):
        value = params[name]
        if isinstance(value, list):
            pieces.append("".join(name + item for item in sorted(_text(v) for v in value)))
        elif isinstance(value, dict):
            pieces.append(name + sorted_params(value))
        else:
            pieces.append(name + _text(value))
    return "".join(pieces)


def plivo_base(url: str, params: Mapping[str, Any]) -> str:
    """The URL without its query, then `?` and the sorted query (name=value&…), then, when the
    body has parameters, `.` (after a query) and the sorted body parameters."""
    split = urlsplit(url)
    base = split._replace(query="", fragment="").geturl()
    query = grouped(parse_qsl(split.query, keep_blank_values=True))
    query_text = "&".join(f"{name}={value}" for name in sorted(query)
                          for value in sorted(query[name]))
    if not params:
        return f"{base}?{query_text}" if query_text else base
    return f"{base}?{query_text}{'.' if query_text else ''}{sorted_params(params)}"


def plivo_params(delivery: Delivery | SignInput) -> Mapping[str, Any]:
    """The body's parameters: a form's, or a JSON object's."""
    body, content_type = delivery.body, _content_type(delivery)
    if "application/x-www-form-urlencoded" in content_type:
        return grouped(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    # a delivery's JSON is parsed once, whoever reads it (its signature, identify, the judge)
    document = delivery.payload if isinstance(delivery, Delivery) else parse_json(body)
    return document if isinstance(document, dict) else {}


def _content_type(delivery: Delivery | SignInput) -> str:
    if isinstance(delivery, SignInput):
        return delivery.content_type.lower()
    return (delivery.headers.get("content-type") or "").lower()


def plivo_signature(token: str, url: str, params: Mapping[str, Any], nonce: str) -> str:
    message = f"{plivo_base(url, params)}.{nonce}".encode()
    return encode(hmac_digest(token.encode(), message, "sha256"), "base64")


V2 = "X-Plivo-Signature-V2"
V2_NONCE = "X-Plivo-Signature-V2-Nonce"


def plivo_v2_signature(token: str, url: str, nonce: str) -> str:
    base = urlsplit(url)._replace(query="", fragment="").geturl()
    return encode(hmac_digest(token.encode(), (base + nonce).encode(), "sha256"), "base64")


class UrlParamsScheme:
    """Verification shared by the two: one signature header, the URL and its variants tried."""

    name = ""
    aliases: tuple[str, ...] = ()
    header = ""
    marker_headers: tuple[str, ...] = ()
    secret_hint = ""
    what = ""
    sending = Sending()

    @property
    def signature_headers(self) -> tuple[str, ...]:
        return self.marker_headers

    def detect_body(self, delivery: Delivery) -> bool:
        return False

    def signature(self, secret: str, url: str, delivery: Delivery) -> str | Verdict:
        raise NotImplementedError

    def headers_for(self, delivery: Delivery) -> tuple[str, ...]:
        """The headers that may carry the signature(s) of this request, the usual one first."""
        return (self.header,)

    def what_for(self, delivery: Delivery) -> str:
        return self.what

    def verify(self, delivery: Delivery, key: Key, now: float,
               explain: bool = True) -> Verdict:
        names = self.headers_for(delivery)
        found = [(name, value) for name in names
                 if (value := delivery.headers.get(name)) is not None]
        if not found:
            return missing_header(self.name, names[0])
        expected = self.signature(key.secret, delivery.url, delivery)
        if isinstance(expected, Verdict):
            return expected
        header, received = found[0]
        candidates = [item.strip() for _, value in found for item in value.split(",")]
        details = {"header": header, "received": short(received), "expected": short(expected)}
        what = self.what_for(delivery)
        if any(same(candidate, expected) for candidate in candidates):
            return verdict(self.name, "valid", f"{header} matches {what}", **details)
        reason = f"{header} does not match {what} at {delivery.url}"
        if not explain:
            return verdict(self.name, "invalid", reason, complete=False, **details)
        for url, how in url_variants(delivery.url):
            other = self.signature(key.secret, url, delivery)
            if isinstance(other, str) and any(same(c, other) for c in candidates):
                cause = URL_CAUSE.format(how=how, url=delivery.url)
                return verdict(self.name, "invalid", f"{reason}: {cause}", **details)
        return verdict(self.name, "invalid", f"{reason}: wrong secret (expects "
                       f"{self.secret_hint}), or the parameters changed after signing", **details)


class Plivo(UrlParamsScheme):
    """Plivo signature V3: plivo-python 4.63.0 utils/signature_v3.py (`validate_v3_signature`)
    and the Node SDK's utils/v3Security.js: base64 HMAC-SHA256, with the auth token, of the
    URL as `plivo_base` builds it, `.`, and X-Plivo-Signature-V3-Nonce; the header may carry
    several signatures separated by commas. X-Plivo-Signature-Ma-V3 is the same with the main
    account's token (docs.plivo.com/docs/voice/xml/request/validation).

    V2, still sent with messaging callbacks (docs.plivo.com/docs/messaging/concepts/
    signature-validation; the SDK's `validate_signature`): base64 HMAC-SHA256 of the URL
    without its query, followed directly by X-Plivo-Signature-V2-Nonce; it covers neither the
    query nor the body. Checked when no V3 nonce came."""

    name = "plivo"
    header = "X-Plivo-Signature-V3"
    nonce_header = "X-Plivo-Signature-V3-Nonce"
    marker_headers = (header, nonce_header, V2, V2_NONCE)
    secret_hint = "the auth token (the main account's for the -Ma- signatures)"
    what = "HMAC-SHA256 of the URL, the sorted parameters and the nonce"

    def is_v2(self, delivery: Delivery) -> bool:
        return self.nonce_header not in delivery.headers and V2_NONCE in delivery.headers

    def headers_for(self, delivery: Delivery) -> tuple[str, ...]:
        if self.is_v2(delivery):
            return (V2, "X-Plivo-Signature-Ma-V2")
        return (self.header, "X-Plivo-Signature-Ma-V3")

    def what_for(self, delivery: Delivery) -> str:
        if self.is_v2(delivery):
            return ("HMAC-SHA256 of the URL without its query and the nonce (V2: the body and "
                    "query are not signed)")
        return self.what

    def signature(self, secret: str, url: str, delivery: Delivery) -> str | Verdict:
        if self.is_v2(delivery):
            return plivo_v2_signature(secret, url, delivery.headers.get(V2_NONCE) or "")
        nonce = delivery.headers.get(self.nonce_header)
        if nonce is None:
            return missing_header(self.name, self.nonce_header)
        return plivo_signature(secret, url, plivo_params(delivery), nonce)

    def identify(self, delivery: Delivery) -> Identity:
        params = plivo_params(delivery)
        event = next((params[name] for name in ("Event", "Status", "CallStatus")
                      if name in params), None)
        return identity(self.name, text(event[0] if isinstance(event, list) else event), None)

    def sign(self, key: Key, message: SignInput) -> Signed:
        nonce = secrets.token_hex(10)
        signature = plivo_signature(key.secret, message.url, plivo_params(message), nonce)
        return signed(message, [(self.header, signature), (self.nonce_header, nonce)])


def mandrill_params(body: bytes) -> list[tuple[str, str]]:
    # Mandrill always posts a form (`mandrill_events`): the body is read as one whatever its
    # Content-Type says, so that no byte of it goes unsigned.
    return parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)


class Mandrill(UrlParamsScheme):
    """Mailchimp Transactional (Mandrill), "How to Authenticate Webhook Requests"
    (mandrill.zendesk.com/hc/en-us/articles/360039232513): base64 HMAC-SHA1, with the webhook's
    key, of the URL exactly as configured followed by each POST variable's name and value,
    sorted by name, with no delimiter."""

    name = "mailchimp"
    aliases = ("mandrill",)
    header = "X-Mandrill-Signature"
    marker_headers = (header,)
    secret_hint = "the webhook's authentication key"
    what = "HMAC-SHA1 of the URL and the sorted POST variables"

    def signature(self, secret: str, url: str, delivery: Delivery) -> str | Verdict:
        return url_and_sorted_params(secret, url, mandrill_params(delivery.body))

    def identify(self, delivery: Delivery) -> Identity:
        events = parse_json(dict(mandrill_params(delivery.body)).get("mandrill_events",
                                                                      "").encode())
        first = events[0] if isinstance(events, list) and events else None
        if not isinstance(first, dict):
            return identity(self.name, None, None)
        return identity(self.name, text(first.get("event")), text(first.get("_id")))

    def sign(self, key: Key, message: SignInput) -> Signed:
        signature = url_and_sorted_params(key.secret, message.url,
                                          mandrill_params(message.body))
        return signed(message, [(self.header, signature)])
