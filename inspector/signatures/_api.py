"""What every signature scheme works on and returns: plain values, no I/O, the clock a parameter."""

from __future__ import annotations

import json
import secrets
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import itemgetter
from typing import Any, NamedTuple, Protocol
from urllib.parse import parse_qsl, urlsplit

import msgspec

from ..models import Verdict, VerdictStatus, new_tuple


class Headers:
    """A case-insensitive, read-only view of headers (proxies and HTTP/2 lowercase names).

    Held as the names as received, the same names lowered, the values, and each lowered name's
    first value: built by C's loops, and, for a request off the wire, from names the listener
    decoded once (`received`), so that a lookup is one `str.lower` and one dict lookup.
    `first` is that dict, read-only: a caller that knows a name lowered reads it without the
    frame of `get` (the capture path does, a few times a request)."""

    __slots__ = ("_lowered", "_names", "_values", "first")
    _names: Sequence[str]
    _lowered: Sequence[str]
    _values: Sequence[str]
    first: dict[str, str]

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        pairs = tuple(pairs)
        names: list[str] = [*map(_NAME, pairs)]
        if not all(map(isinstance, names, repeat(str))):
            raise TypeError("header names must be strings")
        lowered, values = [*map(str.lower, names)], [*map(_VALUE, pairs)]
        self._names, self._lowered, self._values = names, lowered, values
        self.first = _first_values(lowered, values)

    @classmethod
    def received(cls, names: Sequence[str], lowered: Sequence[str], values: list[str],
                 repeated: bool) -> Headers:
        """Headers from their names as received, the same lowered (`repeated`: a lowered name
        comes more than once), and their values, one a name."""
        headers = cls.__new__(cls)
        headers._names, headers._lowered, headers._values = names, lowered, values
        # without a repeated name, the first value of each is its only one: no reversing, and
        # no frame a captured request; the lengths are equal (one value a name), and zip's
        # keyword would cost a quarter of the dict
        headers.first = _first_values(lowered, values) if repeated else \
            dict(zip(lowered, values))  # noqa: B905
        return headers

    def get(self, name: str) -> str | None:
        return self.first.get(name.lower())

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self.first

    def __iter__(self) -> Iterator[str]:
        """Names as received, each once (in any case: the first spelling of it), as the
        multidict that held them before gave them."""
        spelt = dict(zip(reversed(self._lowered), reversed(self._names), strict=True))
        return map(spelt.__getitem__, dict.fromkeys(self._lowered))

    def lowered(self) -> Sequence[str]:
        """Lowercased names, in order, repeated names repeated."""
        return self._lowered

    def names(self) -> Iterable[str]:
        """Lowercased names, once each."""
        return dict.fromkeys(self._lowered)

    def items(self) -> Iterable[tuple[str, str]]:
        """(lowercased name, value) pairs, in order."""
        return zip(self._lowered, self._values, strict=True)

    def pairs(self) -> tuple[tuple[str, str], ...]:
        """(name as received, value) pairs, in order, repeated names repeated."""
        return tuple(zip(self._names, self._values, strict=True))


_NAME, _VALUE = itemgetter(0), itemgetter(1)


def _first_values(lowered: Sequence[str], values: Sequence[str]) -> dict[str, str]:
    """Each lowered name's first value (reversed: the first of a repeated name's is kept)."""
    return dict(zip(reversed(lowered), reversed(values), strict=True))


class Delivery:
    """A request as a scheme sees it. `url` is the public URL the sender used, with its query.

    A plain class: one is built for every captured request, and it caches the parsed body.
    """

    __slots__ = ("_json", "_target", "_url", "body", "headers", "method")

    def __init__(self, method: str, url: str | None, headers: Headers, body: bytes,
                 target: str = "/") -> None:
        """`url` None: rebuilt from the headers and `target` (path and query) when needed."""
        self.method = method
        self._url = url
        self._target = target
        self.headers = headers
        self.body = body
        self._json: Any = _UNPARSED

    @property
    def url(self) -> str:
        if self._url is None:
            self._url = public_url(self.headers, self._target)
        return self._url

    @property
    def payload(self) -> Any:
        """The body parsed as JSON (None when it is not JSON), parsed once."""
        if self._json is _UNPARSED:
            self._json = parse_json(self.body)
        return self._json

    @property
    def form(self) -> list[tuple[str, str]]:
        """The body's urlencoded parameters when it is a form, else []."""
        content_type = (self.headers.get("content-type") or "").lower()
        if "application/x-www-form-urlencoded" not in content_type:
            return []
        return parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True)

    @property
    def query_params(self) -> list[tuple[str, str]]:
        return parse_qsl(urlsplit(self.url).query, keep_blank_values=True)

    def body_field(self, *path: str) -> Any:
        """A nested value of a JSON object body, or None."""
        value = self._json
        if value is _UNPARSED:  # `payload`, spelt out: a frame fewer
            value = self._json = parse_json(self.body)
        for key in path:
            if not isinstance(value, dict):
                return None
            value = value.get(key)
        return value


_UNPARSED = object()


def public_url(headers: Headers, target: str) -> str:
    """The URL as the sender saw it: a tunnel's X-Forwarded-Proto/-Host win over our own."""
    scheme = (headers.get("X-Forwarded-Proto") or "http").split(",")[0].strip()
    host = (headers.get("X-Forwarded-Host") or headers.get("Host") or "localhost")
    return f"{scheme}://{host.split(',')[0].strip()}{target}"


def parse_json(body: bytes) -> Any:
    """The body's JSON document (an object or an array), as json.loads reads it; else None.

    msgspec reads it first, in a third of json's time: where it gives a value, the value is
    json's (big integers exact, floats correctly rounded, duplicate keys' last value in the
    first key's place); what it refuses that json reads (NaN and Infinity, numbers past a
    float's range, lone surrogates' escapes or UTF-8 bytes, UTF-16 and -32) json reads.
    Nesting: both are bound by the interpreter's recursion limit, from the caller's depth.
    msgspec, called directly, reads one level deeper than the scanner (whose call takes a
    level): called through a staticmethod (whose call takes one too) it reads one level
    less, and json reads the level between, so the bound is json's to the level
    (tests/signatures/test_parse_json.py). A body after whitespace is json.loads's, whose
    own frames lower its bound: msgspec does not read it.
    """
    start = body[:1]
    if start == b"{" or start == b"[":
        try:
            return _read_json(body)
        except (ValueError, RecursionError):  # msgspec's DecodeError, UnicodeDecodeError
            pass
    elif body.lstrip()[:1] not in (b"{", b"["):
        return None
    # json's reading, in this frame (a frame more would lower json's nesting bound by one)
    try:
        if b"\x00" in body[:4]:  # UTF-16 or -32: json.loads finds which
            return json.loads(body)
        # What json.loads does with UTF-8 bytes (no BOM: the body starts with { or [),
        # without its encoding detection.
        text = body.decode("utf-8", "surrogatepass")
        if start != b"{" and start != b"[":  # leading whitespace: json.loads skips it
            return json.loads(text)
        # json.loads(text) for a text that starts with its document: its scanner, without
        # the Python frames and the whitespace matches around it.
        value, end = _scan(text, 0)
        if end != len(text) and text[end:].strip(_WHITESPACE):
            return None  # extra data after the document
        return value
    except (ValueError, RecursionError, StopIteration):  # StopIteration: no document
        return None


_msgspec_decode: Callable[[bytes], Any] = msgspec.json.decode
# Through a staticmethod: its call takes a recursion level (see parse_json).
_read_json: Callable[[bytes], Any] = staticmethod(_msgspec_decode)
# json.loads's own scanner (the C one where built); typeshed does not declare it.
_scan: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
_WHITESPACE = " \t\n\r"  # what json.loads allows after the document


@dataclass(frozen=True)
class Key:
    """A configured secret (or public key) and, for the generic scheme, its options."""

    secret: str
    options: Mapping[str, Any] = field(default_factory=dict)


class Identity(NamedTuple):
    event: str | None = None
    delivery_id: str | None = None
    # Requests with the same key are the same delivery sent again.
    dedupe_key: str | None = None


class Handshake(NamedTuple):
    """A provider proving an endpoint before it delivers (`event`, as the request is recorded),
    and the answer it expects."""

    event: str
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


@dataclass(frozen=True)
class SignInput:
    """What `sign` needs: the body, the URL it goes to, the time, a delivery id."""

    body: bytes
    url: str
    now: float
    message_id: str
    content_type: str = "application/json"
    method: str = "POST"


@dataclass(frozen=True)
class Signed:
    """A request as the provider would send it: the headers to add, and the body and URL (which
    a scheme may change: Mailgun signs inside the body, Twilio adds bodySHA256 to the URL)."""

    headers: list[tuple[str, str]]
    body: bytes
    url: str


def signed(message: SignInput, headers: list[tuple[str, str]]) -> Signed:
    """Headers added to the message's own body and URL."""
    return Signed(headers, message.body, message.url)


EventHeaders = Callable[[str, str, float], list[tuple[str, str]]]  # (event, delivery id, now)


def _no_headers(event: str, delivery_id: str, now: float) -> list[tuple[str, str]]:
    return []


def _token() -> str:
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class Sending:
    """How the provider delivers, for `send` and the UI's test events: facts of the scheme,
    so that nothing outside `signatures/` needs to know a provider by name."""

    # The headers it sends beside its signature (event names, delivery ids, versions).
    headers: EventHeaders = _no_headers
    # A test secret in the provider's own format.
    new_secret: Callable[[], str] = _token
    # Public-key schemes: a generated (signing key, verifying key) pair; the verifying key is
    # what the receiver configures, and a configured one cannot sign.
    key_pair: Callable[[], tuple[str, str]] | None = None
    # Options a secret needs to sign with (the generic scheme's), when none are given.
    options: Mapping[str, Any] = field(default_factory=dict)
    # JSON bodies as the provider serialises them: compact unless it indents.
    json_indent: int | None = None
    # False where the provider publishes no signature scheme: nothing can sign as it, but a
    # generic construction (`options`, the generic scheme's) may stand in for it.
    published: bool = True
    # Providers that deliver a signed GET link (TeleBotHost's user links): the payload's values
    # as the link's query, in order; no body. ValueError when the values make no link.
    link: Callable[[Any], list[tuple[str, str]]] | None = None


SENDS_PLAINLY = Sending()


class Unpublished:
    """A provider whose signature scheme is not published: it says so in `sending`, and nothing
    can sign as it."""

    name = ""
    sending = Sending(published=False)

    def sign(self, key: Key, message: SignInput) -> Signed:
        raise NotImplementedError(f"{self.name}'s signature scheme is not published")


class Scheme(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def aliases(self) -> tuple[str, ...]: ...
    @property
    def marker_headers(self) -> tuple[str, ...]:
        """Headers whose presence marks a request as this provider's (any case)."""
    @property
    def signature_headers(self) -> tuple[str, ...]:
        """Headers that carry the signature or its parts, for `providers` and the docs."""
    @property
    def secret_hint(self) -> str: ...
    @property
    def sending(self) -> Sending: ...

    def detect_body(self, delivery: Delivery) -> bool: ...
    def identify(self, delivery: Delivery) -> Identity: ...
    def verify(self, delivery: Delivery, key: Key, now: float,
               explain: bool = True) -> Verdict: ...
    def sign(self, key: Key, message: SignInput) -> Signed: ...


def verdict(scheme: str, status: VerdictStatus, reason: str, **details: Any) -> Verdict:
    return Verdict(provider=scheme, status=status, reason=reason, **details)


def identity(scheme: str, event: str | None, delivery_id: str | None,
             dedupe_on: str | None = None) -> Identity:
    """Requests of one scheme with the same delivery id (or `dedupe_on`) are one delivery."""
    key = dedupe_on or delivery_id
    # event, delivery_id, dedupe_key: the tuple made at once (no NamedTuple constructor frame)
    return new_tuple(Identity, (event, delivery_id, f"{scheme}:{key}" if key else None))


def missing_header(scheme: str, header: str) -> Verdict:
    return Verdict(scheme, "missing", f"no {header} header on the request", header=header)


def text(value: Any) -> str | None:
    """A JSON scalar as a string, for events and ids."""
    if value is None or isinstance(value, (dict, list)):  # no union made a call
        return None
    value = str(value)
    return sys.intern(value) if len(value) <= 64 else value  # shared(), spelt out


def iso_time(now: float) -> str:
    """Unix seconds as ISO 8601 in UTC, as providers write delivery times."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now))


def shared(value: str) -> str:
    """One copy of a short string that recurs (event names, paths): stored requests share it."""
    return sys.intern(value) if len(value) <= 64 else value
