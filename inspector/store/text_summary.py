"""A block of stored records summed up by the distinct words of its text, so that a search
for text can pass over blocks that cannot hold it without reading their bodies (reading every
body of 100,000 stored costs more than 100 ms; the summaries of those blocks, a few per cent
of their size, cost about 2).

A word is a maximal run of ASCII letters and digits, `_`, and bytes of multi-byte UTF-8
characters, ASCII-folded as the predicate folds. A piece of text that a record holds has each
of its own words inside one word of the record's text, so a block whose summary lacks one of
them holds no match (the converse is not true: a block that passes is still scanned).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from ..models import CapturedRequest
from ..query.scan import Needle

BLOCK = 128  # ids per block: one is summed up in about a millisecond
MAX_SHARE = 4  # a summary over a quarter of its block's text is not kept (the block is read)
MAX_TEXT = 1 << 20  # nor is a block of larger bodies summed up: the loop would wait for it

_WORD_BYTES = frozenset(b"0123456789_abcdefghijklmnopqrstuvwxyz") | frozenset(range(0x80, 0x100))
_FOLD_WORDS = bytes(
    byte + 32 if 0x41 <= byte <= 0x5A else byte if byte in _WORD_BYTES else 0x20
    for byte in range(256))


class Summary(NamedTuple):
    body: bytes  # the distinct words of the bodies, separated by spaces
    head: bytes  # of the header blocks, paths and queries


# BLOCK is read at each call (tests make blocks small).
def block_of(request_id: int) -> int:
    return (request_id - 1) // BLOCK


def last_of(block: int) -> int:
    """The highest id of the block."""
    return (block + 1) * BLOCK


def full_blocks(last_id: int) -> int:
    """How many blocks the ids up to last_id fill."""
    return last_id // BLOCK


def _distinct_words(parts: list[bytes]) -> bytes:
    return b" ".join(set(b" ".join(parts).translate(_FOLD_WORDS).split()))


def summarize(records: Sequence[CapturedRequest]) -> Summary | None:
    """The summary of a block's records; None when its text is too large to sum up at once,
    or the summary would save too little to keep."""
    bodies = [record.body for record in records]
    heads = [part for record in records for part in (
        record.header_block, record.path.encode("utf-8", "surrogatepass"),
        record.query.encode("utf-8", "surrogatepass"))]
    text_size = sum(map(len, bodies)) + sum(map(len, heads))
    if text_size > MAX_TEXT:
        return None
    summary = Summary(_distinct_words(bodies), _distinct_words(heads))
    if (len(summary.body) + len(summary.head)) * MAX_SHARE > text_size:
        return None
    return summary


def may_hold(summary: Summary, needle: Needle) -> bool:
    """False when no record of the block can hold the needle where it is looked for."""
    places = {"body": (summary.body,), "head": (summary.head,),
              "any": (summary.body, summary.head)}[needle.where]
    return all(any(word in place for place in places)
               for word in needle.text.translate(_FOLD_WORDS).split())
