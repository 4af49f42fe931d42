"""The stored request, kept small: what most requests share is kept once, what can be derived
from the request itself is derived when read (bench/README.md, "Issue 24 (session 8)").

`CapturedRequest` reads as it always has (the same attribute names and values, `_replace`,
`_asdict`); only its tuple holds less:

- the default answer's body (`{"ok": true, "id": N}`) is not kept: it follows from the id, and
  the answer's status, headers and source are one shared template (its duration stays);
- a valid verdict of the keyed shortcut (`HeaderShown`) is one shared value per provider,
  reason and header: its shown signature is the header's value, cut as `short` cuts it;
- what few requests have (an error, replays, an import, a route, mirrors, a hold) is one
  shared default, and the body's size only where it is not the body's length;
- what the requests of one kind hold alike (method, path, sender, the shared verdict and
  answer, ...) is one shared `Shape`: a record holds its own values, the provider and event
  (read most: every summary and conformance status) and its shape, ten slots
  (bench/README.md, "Issue 24 (session 9): memory").

The shared values come from bounded caches: past their bound a record keeps its own copy (the
shapes' cache is emptied instead: kinds of request come and go).
"""

from __future__ import annotations

from operator import attrgetter
from typing import TYPE_CHECKING, Any, Final, Literal, NamedTuple

from .kept import (
    LAST_TEMPLATE,
    SHARED_VALID,
    NumberedTemplate,
    SharedValid,
    Verdicts,
    kept_verdicts,
    numbered_template,
    shared,
    shown_values,
)
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
    content_type_in,
    decode_header_block,
    new_tuple,
)

Held = Literal["waiting", "delivered", "dropped"]


class Rare(NamedTuple):
    """What few requests have; the common case is `COMMON`, shared."""

    error: str | None = None
    replays: tuple[Replay, ...] = ()
    imported: bool = False
    route: tuple[int, str] | None = None
    mirrored: tuple[Replay, ...] = ()
    held: Held | None = None


COMMON = Rare()


class Shape(NamedTuple):
    """What the requests of one kind (one sender, path and check) hold alike: kept once
    (`_shaped`)."""

    method: str
    path: str
    http_version: str
    remote: str | None
    cut_size: int | None  # the body's size where it is not len(body) (a body cut short)
    duplicate_of: int | None
    trailer_block: bytes
    kept_signatures: Verdicts
    kept_response: ResponseRecord | None
    rare: Rare


class _Layout(NamedTuple):
    """What a record holds (`CapturedRequest` reads it): its own values, and its shape."""

    id: int
    received_at: float
    query: str
    header_block: bytes
    body: bytes
    provider: str | None
    event: str | None
    delivery_id: str | None
    answer_ms: float | None  # the duration of an answer kept as a shared template
    shape: Shape


SHAPES_BOUND = 4096  # distinct shapes kept at once (each well under 500 B)
_shapes: dict[tuple[Any, ...], Shape] = {}
_last_shape: list[tuple[Any, ...]] = [()]  # most requests are of the last one's kind


def _keepable(trailer_block: bytes, kept_signatures: Verdicts,
              kept_response: ResponseRecord | None, rare: Rare) -> bool:
    return rare is COMMON and not trailer_block \
        and (kept_signatures.__class__ is SharedValid
             or all(verdict.__class__ is Verdict for verdict in kept_signatures)) \
        and (kept_response is None or kept_response.__class__ is NumberedTemplate)


def of_small_parts(shape: Shape) -> bool:
    """Whether a shape is of the kind kept once (`_shaped`): its parts small and shared, none
    of a request's own (its answer, replays, trailers), so that keeping it keeps nothing else."""
    return _keepable(*shape[6:])


def _shaped(shape: tuple[Any, ...]) -> Shape:
    """The one kept copy of `shape`, forgotten at the bound (the records keep theirs). Only
    shapes whose parts are small, shared and of one type for a value are kept (a kept shape
    may outlive its records): a shared verdict or plain ones (an unverified request's), a
    template or no answer, no rare field, no trailers."""
    if not _keepable(*shape[6:]):
        return new_tuple(Shape, shape)
    kept = _shapes.get(shape)
    if kept is None:
        if len(_shapes) >= SHAPES_BOUND:
            _shapes.clear()  # kinds come and go: the records keep theirs, new ones share again
        kept = new_tuple(Shape, shape)
        _shapes[kept] = kept
    _last_shape[0] = kept
    return kept


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
            last = LAST_TEMPLATE[0]  # most answers use it: tried without a call
            if response[1] is last[1] and response[0] == last[0] and response[4] == last[4]:
                response, answer_ms = last, response[3]
            else:
                response, answer_ms = numbered_template(id, response)
        kept_signatures: Verdicts = signatures
        if len(signatures) == 1 and signatures[0].__class__ is HeaderShown:
            kept_signatures = SHARED_VALID.get(signatures[0][:4]) or shared(signatures)
        shape = (method, path, http_version, remote,
                 None if body_size == len(body) else body_size, duplicate_of, trailer_block,
                 kept_signatures, response, rare)
        usual = _last_shape[0]
        return new_tuple(cls, (
            id, received_at, query, header_block, body, provider, event, delivery_id, answer_ms,
            usual if shape == usual else _shaped(shape)))

    def _asdict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self._fields}

    def _replace(self, **changes: Any) -> CapturedRequest:
        if not changes.keys() <= _SET_APART:
            return self._rebuilt(changes)
        kept = {**dict(zip(_OWN, self[:-1], strict=True)), **self.shape._asdict()}
        rare = {}
        for name, value in changes.items():
            if name in _RARE_FIELDS:
                rare[name] = value
            elif name == "signatures":
                kept["kept_signatures"] = kept_verdicts(value)
            elif name == "response":
                kept["kept_response"], kept["answer_ms"] = value, None
            else:
                kept[name] = value
        if rare:
            kept["rare"] = _rare(*self.rare._replace(**rare))
        shape = tuple(map(kept.__getitem__, Shape._fields))
        return new_tuple(CapturedRequest, (*map(kept.__getitem__, _OWN), _shaped(shape)))

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
        shape, answer_ms = self.shape, self.answer_ms
        kept = shape[_RESPONSE]
        if kept is not None and numbered != (kept.__class__ is NumberedTemplate):
            kept, answer_ms = numbered_template(request_id, kept) if numbered \
                else (self.response, None)
        if duplicate_of != shape.duplicate_of or kept is not shape[_RESPONSE]:
            shape = _shaped((*shape[:_DUPLICATE_OF], duplicate_of,
                             *shape[_DUPLICATE_OF + 1:_RESPONSE], kept, *shape[_RESPONSE + 1:]))
        return new_tuple(CapturedRequest, (request_id, *self[1:-2], answer_ms, shape))

    def __getnewargs__(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"CapturedRequest({shown})"

    @property
    def body_size(self) -> int:
        size = self.shape[_CUT_SIZE]
        return len(self.body) if size is None else size

    @property
    def signatures(self) -> tuple[Verdict, ...]:
        kept = self.shape[_SIGNATURES]
        if not isinstance(kept, SharedValid):
            return kept
        received, expected = shown_values(kept, self.header_block)
        return (HeaderShown(kept.provider, "valid", kept.reason, kept.header, received,
                            expected, None),)

    @property
    def response(self) -> ResponseRecord | None:
        # by position (id, answer_ms, shape): every answer reads them, and 3.11 does not
        # specialise a NamedTuple's field reads
        kept = self[-1][_RESPONSE]
        if kept.__class__ is not NumberedTemplate:
            return kept
        status, headers, _, _, source = kept
        return new_tuple(ResponseRecord, (status, headers, NUMBERED_BODY % self[0],
                                          self[-2], source))

    @property
    def response_status(self) -> int | None:
        """`response.status`, read without building the response."""
        kept = self.shape[_RESPONSE]
        return None if kept is None else kept.status

    if TYPE_CHECKING:  # read from `shape` in C (`attrgetter`, below): every summary reads them
        @property
        def method(self) -> str: ...
        @property
        def path(self) -> str: ...
        @property
        def http_version(self) -> str: ...
        @property
        def remote(self) -> str | None: ...
        @property
        def cut_size(self) -> int | None: ...
        @property
        def duplicate_of(self) -> int | None: ...
        @property
        def trailer_block(self) -> bytes: ...
        @property
        def kept_signatures(self) -> Verdicts: ...
        @property
        def kept_response(self) -> ResponseRecord | None: ...
        @property
        def rare(self) -> Rare: ...
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
        return len(self[_BODY]) + len(self[_HEADER_BLOCK]) + len(self[-1][_TRAILERS])

    @property
    def content_type(self) -> str | None:
        block = self.header_block
        return content_type_in(block, b"\r\n" + block.lower())

    @property
    def signature_status(self) -> VerdictStatus | None:
        kept = self.shape[_SIGNATURES]
        if isinstance(kept, SharedValid):
            return "valid"
        if len(kept) == 1:
            return kept[0].status
        if not kept:
            return None
        statuses = {verdict.status for verdict in kept}
        return next(status for status in VERDICT_SEVERITY if status in statuses)


for _name in Shape._fields:
    setattr(CapturedRequest, _name, property(attrgetter(f"shape.{_name}")))
for _name in Rare._fields:
    setattr(CapturedRequest, _name, property(attrgetter(f"shape.rare.{_name}")))


def _rare(error: str | None, replays: tuple[Replay, ...], imported: bool,
          route: tuple[int, str] | None, mirrored: tuple[Replay, ...], held: Held | None) -> Rare:
    rare = Rare(error, replays, imported, route, mirrored, held)
    return COMMON if rare == COMMON else rare


_OWN = _Layout._fields[:-1]  # a record's own values, before its shape
# read by position where every request reads them (an attrgetter property costs several
# hundred instructions more: bench/README.md, "Issue 24 (session 9): memory")
_CUT_SIZE: Final = 4
_DUPLICATE_OF: Final = 5
_TRAILERS: Final = 6
_SIGNATURES: Final = 7
_RESPONSE: Final = 8
_HEADER_BLOCK: Final = 3  # in the record's own values
_BODY: Final = 4
if [Shape._fields[at] for at in (_CUT_SIZE, _DUPLICATE_OF, _TRAILERS, _SIGNATURES, _RESPONSE)] \
        != ["cut_size", "duplicate_of", "trailer_block", "kept_signatures", "kept_response"] \
        or _Layout._fields[-2:] != ("answer_ms", "shape") \
        or [_Layout._fields[at] for at in (_HEADER_BLOCK, _BODY)] != ["header_block", "body"]:
    raise TypeError("the positions read in Shape and the record must be their fields'")
_RARE_FIELDS = frozenset(Rare._fields)
# What `_replace` sets apart from the rest: none of it is what another field derives from.
_SET_APART = frozenset({"received_at", "method", "path", "query", "http_version", "remote",
                        "trailer_block", "provider", "event", "delivery_id", "duplicate_of",
                        "signatures", "response", *Rare._fields})


if CapturedRequest._fields[1:len(Arrival._fields) + 1] != Arrival._fields:
    # `recorded` joins the two positionally, for speed: they must not drift apart.
    raise TypeError("CapturedRequest's fields must begin with Arrival's, in the same order")


def recorded(arrival: Arrival, request_id: int, **learnt: Any) -> CapturedRequest:
    """The stored value of an arrival, built once with everything known about the request
    (CapturedRequest's fields after `id` begin with Arrival's, in Arrival's order)."""
    return CapturedRequest(request_id, *arrival, **learnt)
