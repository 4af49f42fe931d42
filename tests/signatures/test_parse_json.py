"""A delivery's body is parsed by json.loads's own scanner, called directly: the same value (or
None) as json.loads gives, for documents, whitespace around them, junk after them, bad UTF-8,
other encodings and nesting too deep."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.signatures._api import parse_json

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12)
AROUND = st.sampled_from(["", " ", "\n", "\t\r\n ", "\x0b", "x", " 1", "]", "}", "{}", "\x00"])


def by_json_loads(body: bytes) -> Any:
    """What parse_json gave before: json.loads on the text, for a body that starts (after
    whitespace) with { or [."""
    if body.lstrip()[:1] not in (b"{", b"["):
        return None
    try:
        if b"\x00" in body[:4]:
            return json.loads(body)
        return json.loads(body.decode("utf-8", "surrogatepass"))
    except (ValueError, RecursionError):
        return None


def same(body: bytes) -> None:
    assert repr(parse_json(body)) == repr(by_json_loads(body)), body[:80]


@settings(max_examples=600, deadline=None)
@given(st.lists(JSON_VALUES, max_size=3) | st.dictionaries(st.text(max_size=8), JSON_VALUES,
                                                           max_size=3),
       AROUND, AROUND, st.sampled_from(["utf-8", "utf-16", "utf-32-le"]))
def test_the_same_value_as_json_loads(document: Any, before: str, after: str,
                                      encoding: str) -> None:
    same((before + json.dumps(document, ensure_ascii=False) + after).encode(
        encoding, "surrogatepass"))


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=40))
def test_any_bytes_after_an_opening_bracket(tail: bytes) -> None:
    for opening in (b"{", b"[", b' {"a": ', b"[1,"):
        same(opening + tail)


def test_nesting_too_deep_and_broken_documents_are_none() -> None:
    for body in (b"[" * 100_000, b"{" * 5000, b'{"a": 1', b"[1, 2", b"[]]", b'{"a": 1}\x0b',
                 b"[\xff]", b'["\xed\xa0\x80"]', b"{}  \n", b"[NaN]"):
        same(body)
    assert parse_json(b'{"a": 1}\r\n') == {"a": 1}
