"""The usual HMAC scheme checked without the general machinery: the raw body signed, no
timestamp, one secret keyed once.

`HmacScheme.verify` reads the header into a `Received` with its `Parts`, times it, fills the
template and judges; for a scheme that signs only the raw body none of that changes the
answer. `RawBodyCheck` hashes with an HMAC keyed once per secret (copied per request: the key
is not set up again) and builds the verdict the general path would give when the signature
matches, or when it does not and no cause is to be searched for. Anything else (no header, a
wrong prefix, a mismatch to explain) it leaves to the general path, which decides as before.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Any

from ..models import HeaderShown, Verdict, new_tuple
from ._api import Delivery, Key
from ._hmac import HmacScheme, encode, same, short

keyed_hmac: Callable[..., Any]
try:  # OpenSSL's HMAC object, without the hmac.HMAC wrapper's Python frames on copy()
    from _hashlib import hmac_new as keyed_hmac
except ImportError:  # a Python built without OpenSSL
    keyed_hmac = hmac.new

# What a covered scheme must take from HmacScheme unchanged for the shortcut to be its answer.
_SHARED = ("read", "parts", "key_bytes", "expected", "judge")


def covers(scheme: object) -> bool:
    """Whether `RawBodyCheck` gives this scheme's verdicts: an `HmacScheme` signing the raw body,
    untimed, with the shared reading, key and judging (and verify, unless it only hands off
    requests that lack its signature header)."""
    if not isinstance(scheme, HmacScheme) or scheme.template != "{body}" or \
            scheme.tolerance_s is not None:
        return False
    kind = type(scheme)
    shared = all(getattr(kind, name) is getattr(HmacScheme, name) for name in _SHARED)
    return shared and (kind.verify is HmacScheme.verify or scheme.verifies_plainly_when_signed)


class RawBodyCheck:
    """One secret's check for a covered scheme. Holds the keyed HMAC: never shown."""

    __slots__ = ("_encoding", "_header", "_keyed", "_lowered", "_mismatch", "_name", "_prefix",
                 "_scheme", "_valid")

    def __init__(self, scheme: HmacScheme, key: Key) -> None:
        self._scheme = scheme
        self._name = scheme.name
        self._header = header = scheme.signature_header
        self._lowered = header.lower()  # read from `Headers.first`: no `get` frame a request
        self._prefix = scheme.prefix
        self._encoding = scheme.encoding
        self._valid = scheme.matches_reason(header)
        self._mismatch = f"{header} does not match {scheme.what}"
        self._keyed = keyed_hmac(scheme.key_bytes(key), digestmod=scheme.algorithm)

    def __repr__(self) -> str:
        return f"RawBodyCheck({self._name})"

    def __call__(self, delivery: Delivery, explain: bool) -> Verdict | None:
        """The scheme's verdict on the request, or None where the general path must decide."""
        header = self._header
        raw = delivery.headers.first.get(self._lowered)
        if raw is None:
            return None
        value, prefix = raw.strip(), self._prefix
        if not value.startswith(prefix):
            return None
        mac = self._keyed.copy()
        mac.update(delivery.body)
        expected = mac.hexdigest() if self._encoding == "hex" else \
            encode(mac.digest(), self._encoding)
        signed = prefix + expected
        shown = short(signed)
        received = shown if raw == signed else short(raw)
        candidate = value[len(prefix):]
        # ASCII (a signature as sent) is compared as it is, in constant time; anything else as
        # `same` does, encoded first (compare_digest takes only ASCII strings).
        if hmac.compare_digest(candidate, expected) if candidate.isascii() else \
                same(candidate, expected):
            # its shown signature is the header's, as sent and stripped: a stored request
            # keeps one copy of the rest (captured.py)
            # Verdict's fields, in order (complete: True), made at once (no constructor frame)
            return new_tuple(HeaderShown, (self._name, "valid", self._valid, header,
                                           received, shown, None, True))
        if explain:
            return None
        return Verdict(self._name, "invalid", self._mismatch, header, received, shown, None,
                       complete=False)


def raw_body_check(scheme: object, key: Key) -> RawBodyCheck | None:
    """The shortcut for this secret, when its scheme is covered."""
    return RawBodyCheck(scheme, key) if isinstance(scheme, HmacScheme) and covers(scheme) \
        else None
