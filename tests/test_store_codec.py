"""The durable engines' record codec (SQLite rows, Redis hashes): the document written for a
record reads back as the record it was made from, value for value and type for type, and so
does the document every earlier version wrote (files and stores written before read alike).
Since session 11 the document differs from the former one in two ways only: a float's digits
are msgspec's (the same value), and a shared valid verdict is written without its shown values
(read from the header block): what `json.loads` gives is otherwise the same."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.captured import CapturedRequest
from inspector.kept import SHARED_BOUND, SHARED_VALID, NumberedTemplate, SharedValid
from inspector.models import HeaderShown, Replay, ResponseRecord, Verdict
from inspector.store import codec

text = st.text(max_size=12)
maybe_text = st.none() | text
pairs = st.lists(st.tuples(text, text), max_size=3).map(tuple)
floats = st.floats(allow_nan=False, allow_infinity=False)

verdicts = st.builds(Verdict, text, st.sampled_from(["valid", "invalid", "unknown"]), text,
                     maybe_text, maybe_text, maybe_text, st.none() | floats, st.booleans())
responses = st.none() | st.builds(
    ResponseRecord, st.integers(100, 599), pairs, st.binary(max_size=20), floats,
    st.sampled_from(["inspector", "forward", "error", "har"]))
replays = st.builds(Replay, at=floats, target=text, method=text,
                    status=st.none() | st.integers(100, 599), headers=pairs,
                    body=st.binary(max_size=20), duration_ms=floats, error=maybe_text,
                    request_headers=pairs, request_body=st.binary(max_size=20),
                    edited=st.booleans(), resigned=st.booleans(), note=maybe_text)
records = st.builds(
    CapturedRequest, id=st.integers(0, 2**53), received_at=floats, method=text, path=text,
    query=text, http_version=text, remote=maybe_text, header_block=st.binary(max_size=40),
    body=st.binary(max_size=40), body_size=st.integers(0, 2**40),
    trailer_block=st.binary(max_size=10), error=maybe_text, provider=maybe_text,
    event=maybe_text, delivery_id=maybe_text, duplicate_of=st.none() | st.integers(1, 2**53),
    signatures=st.lists(verdicts, max_size=3).map(tuple), response=responses,
    replays=st.lists(replays, max_size=2).map(tuple), imported=st.booleans(),
    route=st.none() | st.tuples(st.integers(0, 9), text),
    mirrored=st.lists(replays, max_size=2).map(tuple),
    held=st.sampled_from([None, "waiting", "delivered", "dropped"]))


def document_as_written_before(record: CapturedRequest) -> str:
    """The document as `encode` made it up to session 10 (session 7's code, kept here as the
    reference; the response and replays are still made by the same helpers): every field but
    the blobs, in the record's order."""
    fields = record._asdict()
    for name in codec.BLOBS:
        fields.pop(name)
    fields["signatures"] = [list(verdict) for verdict in record.signatures]
    fields["response"] = codec._response_json(record.response)
    fields["replays"] = [codec._replay_json(replay) for replay in record.replays]
    fields["mirrored"] = [codec._replay_json(replay) for replay in record.mirrored]
    return json.dumps(fields, separators=(",", ":"))


def same(one: Any, other: Any) -> bool:
    """Equal and of the same types all the way down (a tuple and a list alike, and a verdict
    and its subclass: `==` takes 1 for 1.0 and 0.0 for -0.0)."""
    if isinstance(one, (list, tuple)):
        return isinstance(other, (list, tuple)) and len(one) == len(other) \
            and all(map(same, one, other))
    if isinstance(one, dict):
        return isinstance(other, dict) and one.keys() == other.keys() \
            and all(same(value, other[name]) for name, value in one.items())
    if one.__class__ is float and other.__class__ is float:
        return repr(one) == repr(other) or (math.isnan(one) and math.isnan(other))
    return one.__class__ is other.__class__ and one == other


def as_written_before(record: CapturedRequest) -> dict[str, Any]:
    """What `json.loads` gives of the former document, but for a shared valid verdict: now its
    four first fields only."""
    fields: dict[str, Any] = json.loads(document_as_written_before(record))
    if isinstance(record.kept_signatures, SharedValid):
        fields["signatures"] = [fields["signatures"][0][:codec.SHOWN_FIELDS]]
    return fields


def as_read(record: CapturedRequest) -> dict[str, Any]:
    """The record's fields as they read back: an answer's duration a float (as ever)."""
    fields = record._asdict()
    if record.response is not None:
        fields["response"] = record.response._replace(
            duration_ms=float(record.response.duration_ms))
    return fields


def assert_written_and_read_back(record: CapturedRequest) -> None:
    """The document holds the former one's values; it and the former one read back as the
    record."""
    document, blobs = codec.encode(record)
    assert same(json.loads(document), as_written_before(record))
    assert same(codec.decode(document, blobs)._asdict(), as_read(record))
    former = codec.decode(document_as_written_before(record), blobs)
    assert same(former._asdict(), as_read(record))


@settings(max_examples=300, deadline=None)
@given(records)
def test_a_record_is_written_with_its_values_and_reads_back_as_it_was(
        record: CapturedRequest) -> None:
    assert_written_and_read_back(record)
    _, blobs = codec.encode(record)
    assert blobs == {"header_block": record.header_block, "body": record.body,
                     "trailer_block": record.trailer_block}
    assert list(blobs) == list(codec.BLOBS)  # the order the engines bind them in


# What a captured request keeps shared (captured.py): a valid verdict of the keyed shortcut,
# shown from its header's value in the block, and the default answer numbered by the id. A few
# names of each, so that the shared values stay within their bound and are shared.
header_names = st.sampled_from(["X-Bondify-Signature", "x-hub-signature-256", "Stripe-Signature"])
header_lines = st.tuples(header_names | text, text).map(
    lambda line: f"{line[0]}: {line[1]}\r\n".encode("utf-8", "surrogatepass"))
header_blocks = st.lists(header_lines, max_size=4).map(b"".join) | st.binary(max_size=40)
shown_verdicts = st.builds(HeaderShown, st.sampled_from(["bondify", "github"]),
                           st.just("valid"), st.sampled_from(["matches", "matches \u2026"]),
                           header_names, maybe_text, maybe_text, st.none())
numbered_answers = st.builds(ResponseRecord, st.sampled_from([200, 202]),
                             st.sampled_from([(("Content-Type", "application/json"),), ()]),
                             st.just(b""), floats | st.integers(0, 9),
                             st.sampled_from(["inspector", "forward"]))
shared_records = st.builds(
    CapturedRequest, id=st.integers(0, 2**53), received_at=floats | st.integers(0, 9),
    method=text, path=text, query=text, http_version=text, remote=maybe_text,
    header_block=header_blocks, body=st.binary(max_size=40), body_size=st.integers(0, 2**40),
    trailer_block=st.binary(max_size=10), error=maybe_text, provider=maybe_text,
    event=maybe_text, delivery_id=maybe_text, duplicate_of=st.none() | st.integers(1, 2**53),
    signatures=st.tuples(shown_verdicts) | st.lists(verdicts, max_size=2).map(tuple),
    response=st.none() | numbered_answers, numbered=st.booleans(),
    replays=st.lists(replays, max_size=1).map(tuple), imported=st.booleans(),
    held=st.sampled_from([None, "waiting"]))


@settings(max_examples=500, deadline=None)
@given(shared_records)
def test_a_record_keeping_shared_values_is_written_as_one_that_keeps_them_whole(
        record: CapturedRequest) -> None:
    """The document is written from what the record keeps (the shared verdict's fields, the
    answer's template and the id), not from the values it derives when read: the values
    those give, but the shown values a shared verdict derives from its header, and they read
    back as them."""
    assert_written_and_read_back(record)


def test_the_shared_values_are_what_the_property_above_writes() -> None:
    """The strategy above makes records that keep a shared verdict and a numbered answer's
    template (else the property would test the general path only); such a record's document,
    whole, and its former one (session 10's) both read back as it."""
    block = b"Host: x\r\nX-Bondify-Signature: 0123456789abcdef0123\r\n"
    answer = ResponseRecord(200, (("Content-Type", "application/json"),), b"", 1e-07, "inspector")
    verdict = HeaderShown("bondify", "valid", "matches", "X-Bondify-Signature", "", "", None)
    record = CapturedRequest(7, 1765000000.123456, "POST", "/", "", "HTTP/1.1", None, block,
                             b"{}", 2, b"", signatures=(verdict,), response=answer, numbered=True)
    assert isinstance(record.kept_signatures, SharedValid)
    assert isinstance(record.kept_response, NumberedTemplate)
    document, blobs = codec.encode(record)
    assert document == (  # the body: {"ok": true, "id": 7}
        '{"id":7,"received_at":1765000000.123456,"method":"POST","path":"/","query":"",'
        '"http_version":"HTTP/1.1","remote":null,"body_size":2,"error":null,"provider":null,'
        '"event":null,"delivery_id":null,"duplicate_of":null,'
        '"signatures":[["bondify","valid","matches","X-Bondify-Signature"]],'
        '"response":{"status":200,"headers":[["Content-Type","application/json"]],'
        '"body":"eyJvayI6IHRydWUsICJpZCI6IDd9","duration_ms":1e-7,"source":"inspector"},'
        '"replays":[],"imported":false,"route":null,"mirrored":[],"held":null}')
    former = document_as_written_before(record)
    assert '"X-Bondify-Signature","0123456789abcdef\\u2026","0123456789abcdef\\u2026",null,true]]' \
        in former and '"duration_ms":1e-07,' in former
    for written in document, former:
        read = codec.decode(written, blobs)
        assert same(read._asdict(), as_read(record))
        assert read.signatures[0].received == "0123456789abcdef\u2026"


@pytest.mark.parametrize("kept", ["none yet", "bound reached"])
def test_a_shared_verdict_reads_back_where_none_is_shared_yet(kept: str) -> None:
    """Read in a process that shares no such verdict yet (a restart), or can share no more:
    its shown values are derived from the block as it is read, and the record shares it
    again where there is room."""
    block = b"X-Bondify-Signature:  0123456789abcdef0123 \r\nHost: x\r\n"
    verdict = HeaderShown("bondify", "valid", "matches", "X-Bondify-Signature", "", "", None)
    record = CapturedRequest(9, 1.5, "POST", "/", "", "HTTP/1.1", None, block, b"{}", 2, b"",
                             signatures=(verdict,))
    document, blobs = codec.encode(record)
    assert '"signatures":[["bondify","valid","matches","X-Bondify-Signature"]]' in document
    before = dict(SHARED_VALID)
    SHARED_VALID.clear()
    if kept == "bound reached":
        SHARED_VALID.update({(str(n), "valid", "", "h"): SharedValid(str(n), "", "h")
                             for n in range(SHARED_BOUND)})
    try:
        read = codec.decode(document, blobs)
    finally:
        SHARED_VALID.clear()
        SHARED_VALID.update(before)
    assert same(read._asdict(), as_read(record))
    assert read.signatures[0][4:6] == (" 0123456789abcde\u2026", "0123456789abcdef\u2026")
    assert isinstance(read.kept_signatures, SharedValid) is (kept == "none yet")


owns = st.tuples(st.integers(0, 2**53), floats | st.integers(0, 9), text, maybe_text,
                 maybe_text, maybe_text, st.binary(max_size=40))


@settings(max_examples=200, deadline=None)
@given(st.lists(shared_records, min_size=1, max_size=4),
       st.lists(st.tuples(st.integers(0, 3), owns), min_size=1, max_size=24))
def test_records_sharing_a_few_shapes_are_each_written_as_before(
        kinds: list[CapturedRequest], made: list[tuple[int, tuple[Any, ...]]]) -> None:
    """The JSON of a shape is made once and kept for the next record of that shape
    (`codec._shape_json`): records of a few kinds, taken in any order, each written as its
    own values and its own shape give, never another's."""
    for kind, (request_id, received_at, query, provider, event, delivery_id, body) in made:
        record = kinds[kind % len(kinds)]._replace(
            id=request_id, received_at=received_at, query=query, provider=provider,
            event=event, delivery_id=delivery_id, body=body)
        assert_written_and_read_back(record)


def test_past_its_bound_the_shapes_json_is_made_again() -> None:
    """More shapes than are kept: each record is still written from its own."""
    base = CapturedRequest(1, 1.5, "POST", "/", "", "HTTP/1.1", None, b"", b"{}", 2, b"")
    records = [base._replace(path=f"/{number}") for number in range(codec.SHAPES_KEPT + 5)]
    for record in [*records, *records[:5]]:
        assert_written_and_read_back(record)


def test_a_shape_of_one_record_is_written_but_not_kept() -> None:
    """A record with an answer of its own (as a Redis store's, before its id) has a shape
    of its own: its JSON is made for it and not kept, so the shapes records share stay."""
    answer = ResponseRecord(200, (("Content-Type", "application/json"),), b"{}", 1.5, "forward")
    codec._shapes_json.clear()
    for number in range(codec.SHAPES_KEPT + 5):
        record = CapturedRequest(number, 1.5, "POST", "/", "", "HTTP/1.1", None, b"", b"{}", 2,
                                 b"", response=answer._replace(duration_ms=float(number)))
        assert_written_and_read_back(record)
    assert not codec._shapes_json
