"""The stored request, kept small: what most requests share is kept once, what can be derived
from the request itself is derived when read (bench/README.md, "Issue 24 (session 8)").

`CapturedRequest` reads as it always has (the same attribute names and values, `_replace`,
`_asdict`); only its tuple holds less:

- the default answer's body (`{"ok": true, "id": N}`) is not kept: it follows from the id, and
  the answer's status, headers and source are one shared template (its duration stays);
- a valid verdict of the keyed shortcut (`HeaderShown`) is one shared value per provider,
  reason and header: its shown signature is the header's value, cut as `short` cuts it;
- what few requests have (an error, replays, an import, a route, mirrors, a hold) is one
  shared default, and the body's size only where it is not the body's length.

The shared values come from bounded caches: past their bound a record keeps its own copy.
"""

from __future__ import annotations

from operator import attrgetter
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from .models import (
    NUMBERED_BODY,
    VERDICT_SEVERITY,
    Arrival,
    HeaderPairs,
    HeaderShown,
    Replay,
    ResponseRecord,
    Verdict,
    VerdictStatus,
    block_value,
    decode_header_block,
    numbered_body,
    short,
)

SHARED_BOUND = 256  # distinct shared verdicts and answer templates, each (configured ones)
Held = Literal["waiting", "delivered", "dropped"]


class SharedValid(NamedTuple):
    """A `HeaderShown` verdict less what its request's header gives."""

    provider: str
    reason: str
    header: str


class NumberedTemplate(ResponseRecord):
    """The default answer less its numbered body and its duration (kept per record)."""

    __slots__ = ()


class Rare(NamedTuple):
    """What few requests have; the common case is `COMMON`, shared."""

    error: str | None = None
    replays: tuple[Replay, ...] = ()
    imported: bool = False
    route: tuple[int, str] | None = None
    mirrored: tuple[Replay, ...] = ()
    held: Held | None = None


COMMON = Rare()
# by (provider, status, reason, header), a slice of the verdict: cheaper than building the key
_shared_valid: dict[tuple[Any, ...], SharedValid] = {}
_templates: dict[tuple[int, HeaderPairs, str], NumberedTemplate] = {}
_last_template = [NumberedTemplate(200, (), b"", 0.0, "inspector")]  # most answers use it

Verdicts = tuple[Verdict, ...] | SharedValid
_new_tuple = tuple.__new__


def _kept_verdicts(verdicts: tuple[Verdict, ...]) -> Verdicts:
    if len(verdicts) != 1 or (verdict := verdicts[0]).__class__ is not HeaderShown:
        return verdicts
    return _shared_valid.get(verdict[:4]) or _shared(verdicts)


def _shared(verdicts: tuple[Verdict, ...]) -> Verdicts:
    """A new shared valid verdict, while there is room for it."""
    verdict = verdicts[0]
    if len(_shared_valid) >= SHARED_BOUND or verdict.header is None:
        return verdicts
    shared = _shared_valid[verdict[:4]] = SharedValid(verdict.provider, verdict.reason,
                                                      verdict.header)
    return shared


def shown_values(kept: SharedValid, header_block: bytes) -> tuple[str | None, str | None]:
    """A shared valid verdict's `received` and `expected`: its header's value as the check
    read it (`Headers.get`: the first, in any case), cut by `short`, as sent and stripped."""
    raw = block_value(header_block, kept.header) or ""
    return short(raw), short(raw.strip())


def _numbered(request_id: int, response: ResponseRecord
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
    _last_template[0] = template
    return template, duration_ms


class _Layout(NamedTuple):
    """What a record holds (`CapturedRequest` reads it). Begins with Arrival's fields."""

    id: int
    received_at: float
    method: str
    path: str
    query: str
    http_version: str
    remote: str | None
    header_block: bytes
    body: bytes
    cut_size: int | None  # the body's size where it is not len(body) (a body cut short)
    trailer_block: bytes
    provider: str | None
    event: str | None
    delivery_id: str | None
    duplicate_of: int | None
    kept_signatures: Verdicts
    kept_response: ResponseRecord | None
    answer_ms: float | None  # the duration of an answer kept as a shared template
    rare: Rare


class CapturedRequest(_Layout):
    """One request exactly as it arrived on the hooks listener, plus what was learnt about it.
    Its fields after `id` begin with Arrival's, in Arrival's order (checked below)."""

    __slots__ = ()
    # the fields it reads as (9744306's), not the slots it holds
    _fields = ("id", *Arrival._fields, "error", "provider", "event",  # type: ignore[assignment]
               "delivery_id", "duplicate_of", "signatures", "response", "replays",
               "imported", "route", "mirrored", "held")

    def __new__(cls, id: int, received_at: float, method: str, path: str, query: str,
                http_version: str, remote: str | None, header_block: bytes, body: bytes,
                body_size: int, trailer_block: bytes, error: str | None = None,
                provider: str | None = None, event: str | None = None,
                delivery_id: str | None = None, duplicate_of: int | None = None,
                signatures: tuple[Verdict, ...] = (), response: ResponseRecord | None = None,
                replays: tuple[Replay, ...] = (), imported: bool = False,
                route: tuple[int, str] | None = None, mirrored: tuple[Replay, ...] = (),
                held: Held | None = None, numbered: bool = False) -> CapturedRequest:
        """`numbered`: `response` is the default answer before its number, which the record
        gives it (its body is `numbered_body(id)`, derived when read)."""
        rare = COMMON if error is None and not replays and not imported and route is None \
            and not mirrored and held is None \
            else Rare(error, replays, imported, route, mirrored, held)
        answer_ms = None
        if numbered and response is not None:
            last = _last_template[0]  # most answers use it: tried without a call
            if response[1] is last[1] and response[0] == last[0] and response[4] == last[4]:
                response, answer_ms = last, response[3]
            else:
                response, answer_ms = _numbered(id, response)
        kept_signatures: Verdicts = signatures
        if len(signatures) == 1 and signatures[0].__class__ is HeaderShown:
            kept_signatures = _shared_valid.get(signatures[0][:4]) or _shared(signatures)
        return _new_tuple(cls, (
            id, received_at, method, path, query, http_version, remote, header_block, body,
            None if body_size == len(body) else body_size, trailer_block, provider, event,
            delivery_id, duplicate_of, kept_signatures, response, answer_ms, rare))

    def _asdict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self._fields}

    def _replace(self, **changes: Any) -> CapturedRequest:
        if not changes.keys() <= _SET_APART:
            return self._rebuilt(changes)
        slots = list(self)
        rare = {}
        for name, value in changes.items():
            if name in _RARE_FIELDS:
                rare[name] = value
            elif name == "signatures":
                slots[_KEPT_SIGNATURES] = _kept_verdicts(value)
            elif name == "response":
                slots[_KEPT_RESPONSE], slots[_ANSWER_MS] = value, None
            else:
                slots[_SLOT[name]] = value
        if rare:
            slots[_RARE] = _rare(*self.rare._replace(**rare))
        return _new_tuple(CapturedRequest, slots)

    def _rebuilt(self, changes: dict[str, Any]) -> CapturedRequest:
        """Every field read and built again: what derives from the id, the header block or
        the body is then kept whole, as it read before the change."""
        fields = self._asdict()
        if "header_block" in changes:
            fields["signatures"] = tuple(Verdict(*verdict) for verdict in fields["signatures"])
        return CapturedRequest(**{**fields, **changes})

    def given_id(self, request_id: int, duplicate_of: int | None,
                 numbered: bool) -> CapturedRequest:
        """The record with the id a shared store gave it and the original it found there;
        `numbered`: its answer is the default one, numbered by that id, kept as the shared
        template (as a record built `numbered` keeps it); else it stays as it reads."""
        slots = list(self)
        slots[0], slots[_DUPLICATE_OF] = request_id, duplicate_of
        kept = self.kept_response
        if kept is not None and numbered != (kept.__class__ is NumberedTemplate):
            slots[_KEPT_RESPONSE], slots[_ANSWER_MS] = (
                _numbered(request_id, kept) if numbered else (self.response, None))
        return _new_tuple(CapturedRequest, slots)

    def __getnewargs__(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"CapturedRequest({shown})"

    @property
    def body_size(self) -> int:
        size = self.cut_size
        return len(self.body) if size is None else size

    @property
    def signatures(self) -> tuple[Verdict, ...]:
        kept = self.kept_signatures
        if not isinstance(kept, SharedValid):
            return kept
        received, expected = shown_values(kept, self.header_block)
        return (HeaderShown(kept.provider, "valid", kept.reason, kept.header, received,
                            expected, None),)

    @property
    def response(self) -> ResponseRecord | None:
        kept = self.kept_response
        if kept.__class__ is not NumberedTemplate:
            return kept
        status, headers, _, _, source = kept
        return _new_tuple(ResponseRecord, (status, headers, NUMBERED_BODY % self.id,
                                           self.answer_ms, source))

    @property
    def response_status(self) -> int | None:
        """`response.status`, read without building the response."""
        kept = self.kept_response
        return None if kept is None else kept.status

    if TYPE_CHECKING:  # read from `rare` in C (`attrgetter`, below): every summary reads them
        @property
        def error(self) -> str | None: ...
        @property
        def replays(self) -> tuple[Replay, ...]: ...
        @property
        def imported(self) -> bool: ...
        @property
        def route(self) -> tuple[int, str] | None: ...
        @property
        def mirrored(self) -> tuple[Replay, ...]: ...
        @property
        def held(self) -> Held | None:
            """Held by its route while the app was down: "waiting" in the queue, then
            "delivered" (or "dropped" from the queue by the user)."""

    @property
    def headers(self) -> HeaderPairs:
        return decode_header_block(self.header_block)

    @property
    def trailers(self) -> HeaderPairs:
        return decode_header_block(self.trailer_block)

    @property
    def stored_bytes(self) -> int:
        """What the byte cap counts: the body and both header blocks."""
        return len(self.body) + len(self.header_block) + len(self.trailer_block)

    @property
    def content_type(self) -> str | None:
        # Every summary shows it: found in the block without decoding every header.
        block = self.header_block
        start = (b"\r\n" + block.lower()).find(b"\r\ncontent-type: ")
        if start < 0:
            return None
        start += len(b"content-type: ")
        return block[start:block.index(b"\r\n", start)].decode("utf-8", "replace")

    @property
    def signature_status(self) -> VerdictStatus | None:
        kept = self.kept_signatures
        if isinstance(kept, SharedValid):
            return "valid"
        if len(kept) == 1:
            return kept[0].status
        if not kept:
            return None
        statuses = {verdict.status for verdict in kept}
        return next(status for status in VERDICT_SEVERITY if status in statuses)


for _name in Rare._fields:
    setattr(CapturedRequest, _name, property(attrgetter(f"rare.{_name}")))


def _rare(error: str | None, replays: tuple[Replay, ...], imported: bool,
          route: tuple[int, str] | None, mirrored: tuple[Replay, ...], held: Held | None) -> Rare:
    rare = Rare(error, replays, imported, route, mirrored, held)
    return COMMON if rare == COMMON else rare


_SLOT = {name: index for index, name in enumerate(_Layout._fields)}
_KEPT_SIGNATURES, _KEPT_RESPONSE, _ANSWER_MS, _RARE, _DUPLICATE_OF = (
    _SLOT[name] for name in ("kept_signatures", "kept_response", "answer_ms", "rare",
                             "duplicate_of"))
_RARE_FIELDS = frozenset(Rare._fields)
# What `_replace` sets apart from the rest: none of it is what another field derives from.
_SET_APART = frozenset({"received_at", "method", "path", "query", "http_version", "remote",
                        "trailer_block", "provider", "event", "delivery_id", "duplicate_of",
                        "signatures", "response", *Rare._fields})


if _Layout._fields[1:len(Arrival._fields) + 1] != \
        (*Arrival._fields[:-2], "cut_size", Arrival._fields[-1]) or \
        CapturedRequest._fields[1:len(Arrival._fields) + 1] != Arrival._fields:
    # `recorded` joins the two positionally, for speed: they must not drift apart.
    raise TypeError("CapturedRequest's fields must begin with Arrival's, in the same order")


def recorded(arrival: Arrival, request_id: int, **learnt: Any) -> CapturedRequest:
    """The stored value of an arrival, built once with everything known about the request
    (CapturedRequest's fields after `id` begin with Arrival's, in Arrival's order)."""
    return CapturedRequest(request_id, *arrival, **learnt)
