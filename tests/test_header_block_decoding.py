"""The header block is decoded in one pass when it is ASCII: the pairs are those the line by
line decoding gives (names Latin-1, values UTF-8 with replacement), for any block."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from inspector.models import HeaderPairs, decode_header_block


def line_by_line(block: bytes) -> HeaderPairs:
    """The decoding as it was: each line split at its first ": " and decoded alone."""
    if not block:
        return ()
    pairs = []
    for line in block[:-2].split(b"\r\n"):
        name, _, value = line.partition(b": ")
        pairs.append((name.decode("latin-1"), value.decode("utf-8", "replace")))
    return tuple(pairs)


# Bytes that make the edges: separators, their halves, non-ASCII and invalid UTF-8.
_PIECES = st.sampled_from([b"\r\n", b"\r", b"\n", b": ", b":", b" ", b"X-Hub", b"a", b"\xe9",
                           b"\xc3\xa9", b"\xff", b"\x00", b"\x7f", b"\x80"])
_LINE = st.lists(_PIECES, max_size=8).map(b"".join)


@given(st.lists(st.tuples(_LINE, _LINE), max_size=12), st.booleans())
def test_a_block_of_header_lines_decodes_as_line_by_line(lines: list[tuple[bytes, bytes]],
                                                         ascii_only: bool) -> None:
    block = b"".join(name + b": " + value + b"\r\n" for name, value in lines)
    if ascii_only:
        block = bytes(byte for byte in block if byte < 0x80)
    assert decode_header_block(block) == line_by_line(block)


@given(st.binary(max_size=200) | st.lists(_PIECES, max_size=30).map(b"".join))
def test_any_bytes_decode_as_line_by_line(block: bytes) -> None:
    assert decode_header_block(block) == line_by_line(block)


def test_a_sent_block_keeps_its_order_case_and_repeats() -> None:
    block = b"Host: x\r\nX-A: 1\r\nx-a: 2: 3\r\nEmpty: \r\nNo-Separator\r\n"
    assert decode_header_block(block) == (("Host", "x"), ("X-A", "1"), ("x-a", "2: 3"),
                                          ("Empty", ""), ("No-Separator", ""))
