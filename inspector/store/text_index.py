"""A block of stored records indexed by the distinct words of its text, so that a search for
text reads only the records that may hold it (reading every body of 100,000 stored costs
more than 100 ms; looking the words up costs a few).

A word is a maximal run of ASCII letters and digits, `_`, and bytes of multi-byte UTF-8
characters, ASCII-folded as the predicate folds. A piece of text that a record holds has each
of its own words inside one word of the record's text; so the records that may hold it are
those with, for each of its words, a word containing it (the converse is not true: the
records found are still scanned and tested).
"""

from __future__ import annotations

import bisect
import itertools
from array import array
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from ..captured import CapturedRequest
from ..query.body_view import needs_view
from ..query.scan import Needle

BLOCK = 128  # ids per block: an offset within it fits a byte; one is indexed in a few ms
MAX_SHARE = 0.25  # an index over this share of its block's text is not kept (it is read)
MAX_TEXT = 1 << 20  # nor is a block of larger bodies indexed: the loop would wait for it

_WORD_BYTES = frozenset(b"0123456789_abcdefghijklmnopqrstuvwxyz") | frozenset(range(0x80, 0x100))
_FOLD_WORDS = bytes(
    byte + 32 if 0x41 <= byte <= 0x5A else byte if byte in _WORD_BYTES else 0x20
    for byte in range(256))


class Words(NamedTuple):
    """One place's words in a block: each word once, and the records that hold it."""

    text: bytes  # the distinct words, each followed by a space
    starts: array[int]  # where each word begins in `text`
    # for each word in turn, the offsets (id - the block's first id) holding it; none for a
    # word that every record holds (most header words), which `everyone` lists once
    holders: bytes
    holder_starts: array[int]  # where each word's offsets begin in `holders` (one more entry)
    everyone: bytes  # the offsets of the records whose words these are

    @property
    def size(self) -> int:
        return len(self.text) + len(self.holders) + len(self.everyone) + \
            4 * (len(self.starts) + len(self.holder_starts))


class BlockIndex(NamedTuple):
    body: Words
    head: Words  # of the header blocks, paths and queries
    # The offsets of the records whose body is searched decoded (body_view): any text may be
    # in it, so it is not indexed by its raw bytes and the record is always read.
    viewed: bytes

    @property
    def size(self) -> int:
        """What it holds, counted in --max-bytes with the records' bytes."""
        return self.body.size + self.head.size + len(self.viewed)


# BLOCK is read at each call (tests make blocks small).
def block_of(request_id: int) -> int:
    return (request_id - 1) // BLOCK


def first_of(block: int) -> int:
    """The lowest id of the block."""
    return block * BLOCK + 1


def closes_block(request_id: int) -> bool:
    return request_id % BLOCK == 0


def full_blocks(last_id: int) -> int:
    """How many blocks the ids up to last_id fill."""
    return last_id // BLOCK


def words_of(text: bytes) -> list[bytes]:
    return text.translate(_FOLD_WORDS).split()


def _words_held(texts: Iterable[tuple[int, bytes]]) -> Words:
    """The words of (offset, text) pairs."""
    holding: dict[bytes, bytearray] = {}
    everyone = bytearray()
    for offset, text in texts:
        everyone.append(offset)
        for word in set(words_of(text)):
            holding.setdefault(word, bytearray()).append(offset)
    words = list(holding)
    starts = array("I", itertools.accumulate((len(word) + 1 for word in words[:-1]), initial=0))
    held = [b"" if len(holders) == len(everyone) else holders for holders in holding.values()]
    holder_starts = array("I", itertools.accumulate(map(len, held), initial=0))
    return Words(b"".join(word + b" " for word in words), starts if words else array("I"),
                 b"".join(held), holder_starts, bytes(everyone))


def index_block(first_id: int, records: Sequence[CapturedRequest]) -> BlockIndex | None:
    """The index of a block's records (their ids from first_id up); None when its text is
    too large to index at once, or the index would save too little to keep."""
    text_size = sum(len(r.body) + len(r.header_block) + len(r.path) + len(r.query)
                    for r in records)
    if text_size > MAX_TEXT:
        return None
    viewed = {r.id - first_id for r in records if needs_view(r)}
    index = BlockIndex(
        _words_held((r.id - first_id, r.body) for r in records if r.id - first_id not in viewed),
        _words_held((r.id - first_id, b" ".join((r.header_block, r.path.encode(
            "utf-8", "surrogatepass"), r.query.encode("utf-8", "surrogatepass"))))
            for r in records), bytes(sorted(viewed)))
    if index.size > text_size * MAX_SHARE:
        return None
    return index


def _holding_word(words: Words, piece: bytes) -> set[int]:
    """The offsets of the records with a word that contains the piece."""
    found: set[int] = set()
    at = words.text.find(piece)
    while at >= 0:
        index = bisect.bisect_right(words.starts, at) - 1
        found.update(words.holders[words.holder_starts[index]:words.holder_starts[index + 1]]
                     or words.everyone)
        following = index + 1
        if following >= len(words.starts):
            break
        at = words.text.find(piece, words.starts[following])
    return found


def holding(index: BlockIndex, needle: Needle) -> set[int] | None:
    """The offsets of the block's records that may hold the needle where it is looked for;
    None when it has no word to look up (every record may)."""
    places = {"body": (index.body,), "head": (index.head,),
              "any": (index.body, index.head)}[needle.where]
    found: set[int] | None = None
    for piece in words_of(needle.text):
        with_piece = set().union(*(_holding_word(words, piece) for words in places))
        found = with_piece if found is None else found & with_piece
        if not found:
            break
    return found if found is None or needle.where == "head" else found | set(index.viewed)
