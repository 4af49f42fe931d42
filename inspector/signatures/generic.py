"""The generic `hmac` scheme for providers nobody lists, `discover` for unpublished ones, and
Bondio, whose scheme is unpublished and is therefore verified by discovery."""

from __future__ import annotations

import binascii
import dataclasses
import itertools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from ..models import Verdict
from ._api import (
    SENDS_PLAINLY,
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
from ._hmac import ALGORITHMS, ENCODINGS, HmacScheme, Received, b64decode_loose, short

SECRET_ENCODINGS = ("utf8", "base64", "hex")
MAX_REMEMBERED_KEYS = 64
OPTION_KEYS = ("header", "query", "algorithm", "encoding", "prefix", "payload",
               "timestamp_header", "tolerance_s", "secret_encoding", "id_header")
_FIELD = re.compile(r"\{(\w+)\}")
_TEMPLATE_FIELDS = {"body", "timestamp", "id", "url", "query", "method", "path"}


def options_error(options: Mapping[str, Any]) -> str | None:
    """Why these generic-scheme options cannot work, or None."""
    unknown = set(options) - set(OPTION_KEYS)
    if unknown:
        return f"unknown option(s) {', '.join(sorted(unknown))}"
    if bool(options.get("header")) == bool(options.get("query")):
        return "give exactly one of header or query"
    checks = (("algorithm", ALGORITHMS), ("encoding", ENCODINGS),
              ("secret_encoding", SECRET_ENCODINGS))
    for name, allowed in checks:
        if name in options and options[name] not in allowed:
            return f"{name} must be one of {', '.join(allowed)}"
    fields = set(_FIELD.findall(str(options.get("payload", "{body}"))))
    if fields - _TEMPLATE_FIELDS:
        return f"payload can use {{{'}, {'.join(sorted(_TEMPLATE_FIELDS))}}}"
    if "timestamp" in fields and not options.get("timestamp_header"):
        return "payload uses {timestamp}: give timestamp_header"
    return None


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
        # A signed URL is signed without its own signature parameter.
        unsigned_query = urlencode([(k, v) for k, v in params if k != name])
        split = urlsplit(delivery.url)
        parts = self.parts(delivery)._replace(url=split._replace(query=unsigned_query).geturl())
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


# --- discover ------------------------------------------------------------------------------

_NOT_SIGNATURES = {"host", "content-type", "content-length", "user-agent", "accept",
                   "accept-encoding", "connection", "date", "x-forwarded-for", "x-forwarded-proto",
                   "x-forwarded-host", "x-real-ip", "cookie", "authorization", "origin", "referer"}
_PREFIX = re.compile(r"^([A-Za-z0-9_-]{1,10}[=,:])(.+)$")
_HEX = re.compile(r"^[0-9a-fA-F]{32,128}$")
_BASE64 = re.compile(r"^[A-Za-z0-9+/_-]{22,90}={0,2}$")


@dataclass(frozen=True)
class Match:
    options: dict[str, Any]
    header: str

    def toml(self) -> str:
        lines = ["[[secrets]]", 'provider = "hmac"']
        lines += [f"{name} = {_toml_value(value)}" for name, value in self.options.items()]
        lines.append('secret = "env:YOUR_SECRET"   # the secret you tried, from the environment')
        return "\n".join(lines)


def _toml_value(value: Any) -> str:
    if isinstance(value, int | float):
        return str(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def looks_like_signature(value: str) -> list[tuple[str, str]]:
    """(prefix, signature) readings of a value that could be an HMAC."""
    readings = [("", value)]
    match = _PREFIX.match(value)
    if match:
        readings.append((match.group(1), match.group(2)))
    return [(prefix, sig) for prefix, sig in readings
            if _HEX.match(sig) or _BASE64.match(sig)]


def _signature_places(delivery: Delivery) -> Iterator[tuple[dict[str, Any], str, str]]:
    for name, value in delivery.headers.items():
        if name in _NOT_SIGNATURES:
            continue
        for prefix, _ in looks_like_signature(value.strip()):
            yield {"header": name, "prefix": prefix} if prefix else {"header": name}, name, value
    for name, value in delivery.query_params:
        for prefix, _ in looks_like_signature(value):
            yield {"query": name, "prefix": prefix} if prefix else {"query": name}, f"?{name}", \
                value


def _templates(delivery: Delivery) -> Iterator[dict[str, Any]]:
    yield {"payload": "{body}"}
    for template in ("{url}", "{url}{body}", "{method}{url}{body}", "{path}", "{query}"):
        yield {"payload": template}
    names = list(delivery.headers.names())
    stamps = [n for n in names if ("time" in n or n.endswith("-ts") or n[-4:] == "date")
              and (delivery.headers.get(n) or "").strip().isdigit()]
    ids = [n for n in names if n.endswith("-id") or n.endswith("delivery")]
    for stamp in stamps:
        for template in ("{timestamp}.{body}", "{timestamp}{body}", "{timestamp}:{body}",
                         "v0:{timestamp}:{body}", "{body}{timestamp}", "{body}.{timestamp}"):
            yield {"payload": template, "timestamp_header": stamp}
        for id_header in ids:
            for template in ("{id}.{timestamp}.{body}", "{id}{timestamp}{body}"):
                yield {"payload": template, "timestamp_header": stamp, "id_header": id_header}


def discover(delivery: Delivery, secret: str) -> tuple[list[Match], int]:
    """Every generic construction that reproduces a signature on the request with this secret."""
    matches: list[Match] = []
    tried = 0
    places = list(_signature_places(delivery))
    for (place, label, _), template, algorithm, encoding, secret_encoding in itertools.product(
            places, list(_templates(delivery)), ALGORITHMS, ENCODINGS, SECRET_ENCODINGS):
        options = {**place, "algorithm": algorithm, "encoding": encoding, **template}
        if secret_encoding != "utf8":
            options["secret_encoding"] = secret_encoding
        tried += 1
        try:
            scheme = GenericHmac(options)
            if scheme.signature_matches(delivery, Key(secret, options)):
                matches.append(Match(options, label))
        except (binascii.Error, ValueError):
            continue
    return matches, tried


class Bondio:
    """docs.bondio.co: events are detected and labelled; the `bondio-signature` scheme is not
    published, so a configured Bondio secret is checked by discovery."""

    name = "bondio"
    aliases = ()
    marker_headers = ("bondio-signature",)
    signature_headers = ("bondio-signature",)
    secret_hint = "the Bondio signing key"
    sending = SENDS_PLAINLY

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

