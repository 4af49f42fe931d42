"""The durable engines' record codec (SQLite rows, Redis hashes): the document written for a
record is, byte for byte, the one every earlier version wrote (files and stores written before
and after read alike), and it reads back as the record it was made from."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.captured import CapturedRequest
from inspector.kept import NumberedTemplate, SharedValid
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
    """The document as `encode` made it up to session 7 (its code, kept here as the reference;
    the response and replays are still made by the same helpers): every field but the blobs,
    in the record's order."""
    fields = record._asdict()
    for name in codec.BLOBS:
        fields.pop(name)
    fields["signatures"] = [list(verdict) for verdict in record.signatures]
    fields["response"] = codec._response_json(record.response)
    fields["replays"] = [codec._replay_json(replay) for replay in record.replays]
    fields["mirrored"] = [codec._replay_json(replay) for replay in record.mirrored]
    return json.dumps(fields, separators=(",", ":"))


@settings(max_examples=300, deadline=None)
@given(records)
def test_a_record_is_written_as_before_and_reads_back_as_it_was(record: CapturedRequest) -> None:
    document, blobs = codec.encode(record)
    assert document == document_as_written_before(record)
    assert blobs == {"header_block": record.header_block, "body": record.body,
                     "trailer_block": record.trailer_block}
    assert list(blobs) == list(codec.BLOBS)  # the order the engines bind them in
    assert codec.decode(document, blobs) == record


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
    """The document is written from what the record keeps (the shared verdict's fields and
    its header's value, the answer's template and the id), not from the values it derives
    when read: the same bytes as those values give, and they read back as them."""
    document, blobs = codec.encode(record)
    assert document == document_as_written_before(record)
    assert codec.decode(document, blobs)._asdict() == record._asdict()


def test_the_shared_values_are_what_the_property_above_writes() -> None:
    """The strategy above makes records that keep a shared verdict and a numbered answer's
    template (else the property would test the general path only)."""
    block = b"Host: x\r\nX-Bondify-Signature: 0123456789abcdef0123\r\n"
    answer = ResponseRecord(200, (("Content-Type", "application/json"),), b"", 1.5, "inspector")
    verdict = HeaderShown("bondify", "valid", "matches", "X-Bondify-Signature", "", "", None)
    record = CapturedRequest(7, 1.25, "POST", "/", "", "HTTP/1.1", None, block, b"{}", 2, b"",
                             signatures=(verdict,), response=answer, numbered=True)
    assert isinstance(record.kept_signatures, SharedValid)
    assert isinstance(record.kept_response, NumberedTemplate)
    document, _ = codec.encode(record)
    written = json.loads(document)
    assert written["signatures"] == [["bondify", "valid", "matches", "X-Bondify-Signature",
                                      "0123456789abcdef\u2026", "0123456789abcdef\u2026", None,
                                      True]]
    assert written["response"]["body"] == "eyJvayI6IHRydWUsICJpZCI6IDd9"  # {"ok": true, "id": 7}
    assert written["response"]["duration_ms"] == 1.5


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
        document, blobs = codec.encode(record)
        assert document == document_as_written_before(record)
        assert codec.decode(document, blobs)._asdict() == record._asdict()


def test_past_its_bound_the_shapes_json_is_made_again() -> None:
    """More shapes than are kept: each record is still written from its own."""
    base = CapturedRequest(1, 1.5, "POST", "/", "", "HTTP/1.1", None, b"", b"{}", 2, b"")
    records = [base._replace(path=f"/{number}") for number in range(codec.SHAPES_KEPT + 5)]
    for record in [*records, *records[:5]]:
        assert codec.encode(record)[0] == document_as_written_before(record)


def test_a_shape_of_one_record_is_written_but_not_kept() -> None:
    """A record with an answer of its own (as a Redis store's, before its id) has a shape
    of its own: its JSON is made for it and not kept, so the shapes records share stay."""
    answer = ResponseRecord(200, (("Content-Type", "application/json"),), b"{}", 1.5, "forward")
    codec._shapes_json.clear()
    for number in range(codec.SHAPES_KEPT + 5):
        record = CapturedRequest(number, 1.5, "POST", "/", "", "HTTP/1.1", None, b"", b"{}", 2,
                                 b"", response=answer._replace(duration_ms=float(number)))
        assert codec.encode(record)[0] == document_as_written_before(record)
    assert not codec._shapes_json
