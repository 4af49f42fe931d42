"""Contentful: a signature over a canonical form of the request (method, path, the headers it
names, body).

contentful.com/developers/docs/webhooks/request-verification (the three headers; "see
verifyRequest in node-apps-toolkit"), contentful.com/developers/docs/webhooks/secrets (the
secret: 64 characters), contentful.com/developers/docs/extensibility/webhooks/headers
(X-Contentful-Topic). The construction, from @contentful/node-apps-toolkit
src/requests/sign-request.ts, verify-request.ts and utils.ts: hex HMAC-SHA256 of
`method \\n path \\n name:value;name:value \\n body`, the headers being those that
x-contentful-signed-headers names (lowercased, trimmed, sorted by name) with
x-contentful-signed-headers rewritten as that sorted list and x-contentful-timestamp (unix
milliseconds); the path re-encoded as the toolkit does; 30 s time-to-live by default.
"""

from __future__ import annotations

import secrets
from urllib.parse import quote, urlsplit

from ..models import Verdict
from ._api import (
    Delivery,
    Headers,
    Identity,
    Key,
    Sending,
    Signed,
    SignInput,
    identity,
    missing_header,
    signed,
    verdict,
)
from ._hmac import encode, hmac_digest, same, short
from .variants import body_variants

SIGNATURE = "x-contentful-signature"
SIGNED_HEADERS = "x-contentful-signed-headers"
TIMESTAMP = "x-contentful-timestamp"
TOPIC = "X-Contentful-Topic"
TTL_S = 30
# JavaScript's encodeURIComponent (querystring.escape) and encodeURI leave these as they are.
_COMPONENT_SAFE = "-_.!~*'()"
_URI_SAFE = _COMPONENT_SAFE + ";,/?:@&=+$#"


def normalized_path(target: str) -> str:
    """The path and query as the toolkit signs them: the query escaped as a component, then the
    whole encoded as a URI (so a query's `%` is encoded twice)."""
    pathname, *rest = target.split("?")
    search = rest[0] if rest else ""
    escaped = quote(search, safe=_COMPONENT_SAFE)
    return quote(f"{pathname}?{escaped}" if escaped else pathname, safe=_URI_SAFE)


def canonical(method: str, target: str, signed_headers: dict[str, str], body: bytes) -> bytes:
    names = sorted(signed_headers)
    header_text = ";".join(f"{name}:{signed_headers[name]}" for name in names)
    head = "\n".join((method, normalized_path(target), header_text, ""))
    return head.encode() + body


def covered_headers(headers: Headers, listed: str, timestamp: int) -> dict[str, str]:
    """The headers the signature covers: those listed (lowercased, values trimmed), with the
    timestamp and the list itself rewritten as the toolkit does (the list sorted)."""
    names = set(listed.split(","))
    covered = {name: value.strip() for name, value in headers.items() if name in names}
    covered[TIMESTAMP] = str(timestamp)
    covered[SIGNED_HEADERS] = ",".join(sorted({*covered, SIGNED_HEADERS}))
    return covered


def target_of(url: str) -> str:
    split = urlsplit(url)
    return split.path + (f"?{split.query}" if split.query else "")


class Contentful:
    name = "contentful"
    aliases = ()
    marker_headers = (SIGNATURE, TOPIC)
    signature_headers = (SIGNATURE, SIGNED_HEADERS, TIMESTAMP)
    secret_hint = "the space's webhook signing secret (64 characters)"
    tolerance_s = TTL_S
    sending = Sending(headers=lambda event, delivery_id, now: [(TOPIC, event)],
                      new_secret=lambda: secrets.token_hex(32))

    def detect_body(self, delivery: Delivery) -> bool:
        return False

    def identify(self, delivery: Delivery) -> Identity:
        return identity(self.name, delivery.headers.get(TOPIC), None)

    def signature(self, key: Key, method: str, url: str, headers: dict[str, str],
                  body: bytes) -> str:
        message = canonical(method, target_of(url), headers, body)
        return encode(hmac_digest(key.secret.encode(), message, "sha256"), "hex")

    def verify(self, delivery: Delivery, key: Key, now: float,
               explain: bool = True) -> Verdict:
        found = {name: delivery.headers.get(name) for name in self.signature_headers}
        for name, value in found.items():
            if value is None:
                return missing_header(self.name, name)
        received, listed, stamp = (found[name] or "" for name in self.signature_headers)
        stamp = stamp.strip()
        if not (stamp.isascii() and stamp.isdigit() and len(stamp) <= 16):
            return verdict(self.name, "malformed", f"{TIMESTAMP} is not unix milliseconds",
                           header=TIMESTAMP, received=short(stamp))
        timestamp = int(stamp)
        covered = covered_headers(delivery.headers, listed, timestamp)
        expected = self.signature(key, delivery.method, delivery.url, covered, delivery.body)
        age = round(now - timestamp / 1000, 3)
        details = {"header": SIGNATURE, "received": short(received),
                   "expected": short(expected), "timestamp_age_s": age}
        what = f"HMAC-SHA256 of the canonical request (signing {listed})"
        if same(received.strip(), expected):
            if age >= self.tolerance_s:
                return verdict(self.name, "stale", f"signature matches, but signed {age:.0f} s "
                               f"ago, past the toolkit's {self.tolerance_s} s time-to-live",
                               **details)
            return verdict(self.name, "valid", f"{SIGNATURE} matches {what}", **details)
        reason = f"{SIGNATURE} does not match {what}"
        if not explain:
            return verdict(self.name, "invalid", reason, complete=False, **details)
        cause = self.diagnose(delivery, key, covered, received, expected)
        return verdict(self.name, "invalid", f"{reason}: {cause}", **details)

    def diagnose(self, delivery: Delivery, key: Key, covered: dict[str, str],
                 received: str, expected: str) -> str:
        if same(received.strip(), encode(bytes.fromhex(expected), "base64")):
            return ("it is the same HMAC in base64, as older node-apps-toolkit releases wrote it "
                    "(create-signature.ts); the current toolkit writes hex")
        for body, how in body_variants(delivery.body):
            if same(received.strip(), self.signature(key, delivery.method, delivery.url,
                                                     covered, body)):
                return f"it matches the body {how}: the body changed after signing"
        return (f"wrong secret (expects {self.secret_hint}), or the path, a signed header or "
                "the body changed after signing")

    def sign(self, key: Key, message: SignInput) -> Signed:
        timestamp = int(message.now * 1000)
        covered = covered_headers(Headers(()), "", timestamp)
        signature = self.signature(key, message.method, message.url, covered, message.body)
        return signed(message, [(SIGNATURE, signature), (SIGNED_HEADERS, covered[SIGNED_HEADERS]),
                                (TIMESTAMP, str(timestamp))])
