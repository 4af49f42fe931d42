"""The values stored requests share: a valid verdict of the keyed shortcut less what its
request's header gives, and the default answer less its numbered body, each kept once per
kind in a bounded cache (captured.py; bench/README.md, "Issue 24 (session 8)"). Past the
bound a record keeps its own copy."""

from __future__ import annotations

from typing import Any, NamedTuple

from .models import (
    HeaderPairs,
    HeaderShown,
    ResponseRecord,
    Verdict,
    block_value,
    numbered_body,
    short,
)

SHARED_BOUND = 256  # distinct shared verdicts and answer templates, each (configured ones)


class SharedValid(NamedTuple):
    """A `HeaderShown` verdict less what its request's header gives."""

    provider: str
    reason: str
    header: str


class NumberedTemplate(ResponseRecord):
    """The default answer less its numbered body and its duration (kept per record)."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        # Never equal to an answer kept whole (an empty body, no duration): a shape that holds
        # a template is not that answer's.
        return other.__class__ is NumberedTemplate and tuple.__eq__(self, other)

    __hash__ = ResponseRecord.__hash__


# by (provider, status, reason, header), a slice of the verdict: cheaper than building the key
SHARED_VALID: dict[tuple[Any, ...], SharedValid] = {}
_templates: dict[tuple[int, HeaderPairs, str], NumberedTemplate] = {}
LAST_TEMPLATE = [NumberedTemplate(200, (), b"", 0.0, "inspector")]  # most answers use it

Verdicts = tuple[Verdict, ...] | SharedValid


def kept_verdicts(verdicts: tuple[Verdict, ...]) -> Verdicts:
    if len(verdicts) != 1 or (verdict := verdicts[0]).__class__ is not HeaderShown:
        return verdicts
    return SHARED_VALID.get(verdict[:4]) or shared(verdicts)


def shared(verdicts: tuple[Verdict, ...]) -> Verdicts:
    """A new shared valid verdict, while there is room for it."""
    verdict = verdicts[0]
    if len(SHARED_VALID) >= SHARED_BOUND or verdict.header is None:
        return verdicts
    one = SHARED_VALID[verdict[:4]] = SharedValid(verdict.provider, verdict.reason,
                                                   verdict.header)
    return one


def shown_values(kept: SharedValid, header_block: bytes) -> tuple[str | None, str | None]:
    """A shared valid verdict's `received` and `expected`: its header's value as the check
    read it (`Headers.get`: the first, in any case), cut by `short`, as sent and stripped."""
    raw = block_value(header_block, kept.header) or ""
    return short(raw), short(raw.strip())


def numbered_template(request_id: int, response: ResponseRecord
                      ) -> tuple[ResponseRecord | None, float | None]:
    """The default answer as sent before its number (its body is the id's, `numbered_body`) as
    kept: a shared template and the answer's duration (the last template used is tried first,
    by `CapturedRequest`)."""
    status, headers, _, duration_ms, source = response
    key = (status, headers, source)
    template = _templates.get(key)
    if template is None:
        if len(_templates) >= SHARED_BOUND:
            return response._replace(body=numbered_body(request_id)), None
        template = _templates[key] = NumberedTemplate(status, headers, b"", 0.0, source)
    LAST_TEMPLATE[0] = template
    return template, duration_ms
