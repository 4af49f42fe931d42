"""A stored request keeps less than it reads (captured.py: a shared default answer, a shared valid
verdict, the rare fields grouped), yet reads exactly as the 9744306 record did: each field is
what it was built with, and its DETAIL, SUMMARY, HAR entry and stored (SQLite, Redis) form are
those of the same record kept whole."""

from __future__ import annotations

import json
import sys
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from multidict import CIMultiDict

from inspector import captured
from inspector.analysis import analyze, configured
from inspector.captured import COMMON, CapturedRequest
from inspector.config import SecretSpec
from inspector.conformance.judged import Judge
from inspector.export import har_entry
from inspector.kept import NumberedTemplate, SharedValid
from inspector.models import (
    JSON_HEADERS,
    Arrival,
    HeaderShown,
    Replay,
    ResponseRecord,
    Verdict,
    block_value,
    decode_header_block,
    error_body,
    header_value,
    numbered_body,
)
from inspector.serialize import compact, detail, summary
from inspector.signatures import SCHEMES, Key, SignInput
from inspector.signatures.keyed import covers
from inspector.steps import finish
from inspector.store import codec
from inspector.store.protocol import record_of

from .conftest import header_block, make_capture

# 9744306's CapturedRequest fields, in its order: what the API and the codecs are built from.
FIELDS_9744306 = (
    "id", "received_at", "method", "path", "query", "http_version", "remote", "header_block",
    "body", "body_size", "trailer_block", "error", "provider", "event", "delivery_id",
    "duplicate_of", "signatures", "response", "replays", "imported", "route", "mirrored", "held")
COVERED = [scheme for scheme in SCHEMES if covers(scheme)]
NOW = 1_765_000_000.0


def whole(fields: dict[str, Any]) -> CapturedRequest:
    """The same record with nothing shared or derived: every value kept as given."""
    from inspector.captured import Rare, Shape
    return tuple.__new__(CapturedRequest, (
        *(fields[name] for name in ("id", "received_at", "query", "header_block", "body",
                                    "provider", "event", "delivery_id")), None,
        Shape(*(fields[name] for name in ("method", "path", "http_version", "remote",
                                          "body_size", "duplicate_of", "trailer_block",
                                          "signatures", "response")),
              Rare(fields["error"], fields["replays"], fields["imported"], fields["route"],
                   fields["mirrored"], fields["held"]))))


def as_shown(record: CapturedRequest) -> tuple[str, ...]:
    judge = Judge(None)
    # as stored: what its document reads back as (a shared verdict is written shorter, and
    # read back as a `HeaderShown`, the whole one's as a `Verdict`: both by their values)
    stored = codec.decode(*codec.encode(record))._asdict()
    stored["signatures"] = [tuple(verdict) for verdict in stored["signatures"]]
    return (compact(finish(detail(record, judge))), compact(summary(record, judge)),
            compact(finish(har_entry(record, False, judge))),
            compact(finish(har_entry(record, True, judge))), repr(stored))


def signed_headers(scheme: Any, secret: str, body: bytes, form: str) -> list[tuple[str, str]]:
    signed = scheme.sign(Key(secret), SignInput(body, "http://127.0.0.1/hook", NOW, "id-1"))
    value = dict(signed.headers)[scheme.signature_header]
    value = {"right": value, "padded": f"  {value}\t", "wrong": value[:-1] + "0",
             "upper": value.upper()}[form]
    return [("Content-Type", "application/json"), (scheme.signature_header.lower(), value)]


replays = st.lists(st.builds(
    Replay, at=st.floats(0, 2e9), target=st.just("http://127.0.0.1:9/x"),
    method=st.just("POST"), status=st.none() | st.just(200), headers=st.just(JSON_HEADERS),
    body=st.binary(max_size=20), duration_ms=st.floats(0, 1e4), error=st.none() | st.text(
        max_size=10)), max_size=2).map(tuple)


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    scheme = draw(st.sampled_from(COVERED))
    secret = draw(st.text(min_size=1, max_size=20))
    body = draw(st.binary(max_size=200))
    form = draw(st.sampled_from(["right", "padded", "wrong", "upper", "unsigned"]))
    headers = [("Content-Type", "text/plain")] if form == "unsigned" else \
        signed_headers(scheme, secret, body, form)
    if draw(st.booleans()):  # the same header again after it, any case
        noise = st.text(st.characters(min_codepoint=32, max_codepoint=0x2FF), max_size=70)
        headers.append((scheme.signature_header.upper(), draw(noise)))
    fields = make_capture(id=draw(st.integers(1, 10**12)), body=body,
                          headers=[(n.encode("latin-1"), v.encode()) for n, v in headers],
                          received_at=draw(st.floats(0, 2e9)))._asdict()
    fields["body_size"] = len(body) + draw(st.sampled_from([0, 0, 7]))  # or cut short
    learnt = analyze(make_capture(**fields), configured([SecretSpec(scheme.name, secret)]))
    fields.update(provider=learnt.provider, event=learnt.event,
                  delivery_id=learnt.delivery_id, signatures=learnt.verdicts)
    if draw(st.booleans()):  # a second verdict beside it
        fields["signatures"] += (Verdict("generic", "unverified", "no secret"),)
    status, duration = draw(st.sampled_from([200, 202, 418])), draw(st.floats(0, 1e5))
    fields["response"] = draw(st.sampled_from([
        None,
        ResponseRecord(status, JSON_HEADERS, numbered_body(fields["id"]), duration, "inspector"),
        ResponseRecord(status, (("X-A", "b"),), numbered_body(fields["id"]), duration, "har"),
        ResponseRecord(502, JSON_HEADERS, error_body("app down"), duration, "error"),
        ResponseRecord(status, (), b"forwarded", duration, "forward")]))
    fields.update(
        error=draw(st.none() | st.just("analysis failed: KeyError")),
        duplicate_of=draw(st.none() | st.integers(1, 10)), replays=draw(replays),
        imported=draw(st.booleans()), route=draw(st.none() | st.just((0, "http://app"))),
        mirrored=draw(replays), held=draw(st.sampled_from([None, "waiting", "delivered"])))
    return fields


def changes_to(fields: dict[str, Any], data: st.DataObject) -> dict[str, Any]:
    """Some fields set to another record's values, as the inspector sets them: verdicts are
    its own check's, a numbered answer is numbered for its own request."""
    other = data.draw(records())
    changes = {name: other[name] for name in data.draw(st.sets(st.sampled_from(FIELDS_9744306),
                                                                max_size=4))}
    if "signatures" in changes:
        own = fields["signatures"] if "header_block" not in changes else ()
        changes["signatures"] = data.draw(st.sampled_from([
            (), own, tuple(Verdict(*verdict) for verdict in other["signatures"])]))
    return changes


def stored(fields: dict[str, Any], numbered: bool) -> CapturedRequest:
    """The record as the store builds it (`record_of`): a default answer (`numbered`) is handed
    over before its number, as the receiver sends it."""
    response = fields["response"]
    numbered = numbered and response is not None and response.body == numbered_body(fields["id"])
    sent = response._replace(body=b"") if numbered else response
    learnt = {name: fields[name] for name in FIELDS_9744306[len(Arrival._fields) + 1:]
              if name != "response"}
    return record_of(Arrival(*(fields[name] for name in Arrival._fields)), fields["id"], learnt,
                     sent, numbered)


@settings(max_examples=400, deadline=None, database=None)
@given(fields=records(), numbered=st.booleans(), data=st.data())
def test_a_kept_record_reads_and_shows_as_the_whole_one(fields: dict[str, Any], numbered: bool,
                                                       data: st.DataObject) -> None:
    kept = stored(fields, numbered)
    if numbered and fields["response"] is not None and \
            fields["response"].body == numbered_body(fields["id"]):
        assert type(kept.kept_response) is NumberedTemplate  # its body derived from the id
    for name in FIELDS_9744306:
        assert getattr(kept, name) == fields[name], name
    assert kept._asdict() == fields
    assert as_shown(kept) == as_shown(whole(fields))
    assert kept.response_status == (None if kept.response is None else kept.response.status)
    changes = changes_to(fields, data)
    changed = kept._replace(**changes)
    assert changed._asdict() == {**fields, **changes}
    assert as_shown(changed) == as_shown(whole({**fields, **changes}))
    again = codec.decode(*codec.encode(kept))
    assert again._asdict() == fields
    assert list(json.loads(codec.encode(kept)[0])) == [
        name for name in FIELDS_9744306 if name not in codec.BLOBS]


lines = st.binary(max_size=12) | st.sampled_from([
    b"x-sig: a", b"X-SIG: b", b"x-sig", b"X-Sig:  c ", b"x-sig:", b"x-sig: \xc3\xa9\xff", b": d",
    b"", b"x-sig : e", b"x-si\xc7: f"])


@settings(max_examples=2000, deadline=None, database=None)
@given(block=st.tuples(st.lists(lines, max_size=6), st.sampled_from([b"\r\n", b"", b"\n"])).map(
           lambda drawn: b"\r\n".join(drawn[0]) + drawn[1]),
       name=st.sampled_from(["x-sig", "X-Sig", "", "x-sig ", "a: b", "x-si\xc7", "x-sig:"])
       | st.text(max_size=6))
def test_a_header_is_found_in_the_block_as_decoding_it_finds_it(block: bytes, name: str) -> None:
    """What a shared valid verdict reads its signature from: the first value, in any case, as
    the check's `Headers.get` (CIMultiDict) found it."""
    expected = header_value(decode_header_block(block), name)
    assert block_value(block, name) == expected
    assert expected == CIMultiDict(decode_header_block(block)).get(name)


def test_a_verified_request_with_the_default_answer_keeps_only_its_own_parts() -> None:
    scheme = next(scheme for scheme in COVERED if scheme.name == "bondify")
    body = b'{"event": "auth.confirmed"}'
    pairs = tuple((n.encode(), v.encode()) for n, v in signed_headers(scheme, "s", body, "right"))
    learnt = analyze(make_capture(body=body, headers=pairs), configured([SecretSpec("bondify",
                                                                                     "s")]))
    assert type(learnt.verdicts[0]) is HeaderShown and learnt.verdicts[0].status == "valid"
    arrival = Arrival(NOW, "POST", "/h", "", "HTTP/1.1", None, header_block(pairs), body,
                      len(body), b"")
    sent = ResponseRecord(200, JSON_HEADERS, b"", 1.5, "inspector")  # as the receiver sends it
    first, second = (record_of(arrival, n, {"signatures": learnt.verdicts}, sent, True)
                     for n in (1000, 1001))
    assert first.kept_signatures is second.kept_signatures  # one shared verdict
    assert type(first.kept_signatures) is SharedValid
    assert first.kept_response is second.kept_response  # one shared answer template
    assert type(first.kept_response) is NumberedTemplate
    assert first.rare is COMMON and first.cut_size is None
    answered = first._replace(held="waiting", duplicate_of=3)  # set apart: the rest still shared
    assert answered.kept_response is first.kept_response and answered.rare.held == "waiting"
    assert answered.kept_signatures is first.kept_signatures
    assert answered._replace(held=None).rare is COMMON
    assert first.response == ResponseRecord(200, JSON_HEADERS, b'{"ok": true, "id": 1000}', 1.5,
                                            "inspector")
    assert first.shape is second.shape  # what they hold alike, once
    # 10 slots, where 3eec273 held 19 and 9744306 23, a response, a verdict and their strings
    assert sys.getsizeof(first) == sys.getsizeof(tuple(range(10)))


def test_requests_of_one_kind_share_their_shape_and_others_keep_their_own() -> None:
    sent = ResponseRecord(200, JSON_HEADERS, b"", 1.5, "inspector")
    a, b = (make_capture(id=n, path="/a", response=sent, numbered=True) for n in (1, 2))
    other = make_capture(id=3, path="/b", response=sent, numbered=True)
    assert a.shape is b.shape and other.shape is not a.shape and other.path == "/b"
    unverified = tuple(Verdict("bondify", "unverified", "no secret") for _ in range(2))
    c, d = (make_capture(id=n, signatures=(verdict,))
            for n, verdict in zip((8, 9), unverified, strict=True))
    assert c.shape is d.shape and c.signatures == (unverified[0],)
    # an answer kept whole, however like the template, is not read as the numbered one
    whole_answer = ResponseRecord(200, JSON_HEADERS, b"", 0.0, "inspector")
    kept = make_capture(id=4, path="/a", response=whole_answer)
    assert kept.response == whole_answer and kept.shape is not a.shape
    # a shape holding what one request has (its own answer, a rare field) is not kept past it
    big = ResponseRecord(200, (), b"x" * 100_000, 3.0, "forward")
    assert make_capture(id=5, response=big).shape not in captured._shapes.values()
    assert make_capture(id=6, error="analysis failed").shape not in captured._shapes.values()


def test_at_the_bound_the_kept_shapes_are_forgotten_not_their_records(monkeypatch: Any
                                                                      ) -> None:
    before = make_capture(id=7, path="/before")
    monkeypatch.setattr(captured, "SHAPES_BOUND", len(captured._shapes))
    record = make_capture(id=8, path="/never-seen-before", remote="10.9.8.7")
    assert list(captured._shapes.values()) == [record.shape]
    assert (record.path, record.remote, before.path) == ("/never-seen-before", "10.9.8.7",
                                                         "/before")
    assert make_capture(id=9, path="/never-seen-before", remote="10.9.8.7").shape \
        is record.shape


def test_a_changed_valid_verdict_is_kept_whole() -> None:
    shown = HeaderShown("bondify", "valid", "matches", "X-Sig", "abc", "abc", None)
    changed = shown._replace(reason="verified again")
    assert type(changed) is Verdict
    record = make_capture(signatures=(changed,))
    assert record.kept_signatures == (changed,)
