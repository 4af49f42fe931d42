"""The durable engines' record codec (SQLite rows, Redis hashes): the document written for a
record is, byte for byte, the one every earlier version wrote (files and stores written before
and after read alike), and it reads back as the record it was made from."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.captured import CapturedRequest
from inspector.models import Replay, ResponseRecord, Verdict
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
