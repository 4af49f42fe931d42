"""Shared HMAC machinery: signed-payload templates, constant-time comparison, and diagnosis.

Most providers sign `prefix + encode(HMAC(key, template filled with id, timestamp, body…))`.
`HmacScheme` does that from a few parameters; a provider module overrides only what differs
(how the signature header is parsed, how the key is derived).
"""

from __future__ import annotations

import base64
import binascii
import functools
import hmac
import math
import re
from collections.abc import Callable, Iterator
from typing import NamedTuple
from urllib.parse import urlsplit

from ..models import Verdict
from ..models import short as short  # its home; the schemes import it from here
from ._api import (
    SENDS_PLAINLY,
    Delivery,
    Handshake,
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
from .variants import URL_CAUSE, body_variants, url_variants

ALGORITHMS = ("sha256", "sha1", "sha512")
ENCODINGS = ("hex", "base64")
_PLACEHOLDER = re.compile(r"\{(body|timestamp|id|url|query|method|path)\}")


hmac_digest: Callable[[bytes, bytes, str], bytes]
try:  # the one-shot C implementation (OpenSSL's HMAC()), without hmac.digest's own frame
    from _hashlib import hmac_digest
except ImportError:  # a Python built without OpenSSL
    hmac_digest = hmac.digest


def encode(raw: bytes, encoding: str) -> str:
    """hex, base64, or base64url without padding (Sanity's)."""
    if encoding == "hex":
        return raw.hex()
    if encoding == "base64url":
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")
    return base64.b64encode(raw).decode("ascii")


def same(received: str, expected: str) -> bool:
    """Constant-time string comparison that never raises."""
    return hmac.compare_digest(received.encode("utf-8", "replace"),
                               expected.encode("utf-8", "replace"))


def any_same(received: list[str], expected: str) -> bool:
    """Whether one of the signatures is `expected` (each compared in constant time)."""
    for candidate in received:  # noqa: SIM110 - cheaper than a generator, on every capture
        if same(candidate, expected):
            return True
    return False


def b64decode_loose(text: str) -> bytes:
    """Base64 with or without padding (secrets are often pasted without it)."""
    cleaned = text.strip()
    return base64.b64decode(cleaned + "=" * (-len(cleaned) % 4), validate=True)


def b64decode_or_none(text: str) -> bytes | None:
    try:
        return b64decode_loose(text)
    except (binascii.Error, ValueError):
        return None


class Parts(NamedTuple):
    """The values a payload template can use."""

    body: bytes
    timestamp: str = ""
    id: str = ""
    url: str = ""
    method: str = ""

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    @property
    def query(self) -> str:
        return urlsplit(self.url).query


@functools.lru_cache(maxsize=256)
def compile_template(template: str) -> tuple[tuple[bytes, str | None], ...]:
    """(literal text, field name or None) pieces of a payload template."""
    pieces: list[tuple[bytes, str | None]] = []
    position = 0
    for match in _PLACEHOLDER.finditer(template):
        pieces.append((template[position:match.start()].encode(), match.group(1)))
        position = match.end()
    pieces.append((template[position:].encode(), None))
    return tuple(pieces)


def fill(template: str, parts: Parts) -> bytes:
    """The template with `{body}` as raw bytes and the other fields as UTF-8."""
    if template == "{body}":
        return parts.body
    pieces: list[bytes] = []
    for literal, name in compile_template(template):
        pieces.append(literal)
        if name is not None:
            value = getattr(parts, name)
            pieces.append(value if isinstance(value, bytes) else value.encode())
    return b"".join(pieces)


class Received(NamedTuple):
    """The signature(s) found on a request, and what the payload template needs from it."""

    header: str
    signatures: list[str]
    raw: str
    parts: Parts


class Timing(NamedTuple):
    age_s: float | None = None
    stale_reason: str | None = None


UNTIMED = Timing()  # a scheme that signs no time


class HmacScheme:
    """A provider that signs a payload template with HMAC; subclasses set the parameters."""

    name: str = ""
    aliases: tuple[str, ...] = ()
    marker_headers: tuple[str, ...] = ()
    signature_header: str = ""
    timestamp_header: str | None = None
    id_header: str | None = None
    algorithm: str = "sha256"
    encoding: str = "hex"
    prefix: str = ""
    template: str = "{body}"
    tolerance_s: float | None = None
    # Stripe's and Prime Bot's libraries reject only old timestamps; Standard Webhooks both ways.
    reject_future: bool = True
    secret_hint: str = "the webhook signing secret"
    sending: Sending = SENDS_PLAINLY
    # Options a [[secrets]] entry may give beside the secret (what a handshake needs).
    option_keys: tuple[str, ...] = ()
    # An overridden verify() that is HmacScheme's whenever signature_header is on the request
    # (GitHub's hands only the others to its legacy scheme): keyed.py may take its place then.
    verifies_plainly_when_signed: bool = False

    @property
    def signature_headers(self) -> tuple[str, ...]:
        extra = (self.timestamp_header, self.id_header)
        return (self.signature_header, *(h for h in extra if h))

    def describe_payload(self) -> str:
        if self.template == "{body}":
            return "the raw body"
        return "'" + self.template + "'"

    # --- what subclasses may override -------------------------------------------------

    def key_bytes(self, key: Key) -> bytes:
        return key.secret.encode("utf-8")

    def alternative_keys(self, key: Key) -> Iterator[tuple[bytes, str]]:
        """Keys a developer may have meant; a match tells them how the secret was mis-encoded."""
        secret = key.secret
        for marker in ("whsec_", "pdl_ntf_"):
            decoded = b64decode_or_none(secret[len(marker):])
            if secret.startswith(marker) and decoded is not None:
                yield decoded, f"the secret base64-decoded after '{marker}'"
        decoded = b64decode_or_none(secret)
        if decoded is not None:
            yield decoded, "the secret base64-decoded"
        stripped = secret.strip()
        if stripped != secret:
            yield stripped.encode(), "the secret without surrounding whitespace"

    def read(self, delivery: Delivery) -> Received | Verdict:
        header = self.signature_header
        raw = delivery.headers.get(header)
        if raw is None:
            return missing_header(self.name, header)
        value = raw.strip()
        if self.prefix and not value.startswith(self.prefix):
            return verdict(self.name, "malformed",
                           f"{header} should start with '{self.prefix}', got '{short(value, 12)}'",
                           header=header, received=short(value))
        return Received(header, [value[len(self.prefix):]], raw, self.parts(delivery))

    def parts(self, delivery: Delivery, timestamp: str | None = None) -> Parts:
        if timestamp is None and self.timestamp_header:
            timestamp = delivery.headers.get(self.timestamp_header) or ""
        message_id = (delivery.headers.get(self.id_header) or "") if self.id_header else ""
        url = delivery.url if self.signs_url else ""  # rebuilding it costs: only when signed
        return Parts(delivery.body, timestamp or "", message_id, url, delivery.method)

    @functools.cached_property
    def signs_url(self) -> bool:
        return any(field in self.template for field in ("{url}", "{path}", "{query}"))

    def timestamp_seconds(self, received: Received, delivery: Delivery) -> float | None:
        """The signing time in unix seconds, or None where the scheme has none."""
        if not received.parts.timestamp:
            return None
        return float(received.parts.timestamp)

    def signing_timestamp(self, now: float) -> str:
        """The timestamp a signature made at `now` carries: unix seconds unless a scheme says."""
        return str(int(now))

    def identify(self, delivery: Delivery) -> Identity:
        message_id = delivery.headers.get(self.id_header) if self.id_header else None
        return identity(self.name, None, message_id)

    def detect_body(self, delivery: Delivery) -> bool:
        return False

    # Whether `handshake` can answer anything: the hooks listener asks only those that can.
    answers_handshakes = False

    def handshake(self, delivery: Delivery, key: Key, now: float) -> Handshake | None:
        """The answer to the provider's proof-of-endpoint request, when this is one."""
        return None

    # --- the shared algorithm -----------------------------------------------------------

    def expected(self, key: bytes, parts: Parts, algorithm: str | None = None,
                 encoding: str | None = None) -> str:
        raw = hmac_digest(key, fill(self.template, parts), algorithm or self.algorithm)
        return encode(raw, encoding or self.encoding)

    def timing(self, received: Received, delivery: Delivery, now: float) -> Timing | Verdict:
        if self.tolerance_s is None:
            return UNTIMED
        header = self.timestamp_header or received.header
        try:
            signed_at = self.timestamp_seconds(received, delivery)
            if signed_at is not None and not math.isfinite(signed_at):
                raise ValueError(signed_at)
        except (ValueError, OverflowError, TypeError):
            return verdict(self.name, "malformed", f"{header} is not a unix timestamp",
                           header=header, received=short(received.parts.timestamp))
        if signed_at is None:
            return verdict(self.name, "missing", f"no timestamp ({header}) on the request",
                           header=header)
        age = round(now - signed_at, 3)
        if age > self.tolerance_s:
            return Timing(age, f"signed {age:.0f} s ago, more than the {self.tolerance_s:.0f} s "
                               "tolerance: a replayed delivery, or a clock off")
        if self.reject_future and -age > self.tolerance_s:
            return Timing(age, f"timestamp {-age:.0f} s in the future, beyond the "
                               f"{self.tolerance_s:.0f} s tolerance: check the clocks")
        return Timing(age)

    def signature_matches(self, delivery: Delivery, key: Key) -> bool:
        """Whether any signature on the request matches, ignoring time: the fast check."""
        received = self.read(delivery)
        if isinstance(received, Verdict):
            return False
        expected = self.expected(self.key_bytes(key), received.parts)
        return any_same(received.signatures, expected)

    def verify(self, delivery: Delivery, key: Key, now: float,
               explain: bool = True) -> Verdict:
        received = self.read(delivery)
        if isinstance(received, Verdict):
            return received
        timing = UNTIMED if self.tolerance_s is None else self.timing(received, delivery, now)
        if isinstance(timing, Verdict):
            return timing
        return self.judge(received, timing, key, delivery, explain)

    @functools.lru_cache(maxsize=8)  # noqa: B019 - schemes live as long as the process
    def matches_reason(self, header: str) -> str:
        return f"{header} matches {self.what}"

    @functools.cached_property
    def what(self) -> str:
        return f"HMAC-{self.algorithm.upper()} of {self.describe_payload()}"

    def judge(self, received: Received, timing: Timing, key: Key, delivery: Delivery,
              explain: bool = True) -> Verdict:
        expected = self.expected(self.key_bytes(key), received.parts)
        signed = self.prefix + expected if self.prefix else expected
        shown = short(signed)
        # Equal strings are stored once: a valid verdict's received is its expected.
        received_shown = shown if received.raw == signed else short(received.raw)
        details = (received.header, received_shown, shown, timing.age_s)
        if any_same(received.signatures, expected):
            if timing.stale_reason:
                return Verdict(self.name, "stale",
                               f"signature matches, but {timing.stale_reason}", *details)
            return Verdict(self.name, "valid", self.matches_reason(received.header), *details)
        reason = f"{received.header} does not match {self.what}"
        if not explain:
            return Verdict(self.name, "invalid", reason, *details, complete=False)
        return Verdict(self.name, "invalid", f"{reason}: {self.diagnose(received, key)}",
                       *details)

    def diagnose(self, received: Received, key: Key) -> str:
        """Name the likely cause of a mismatch by trying what usually goes wrong."""
        own_key, parts = self.key_bytes(key), received.parts
        trials: list[tuple[bytes, Parts, str, str, str]] = []
        for algorithm in ALGORITHMS:
            for encoding in ENCODINGS:
                if (algorithm, encoding) != (self.algorithm, self.encoding):
                    trials.append((own_key, parts, algorithm, encoding,
                                   f"it is HMAC-{algorithm.upper()} {encoding}, but {self.name} "
                                   f"sends HMAC-{self.algorithm.upper()} {self.encoding}"))
        for body, how in body_variants(parts.body):
            trials.append((own_key, parts._replace(body=body), self.algorithm, self.encoding,
                           f"it matches the body {how}: the body changed after signing "
                           "(re-serialised by a proxy or framework?); verify the raw bytes"))
        if "{url}" in self.template:
            for url, how in url_variants(parts.url):
                trials.append((own_key, parts._replace(url=url), self.algorithm, self.encoding,
                               URL_CAUSE.format(how=how, url=parts.url)))
        for other_key, how in self.alternative_keys(key):
            trials.append((other_key, parts, self.algorithm, self.encoding,
                           f"it matches with {how}: {self.secret_hint} is used differently"))
        for trial_key, trial_parts, algorithm, encoding, cause in trials:
            candidate = self.expected(trial_key, trial_parts, algorithm, encoding)
            if any_same(received.signatures, candidate):
                return cause
        return ("wrong secret, or the body or signed headers were altered after signing "
                f"(expects {self.secret_hint})")

    def sign(self, key: Key, message: SignInput) -> Signed:
        timestamp = self.signing_timestamp(message.now)
        parts = Parts(body=message.body, timestamp=timestamp, id=message.message_id,
                      url=message.url, method=message.method)
        headers = [(self.signature_header,
                    self.prefix + self.expected(self.key_bytes(key), parts))]
        if self.timestamp_header:
            headers.append((self.timestamp_header, timestamp))
        if self.id_header:
            headers.append((self.id_header, message.message_id))
        return signed(message, headers)
