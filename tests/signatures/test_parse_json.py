"""A delivery's body is read by msgspec first and, where msgspec refuses it, by json.loads's
own scanner: the same value (or None) as the parser before it (json's alone, kept below as it
was) gives, for any JSON value however written, any bytes, other encodings, and nesting up to
and past the interpreter's bound. "The same" is by `repr`, which tells 1 from 1.0 and True,
-0.0 from 0.0 and a dict's key order."""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.signatures import _api
from inspector.signatures._api import parse_json


def json_parse_json(body: bytes) -> Any:
    """parse_json as it was before msgspec (c7c415d), line for line: json's scanner called
    from its own frame, so that its nesting bound is the one it had."""
    start = body[:1]
    if start not in (b"{", b"["):
        stripped = body.lstrip()[:1]
        if stripped not in (b"{", b"["):
            return None
    try:
        if b"\x00" in body[:4]:
            return json.loads(body)
        text = body.decode("utf-8", "surrogatepass")
        if start != b"{" and start != b"[":
            return json.loads(text)
        value, end = _scan(text, 0)
        if end != len(text) and text[end:].strip(" \t\n\r"):
            return None
        return value
    except (ValueError, RecursionError, StopIteration):
        return None


_scan = json.JSONDecoder().scan_once  # type: ignore[attr-defined]

FLOATS = st.floats() | st.sampled_from(
    [-0.0, 0.0, 5e-324, -5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 1e16, 1e15,
     9007199254740993.0, 0.1, 1e-7, 123456789.0])
INTEGERS = st.integers() | st.integers(-(2**200), 2**200) | st.sampled_from(
    [2**63 - 1, 2**63, 2**64 - 1, 2**64, -(2**63), -(2**63) - 1, -(2**64), 10**40, -(10**40)])
TEXT = st.text(st.characters(blacklist_categories=()), max_size=12)  # surrogates, controls
SCALARS = st.none() | st.booleans() | INTEGERS | FLOATS | TEXT
JSON_VALUES = st.recursive(
    SCALARS, lambda children: st.lists(children, max_size=4)
    | st.dictionaries(TEXT, children, max_size=4), max_leaves=16)
AROUND = st.sampled_from(["", " ", "\n", "\t\r\n ", "\x0b", "\x0c", "x", " 1", "]", "}", "{}",
                          "\x00", "\ufeff"])
LAYOUTS = st.sampled_from([{}, {"separators": (",", ":")}, {"indent": 0}, {"indent": 2},
                           {"indent": "\t"}, {"separators": (" ,\n", " :\r\n")}])


def same(body: bytes) -> None:
    assert repr(parse_json(body)) == repr(json_parse_json(body)), body[:80]


@settings(max_examples=800, deadline=None)
@given(st.lists(JSON_VALUES, max_size=3) | st.dictionaries(TEXT, JSON_VALUES, max_size=3),
       st.booleans(), LAYOUTS, AROUND, AROUND)
def test_any_json_value_however_written(document: Any, ascii_only: bool, layout: dict[str, Any],
                                        before: str, after: str) -> None:
    text = json.dumps(document, ensure_ascii=ascii_only, **layout)
    for around in (("", ""), (before, after)):
        same((around[0] + text + around[1]).encode("utf-8", "surrogatepass"))


@settings(max_examples=200, deadline=None)
@given(st.lists(JSON_VALUES, max_size=3), st.sampled_from(["utf-16", "utf-16-be", "utf-32-le"]))
def test_other_encodings(document: Any, encoding: str) -> None:
    same(json.dumps(document, ensure_ascii=False).encode(encoding, "surrogatepass"))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "é", ""]), SCALARS), max_size=6))
def test_duplicate_keys_the_last_value_in_the_first_place(pairs: list[tuple[str, Any]]) -> None:
    body = "{" + ",".join(f"{json.dumps(key)}:{json.dumps(value)}" for key, value in pairs) + "}"
    same(body.encode("utf-8", "surrogatepass"))


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=40))
def test_any_bytes_after_an_opening_bracket(tail: bytes) -> None:
    for opening in (b"{", b"[", b' {"a": ', b"[1,", b'["\\u'):
        same(opening + tail)


@settings(max_examples=600, deadline=None)
@given(JSON_VALUES, st.booleans(), st.data())
def test_a_valid_document_mutated(value: Any, ascii_only: bool, data: st.DataObject) -> None:
    body = bytearray(json.dumps([value], ensure_ascii=ascii_only).encode("utf-8",
                                                                          "surrogatepass"))
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(body)))
        how = data.draw(st.sampled_from(["set", "insert", "delete", "cut"]))
        byte = data.draw(st.sampled_from(b'{}[],:"\\eE.-+0123456789 \x00\x1f\x7f\xed\xff'))
        if how == "insert":
            body.insert(at, byte)
        elif at < len(body):
            if how == "set":
                body[at] = byte
            elif how == "delete":
                del body[at]
            else:
                del body[at:]
    same(bytes(body))


VECTORS: list[tuple[bytes, Any]] = [
    (b"[NaN]", "[nan]"), (b"[Infinity, -Infinity]", "[inf, -inf]"), (b"[1e400, -1e400]",
                                                                     "[inf, -inf]"),
    (b"[1e-400, -1e-400, -0.0, -0]", "[0.0, -0.0, -0.0, 0]"),
    (b'["\\ud800"]', "['\\ud800']"), (b'["\\ud800\\udc00"]', "['\U00010000']"),
    (b'["\\udc00\\ud800"]', "['\\udc00\\ud800']"), (b'["\xed\xa0\x80"]', "['\\ud800']"),
    (b"[18446744073709551616, -18446744073709551617]",
     "[18446744073709551616, -18446744073709551617]"),
    (b"[1.7976931348623159e308]", "[inf]"), (b"[9007199254740993.0]", "[9007199254740992.0]"),
    (b"[" + b"9" * 4300 + b"]", "[" + "9" * 4300 + "]"), (b"[" + b"9" * 4301 + b"]", "None"),
    (b"\xef\xbb\xbf[1]", "None"), (b'{"a": 1}\r\n', "{'a': 1}"), (b"\n\t [1] ", "[1]"),
    (b"[1] 2", "None"), (b"[1]]", "None"), (b'{"a": 1}\x0b', "None"), (b"\x0b[1]", "None"),
    (b'["\\u0000"]', "['\\x00']"), (b'["\x00"]', "None"), (b'["\x1f"]', "None"),
    (b'["\x7f"]', "['\\x7f']"), (b'[1, "\\/"]', "[1, '/']"), (b"[\xff]", "None"),
    (b'{"a": 1, "a": 2, "b": 3}', "{'a': 2, 'b': 3}"), (b"[" * (2 << 20), "None"),
    (b"[" * 5000 + b"]" * 5000, "None"), (b"[1,]", "None"), (b"[01]", "None"),
    (b"42", "None"), (b'"text"', "None"), (b"", "None"), (b"[]", "[]"), (b"{}", "{}"),
]


@pytest.mark.parametrize(("body", "expected"), VECTORS, ids=range(len(VECTORS)))
def test_vectors(body: bytes, expected: str) -> None:
    same(body)
    assert repr(parse_json(body)) == expected


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32",
                                      "utf-32-le", "utf-32-be"])
def test_utf_16_and_32(encoding: str) -> None:
    """Read where the body starts with its document's { (little-endian, no BOM), as before."""
    document = {"a": [1, 2.5, "é\U00010000"]}
    body = json.dumps(document, ensure_ascii=False).encode(encoding)
    same(body)
    assert parse_json(body) == (document if encoding.endswith("-le") else None)


def test_a_nan_is_a_float_nan() -> None:
    value = parse_json(b"[NaN, -0.0]")
    assert math.isnan(value[0]) and math.copysign(1, value[1]) == -1


def nested(depth: int, shape: str) -> bytes:
    """A document `depth` containers deep, each an array or an object as `shape` says."""
    shapes = (shape * depth)[:depth]
    return ("".join('{"k":' if kind == "{" else "[" for kind in shapes) + "0" + "".join(
        "}" if kind == "{" else "]" for kind in reversed(shapes))).encode()


def down(caller_depth: int, work: Callable[[], Any]) -> Any:
    """`work` done `caller_depth` frames further down the stack."""
    return down(caller_depth - 1, work) if caller_depth else work()


def deepest(parse: Callable[[bytes], Any], shape: str) -> int:
    """The deepest document of this shape `parse` reads, called from here."""
    low, high = 1, sys.getrecursionlimit()
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if parse(nested(middle, shape)) is not None else \
            (low, middle - 1)
    return low


@pytest.mark.parametrize("shape", ["[", "{", "[{", "{[", "[[{", "{{[{["])
@pytest.mark.parametrize("caller_depth", [0, 150, 600])
def test_nesting_is_bounded_where_json_bounded_it(shape: str, caller_depth: int) -> None:
    """msgspec through its staticmethod reads one level less than json's scanner, which reads
    the level between: the deepest document read is json's, to the level, from any depth."""
    bound = down(caller_depth, lambda: deepest(json_parse_json, shape))
    assert down(caller_depth, lambda: deepest(parse_json, shape)) == bound
    assert 0 < bound < sys.getrecursionlimit() - caller_depth
    for body in (around + nested(depth, shape) for around in (b"", b" ")
                 for depth in (bound - 1, bound, bound + 1)):
        down(caller_depth, lambda body=body: same(body))  # as deep as `deepest`'s parse


def test_990_deep_and_5000_deep_arrays() -> None:
    for depth in (990, 5000):
        body = b"[" * depth + b"]" * depth
        same(body)
    assert parse_json(b"[" * 900 + b"]" * 900) is not None


def test_msgspec_reads_a_json_document_and_json_what_msgspec_refuses(
        monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[str] = []
    msgspec_read, json_read = _api._read_json, _api._scan

    def by_msgspec(body: bytes) -> Any:
        read.append("msgspec")
        return msgspec_read(body)

    def by_json(text: str, at: int) -> Any:
        read.append("json")
        return json_read(text, at)

    monkeypatch.setattr(_api, "_read_json", by_msgspec)
    monkeypatch.setattr(_api, "_scan", by_json)
    assert parse_json(b'{"action": "opened", "number": 1}') == {"action": "opened", "number": 1}
    assert read == ["msgspec"]
    assert repr(parse_json(b"[NaN]")) == "[nan]" and read == ["msgspec", "msgspec", "json"]
    assert parse_json(b"42") is None and parse_json(b"") is None and len(read) == 3
