"""Text the analysis derives from a request (event, delivery id, dedupe key, verdicts) is cut
to a documented length: a body field or a header can hold megabytes, and this text goes into
every summary, list answer and websocket message. A cut ends in "…" so that it shows."""

from __future__ import annotations

import hashlib
import re

from .models import Verdict
from .signatures import Identity

MAX_DERIVED = 200  # characters of an event, a delivery id, a dedupe key, a verdict's fields
MAX_REASON = 1000  # characters of a verdict's reason
CUT = "…"
_DIGEST = 32  # hex digits of SHA-256 that end a cut dedupe key
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def cut(text: str | None, limit: int = MAX_DERIVED) -> str | None:
    if text is None or len(text) <= limit:
        return text
    return text[:limit - len(CUT)] + CUT


def cut_key(key: str | None) -> str | None:
    """A dedupe key within the limit that still tells keys apart: a cut one ends in a digest
    of the whole, so two long keys that share their beginning stay two deliveries."""
    if key is None or len(key) <= MAX_DERIVED:
        return key
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:_DIGEST]
    return key[:MAX_DERIVED - len(CUT) - _DIGEST] + CUT + digest


def encodable(text: str | None) -> str | None:
    """The text with each lone surrogate (JSON's "\\ud800" parses to one) as U+FFFD: it
    cannot be encoded, so an index, a file or a terminal would fail on it."""
    if text is None or text.isascii():
        return text
    return _LONE_SURROGATE.sub("\ufffd", text)


def bounded_identity(identity: Identity) -> Identity:
    event, delivery_id, key = identity
    # each None, or short and ASCII: the usual case, at no cost (spelt out: no call a text)
    if (event is None or (len(event) <= MAX_DERIVED and event.isascii())) and \
            (delivery_id is None or (len(delivery_id) <= MAX_DERIVED and delivery_id.isascii())) \
            and (key is None or (len(key) <= MAX_DERIVED and key.isascii())):
        return identity
    return Identity(cut(encodable(event)), cut(encodable(delivery_id)), cut_key(encodable(key)))


def bounded_verdict(verdict: Verdict) -> Verdict:
    if len(verdict.reason) <= MAX_REASON and max(len(verdict.header or ""), len(
            verdict.received or ""), len(verdict.expected or "")) <= MAX_DERIVED:
        return verdict  # the usual case: shared verdicts stay shared
    return verdict._replace(reason=cut(verdict.reason, MAX_REASON) or "",
                            header=cut(verdict.header), received=cut(verdict.received),
                            expected=cut(verdict.expected))
