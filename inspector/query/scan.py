"""A fast first pass for the text a query requires: a chunk of records' raw bytes joined and
lowered at once, and each required piece found with one `find` per record that holds it,
instead of decoding and folding every body. A superset of the matches (header names are in
the raw block too), which the predicate then checks; ASCII folding of UTF-8 bytes is the
predicate's `fold` of the decoded text, since no byte of a multi-byte character is ASCII."""

from __future__ import annotations

import bisect
import itertools
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import AnyStr, Literal, NamedTuple

from ..captured import CapturedRequest
from .body_view import needs_view
from .nodes import And, Contains, Exact, Glob, Node, Term
from .text import fold

CHUNK = 512
CHUNK_BYTES = 1 << 20  # of bodies and heads: a chunk is joined and searched in about 1 ms
SHORTEST = 3  # shorter pieces are found too often to narrow much
MOST = 4  # needles looked for (the longest): each costs a pass over every chunk
Where = Literal["body", "head", "any"]
_PLACES: dict[str | None, Where] = {"body": "body", "header": "head", None: "any"}


class Needle(NamedTuple):
    text: bytes  # folded UTF-8
    where: Where


def _pieces(term: Term) -> list[str]:
    match = term.match
    if isinstance(match, Contains | Exact):
        return [match.text]
    if isinstance(match, Glob):
        return match.pattern.split("*")
    return []


def needles(node: Node) -> list[Needle]:
    """Text every match must hold (from the terms ANDed at the top of the query): the MOST
    longest pieces, each once."""
    parts = node.parts if isinstance(node, And) else (node,)
    found = set()
    for part in parts:
        if isinstance(part, Term) and part.field in _PLACES:
            for piece in _pieces(part):
                text = fold(piece).encode()
                if len(piece) >= SHORTEST and b"\x00" not in text and "\ufffd" not in piece:
                    found.add(Needle(text, _PLACES[part.field]))
    return sorted(found, key=lambda needle: (-len(needle.text), needle))[:MOST]


def _letter_free(needle: bytes) -> bytes | None:
    """The longest run of the needle without ASCII letters, when long enough to look for
    in the raw bytes (case cannot change it, so nothing needs lowering first)."""
    runs = re.findall(rb"[^A-Za-z]{%d,}" % SHORTEST, needle)
    return max(runs, key=len) if runs else None


def _found_in(parts: Sequence[AnyStr], needle: AnyStr, separator: AnyStr,
              lower: Callable[[AnyStr], AnyStr], per_record: int) -> set[int]:
    """The records (`per_record` parts each, in order) whose parts hold the needle: one
    join, one lowering, and one `find` per record that holds it (where each part begins is
    worked out only then)."""
    haystack = lower(separator.join(parts))
    at = haystack.find(needle)
    if at < 0:
        return set()
    # each part begins after the parts before it and a separator apiece (C's loops)
    starts = list(map(operator.add, itertools.accumulate(map(len, parts), initial=0),
                      range(len(parts))))
    holding: set[int] = set()
    while at >= 0:
        record = (bisect.bisect_right(starts, at) - 1) // per_record
        holding.add(record)
        following = (record + 1) * per_record
        if following >= len(starts):
            break
        at = haystack.find(needle, starts[following])
    return holding


def _unchanged(data: bytes) -> bytes:
    return data


def _bytes_holding(parts: list[bytes], needle: bytes, per_record: int) -> set[int]:
    probe = _letter_free(needle)
    if probe is None or probe == needle:
        lower = bytes.lower if probe is None else _unchanged
        return _found_in(parts, needle, b"\x00", lower, per_record)
    found = _found_in(parts, probe, b"\x00", _unchanged, per_record)
    return {record for record in found if any(
        needle in part.lower() for part in parts[record * per_record:(record + 1) * per_record])}


def _interleaved(*columns: list[AnyStr]) -> list[AnyStr]:
    """[a0, b0, a1, b1, ...]: the parts of each record side by side (built in C)."""
    joined: list[AnyStr] = list(columns[0]) * len(columns)
    for offset, column in enumerate(columns):
        joined[offset::len(columns)] = column
    return joined


def _viewed(chunk: list[CapturedRequest]) -> set[int]:
    """The indices of the records whose body is searched decoded (body_view): those whose
    head holds the words that may say so, found in one pass over the chunk, then checked."""
    heads = [record.header_block for record in chunk]
    maybe = _found_in(heads, b"content-encoding:", b"\x00", bytes.lower, 1) | \
        _found_in(heads, b"multipart/", b"\x00", bytes.lower, 1)
    return {index for index in maybe if needs_view(chunk[index])}


def _holding(chunk: list[CapturedRequest], needle: Needle) -> set[int]:
    """The indices of the records of the chunk whose text may hold the needle (a body
    searched decoded, body_view, is not in its raw bytes: its record may hold anything)."""
    if needle.where == "head":
        return _bytes_holding([record.header_block for record in chunk], needle.text, 1)
    viewed = _viewed(chunk)
    if needle.where == "body":
        return _bytes_holding([record.body for record in chunk], needle.text, 1) | viewed
    raw = _interleaved([r.header_block for r in chunk], [r.body for r in chunk])
    lines = _interleaved([r.path for r in chunk], [r.query for r in chunk])
    return _bytes_holding(raw, needle.text, 2) | viewed | \
        _found_in(lines, needle.text.decode(), "\x00", fold, 2)


def _chunks(records: Iterable[CapturedRequest | None]) -> Iterator[list[CapturedRequest]]:
    """CHUNK records at a time, fewer when they hold over CHUNK_BYTES of text, and the
    records so far (perhaps none) at each None."""
    chunk: list[CapturedRequest] = []
    size = 0
    for record in records:
        if record is not None:
            chunk.append(record)
            size += len(record.body) + len(record.header_block)
        if record is None or len(chunk) == CHUNK or size >= CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def narrowed(records: Iterable[CapturedRequest | None], required: list[Needle]
             ) -> Iterator[CapturedRequest | None]:
    """The records, in their order, less those that lack a required piece of text; None after
    each chunk the text pass read, and for each None among the records (places where the
    caller may pause)."""
    if not required:
        yield from records
        return
    for chunk in _chunks(records):
        kept = set(range(len(chunk)))
        for needle in required:
            kept &= _holding(chunk, needle)
            if not kept:
                break
        yield from (chunk[index] for index in sorted(kept))
        yield None
