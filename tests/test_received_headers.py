"""The headers a request is analysed with are made from the parser's pieces, not by splitting
its header block again: they are those of the block, decoded (`decode_header_block`), for any
pieces; and `Headers` answers as the case-insensitive multidict it replaced, for any pairs."""

from __future__ import annotations

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


@settings(max_examples=500)
@given(st.lists(st.tuples(_BYTES, _BYTES), max_size=10))
def test_the_pieces_give_the_blocks_pairs_or_leave_it_to_the_block(
        pairs: list[tuple[bytes, bytes]]) -> None:
    lines = lines_of(pairs)
    headers = received_headers(lines)
    if headers is not None:
        assert headers.pairs() == decode_header_block(b"".join(lines))


@settings(max_examples=300)
@given(st.lists(st.tuples(_TOKEN, _BYTES.filter(lambda value: b"\r\n" not in value)),
                min_size=1, max_size=10))
def test_what_the_parser_gives_is_always_made_from_the_pieces(
        pairs: list[tuple[bytes, bytes]]) -> None:
    """Names are tokens and values hold no CRLF (llhttp's rules): never left to the block."""
    lines = lines_of(pairs)
    headers = received_headers(lines)
    assert headers is not None
    assert headers.pairs() == decode_header_block(b"".join(lines))


def test_the_names_remembered_are_bounded_in_count_and_length() -> None:
    """Senders choose header names: past the bound, and for long names, the headers are
    still right (the name is decoded each time) and the memo grows no further."""
    long_name = b"X-" + b"n" * 60_000
    headers = received_headers(lines_of([(long_name, b"1"), (b"X-GitHub-Event", b"push")]))
    assert headers is not None and headers.get(long_name.decode()) == "1"
    assert all(len(name) <= capture.NAME_KEPT_UP_TO for name in capture._NAME_OF)
    for number in range(capture.NAMES_KEPT + 50):
        made = received_headers(lines_of([(b"X-Unknown-%d" % number, b"v")]))
        assert made is not None and made.get(f"x-unknown-{number}") == "v"
    assert len(capture._NAME_OF) <= capture.NAMES_KEPT
    made = received_headers(lines_of([(b"x-gItHuB-eVeNt", b"push")]))  # past the bound
    assert made is not None and made.get("X-GitHub-Event") == "push"
    assert made.lowered() == ["x-github-event"] and list(made) == ["x-gItHuB-eVeNt"]


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
