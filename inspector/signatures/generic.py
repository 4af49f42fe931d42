"""The generic `hmac` scheme, for providers nobody lists: each secret carries its options
(header or query, algorithm, encoding, prefix, payload template, timestamp)."""

from __future__ import annotations

import binascii
import dataclasses
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from ..models import Verdict
from ._api import (
    Delivery,
    Identity,
    Key,
    Sending,
    Signed,
    SignInput,
    text,
    verdict,
)
from ._hmac import ALGORITHMS, ENCODINGS, HmacScheme, Received, b64decode_loose, short

SECRET_ENCODINGS = ("utf8", "base64", "hex")
OPTION_KEYS = ("header", "query", "algorithm", "encoding", "prefix", "payload",
               "timestamp_header", "tolerance_s", "secret_encoding", "id_header")
OPTION_CHOICES: dict[str, tuple[str, ...]] = {
    "algorithm": ALGORITHMS, "encoding": ENCODINGS, "secret_encoding": SECRET_ENCODINGS}
_FIELD = re.compile(r"\{(\w+)\}")
_TEMPLATE_FIELDS = {"body", "timestamp", "id", "url", "query", "method", "path"}


def options_error(options: Mapping[str, Any]) -> str | None:
    """Why these generic-scheme options cannot work, or None."""
    unknown = set(options) - set(OPTION_KEYS)
    if unknown:
        return f"unknown option(s) {', '.join(sorted(unknown))}"
    if bool(options.get("header")) == bool(options.get("query")):
        return "give exactly one of header or query"
    for name, allowed in OPTION_CHOICES.items():
        if name in options and options[name] not in allowed:
            return f"{name} must be one of {', '.join(allowed)}"
    fields = set(_FIELD.findall(str(options.get("payload", "{body}"))))
    if fields - _TEMPLATE_FIELDS:
        return f"payload can use {{{'}, {'.join(sorted(_TEMPLATE_FIELDS))}}}"
    if "timestamp" in fields and not options.get("timestamp_header"):
        return "payload uses {timestamp}: give timestamp_header"
    return None


def url_without(url: str, params: list[tuple[str, str]], name: str) -> str:
    """The URL as signed when its signature is its query parameter `name`: without it."""
    unsigned_query = urlencode([(k, v) for k, v in params if k != name])
    return urlsplit(url)._replace(query=unsigned_query).geturl()


class GenericHmac(HmacScheme):
    """HMAC over a payload template, configured entirely by a `[[secrets]]` entry's options."""

    def __init__(self, options: Mapping[str, Any]) -> None:
        self.name = "hmac"
        self.query_param: str | None = options.get("query")
        self.signature_header = options.get("header") or ""
        self.algorithm = options.get("algorithm", "sha256")
        self.encoding = options.get("encoding", "hex")
        self.prefix = options.get("prefix", "")
        self.template = options.get("payload", "{body}")
        self.timestamp_header = options.get("timestamp_header")
        self.id_header = options.get("id_header")
        self.tolerance_s = float(options.get("tolerance_s", 300)) if self.timestamp_header \
            else None
        self.secret_encoding = options.get("secret_encoding", "utf8")
        self.secret_hint = f"the secret ({self.secret_encoding})"

    def key_bytes(self, key: Key) -> bytes:
        if self.secret_encoding == "base64":
            return b64decode_loose(key.secret)
        if self.secret_encoding == "hex":
            return bytes.fromhex(key.secret)
        return key.secret.encode()

    def read(self, delivery: Delivery) -> Received | Verdict:
        if self.query_param is None:
            return super().read(delivery)
        name = self.query_param
        params = delivery.query_params
        values = [value for key, value in params if key == name]
        if not values:
            return verdict(self.name, "missing", f"no {name} query parameter in the URL",
                           header=f"?{name}")
        value = values[0]
        if self.prefix and not value.startswith(self.prefix):
            return verdict(self.name, "malformed", f"?{name} should start with '{self.prefix}'",
                           header=f"?{name}", received=short(value))
        parts = self.parts(delivery)._replace(url=url_without(delivery.url, params, name))
        return Received(f"?{name}", [value[len(self.prefix):]], value, parts)

    def sign(self, key: Key, message: SignInput) -> Signed:
        if self.query_param is None:
            return super().sign(key, message)
        # Signed without any signature parameter it had (a re-signed URL keeps one).
        split = urlsplit(message.url)
        kept = [(k, v) for k, v in parse_qsl(split.query, keep_blank_values=True)
                if k != self.query_param]
        unsigned = split._replace(query=urlencode(kept)).geturl()
        signed = super().sign(key, dataclasses.replace(message, url=unsigned))
        separator = "&" if kept else "?"
        url = f"{unsigned}{separator}{urlencode({self.query_param: signed.headers[0][1]})}"
        return Signed(signed.headers[1:], message.body, url)


class Hmac:
    """The registry entry for the generic scheme: each secret carries its own options."""

    name = "hmac"
    aliases = ("generic",)
    marker_headers: tuple[str, ...] = ()
    signature_headers = ("(configured: header = … or query = …)",)
    secret_hint = "the shared secret"
    sending = Sending(options={"header": "X-Signature", "prefix": "sha256=",
                               "algorithm": "sha256", "encoding": "hex"})

    def detect_body(self, delivery: Delivery) -> bool:
        return False

    def identify(self, delivery: Delivery) -> Identity:
        return Identity(event=text(delivery.body_field("event")) or text(
            delivery.body_field("type")))

    def applies(self, delivery: Delivery, key: Key) -> bool:
        """A generic secret applies to requests that carry its header or query parameter."""
        header, query = key.options.get("header"), key.options.get("query")
        if header:
            return header in delivery.headers
        return any(name == query for name, _ in delivery.query_params)

    def verify(self, delivery: Delivery, key: Key, now: float,
               explain: bool = True) -> Verdict:
        error = options_error(key.options)
        if error:
            return verdict(self.name, "malformed", f"the hmac secret's options: {error}")
        try:
            return GenericHmac(key.options).verify(delivery, key, now, explain)
        except (binascii.Error, ValueError):
            return verdict(self.name, "malformed", "the secret is not valid "
                           f"{key.options.get('secret_encoding')}")

    def sign(self, key: Key, message: SignInput) -> Signed:
        return GenericHmac(key.options).sign(key, message)
