"""The headers a request is analysed with are made from the parser's pieces, not by splitting
its header block again: they are those of the block, decoded (`decode_header_block`), for any
pieces; and `Headers` answers as the case-insensitive multidict it replaced, for any pairs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from multidict import CIMultiDict

from inspector.hooks import capture
from inspector.hooks.capture import received_headers
from inspector.models import decode_header_block
from inspector.signatures import Headers

# Bytes that make the edges: separators, their halves, non-ASCII and invalid UTF-8.
_PIECES = st.sampled_from([b"\r\n", b"\r", b"\n", b": ", b":", b" ", b"X-Hub", b"a", b"A",
                           b"\xe9", b"\xc3\xa9", b"\xe2\x82", b"\xff", b"\x00", b"\x80"])
_BYTES = st.lists(_PIECES, max_size=8).map(b"".join)
_TOKEN = st.text("abcXYZ-_019!#", min_size=1, max_size=12).map(str.encode)


def lines_of(pairs: list[tuple[bytes, bytes]]) -> list[bytes]:
    """What the connection keeps of a head: name, ": ", value, CRLF a line."""
    return [piece for name, value in pairs for piece in (name, b": ", value, b"\r\n")]


def headers_of(lines: list[bytes]) -> Headers | None:
    """The headers the connection makes of these pieces, with the size of its block."""
    return received_headers(lines, len(b"".join(lines)))


def assert_as_decoded(headers: Headers, lines: list[bytes]) -> None:
    """The headers answer as those made from the block's pairs, repeated names included."""
    pairs = decode_header_block(b"".join(lines))
    assert headers.pairs() == pairs
    decoded = Headers(pairs)
    assert headers.first == decoded.first and list(headers) == list(decoded)
    assert list(headers.lowered()) == list(decoded.lowered())


@settings(max_examples=500)
@given(st.lists(st.tuples(_BYTES, _BYTES), max_size=10))
def test_the_pieces_give_the_blocks_pairs_or_leave_it_to_the_block(
        pairs: list[tuple[bytes, bytes]]) -> None:
    lines = lines_of(pairs)
    headers = headers_of(lines)
    if headers is not None:
        assert_as_decoded(headers, lines)


@settings(max_examples=300)
@given(st.lists(st.tuples(_TOKEN, _BYTES.filter(lambda value: b"\r\n" not in value)),
                min_size=1, max_size=10))
def test_what_the_parser_gives_is_always_made_from_the_pieces(
        pairs: list[tuple[bytes, bytes]]) -> None:
    """Names are tokens and values hold no CRLF (llhttp's rules): never left to the block."""
    lines = lines_of(pairs)
    headers = headers_of(lines)
    assert headers is not None
    assert_as_decoded(headers, lines)
    assert headers_of(lines) is not headers and headers_of(lines).first == headers.first  # type: ignore[union-attr]


@pytest.fixture
def no_heads_remembered() -> Iterator[None]:
    capture._remembered_names.cache_clear()
    yield
    capture._remembered_names.cache_clear()


def remembered() -> int:
    return capture._remembered_names.cache_info().currsize


@pytest.mark.usefixtures("no_heads_remembered")
def test_the_heads_remembered_are_bounded_in_count_and_size() -> None:
    """Senders choose header names: a head too long or of too many lines is decoded each time,
    not remembered; past the count, the least recently seen head goes; the headers are right
    whichever way they were made."""
    long_name = b"X-" + b"n" * capture.HEAD_KEPT_UP_TO
    headers = headers_of(lines_of([(long_name, b"1"), (b"X-GitHub-Event", b"push")]))
    assert headers is not None and headers.get(long_name.decode()) == "1"
    many = [(b"X-%d" % number, b"v") for number in range(capture.LINES_KEPT + 1)]
    headers = headers_of(lines_of(many))
    assert headers is not None and headers.get(f"x-{capture.LINES_KEPT}") == "v"
    assert remembered() == 0
    github = lines_of([(b"Host", b"h"), (b"X-GitHub-Event", b"push")])
    for number in range(3 * capture.HEADS_KEPT):
        made = headers_of(lines_of([(b"X-Unknown-%d" % number, b"v")]))
        assert made is not None and made.get(f"x-unknown-{number}") == "v"
        assert headers_of(github) is not None  # a head that comes again and again
        assert remembered() <= capture.HEADS_KEPT
    hits = capture._remembered_names.cache_info().hits
    made = headers_of(github)
    assert capture._remembered_names.cache_info().hits == hits + 1  # never pushed out
    assert made is not None and made.get("x-github-event") == "push"
    made = headers_of(lines_of([(b"x-gItHuB-eVeNt", b"push")]))
    assert made is not None and made.get("X-GitHub-Event") == "push"
    assert list(made.lowered()) == ["x-github-event"] and list(made) == ["x-gItHuB-eVeNt"]


@pytest.mark.usefixtures("no_heads_remembered")
@pytest.mark.parametrize("first_nul", [True, False])
def test_names_holding_nul_are_not_taken_for_the_names_they_join_as(first_nul: bool) -> None:
    """Heads are remembered by their names joined by NUL: a name holding NUL joins as two
    names would, and either head, whichever came first, is made of its own names."""
    apart = lines_of([(b"X-A", b"1"), (b"X-B", b"2")])
    joined = lines_of([(b"X-A\0X-B", b"1\r\n2")])
    for lines in ([joined, apart] if first_nul else [apart, joined]) * 2:
        headers = headers_of(lines)
        if headers is not None:
            assert_as_decoded(headers, lines)
    made = headers_of(apart)
    assert made is not None and made.get("x-b") == "2"


_NAMES = st.sampled_from(["Host", "host", "X-A", "x-a", "ß", "SS", "İ", "i̇", "\u212a", "k",
                          "ǅ", "ǆ", "", "X-Hub-Signature-256"])


@settings(max_examples=500)
@given(st.lists(st.tuples(_NAMES | st.text(max_size=6), st.text(max_size=6)), max_size=8),
       st.lists(_NAMES | st.text(max_size=6), max_size=6))
def test_headers_answer_as_the_case_insensitive_multidict(
        pairs: list[tuple[str, str]], asked: list[str]) -> None:
    headers, multi = Headers(pairs), CIMultiDict(pairs)
    assert list(headers) == list(multi)
    assert headers.pairs() == tuple(pairs)
    assert list(headers.items()) == [(name.lower(), value) for name, value in multi.items()]
    assert list(headers.names()) == list(dict.fromkeys(name.lower() for name in multi))
    for name in [*asked, *(name for name, _ in pairs)]:
        assert headers.get(name) == multi.get(name)
        assert (name in headers) == (name in multi)
    assert (1 in headers) == (1 in multi)  # type: ignore[comparison-overlap]
