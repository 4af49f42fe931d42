"""The message each change publishes (issue 24.2): its summary's JSON text is made without the
dict, and its conformance status judged on the JSON capture parsed. Both stay exactly what the
encoder wrote of SUMMARY before, judged afresh: for every sample `send` makes, and the bodies
around them (deviating, no provider, past 512 KiB, gzip, not UTF-8, surrogates, UTF-16)."""

from __future__ import annotations

import asyncio
import gzip
import json
import time
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from websockets.asyncio.client import connect

import inspector.conformance.verdict
import inspector.signatures._api
from inspector import serialize
from inspector.analysis import delivery_of
from inspector.conformance.judged import JUDGED_BYTES, Judge
from inspector.conformance.loading import catalogue_for
from inspector.models import Replay, ResponseRecord
from inspector.send.samples import EVENTS
from inspector.send.sender import cannot_sign, plan_delivery
from inspector.send.signing_keys import signing_key
from inspector.serialize import compact, delete_text, summary, summary_text
from inspector.signatures import Signed, get
from inspector.state import request_message

from .conftest import Apps, AppsFactory, make_capture
from .prober import LOOP_HOLD_S, LoopLag
from .test_capture_work import counted

Posted = tuple[str, str, dict[str, str], bytes]  # method, target, headers, body
GITHUB = {"Content-Type": "application/json", "X-GitHub-Event": "issues",
          "X-GitHub-Delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958"}
ISSUE = json.dumps({"action": "opened", "issue": {"number": 1}}).encode()


def samples() -> list[Posted]:
    """Every sample `send` makes, signed as it signs them."""
    now = time.time()
    made: list[Posted] = []
    for provider, events in EVENTS.items():
        scheme = get(provider)
        assert scheme is not None
        for event in events:
            delivery = plan_delivery(provider, event, f"http://127.0.0.1/in/{provider}", None,
                                     now)
            signed = Signed([], delivery.body, delivery.url) if cannot_sign(scheme) else \
                delivery.signed(signing_key(scheme, None).signing, now)
            url = urlsplit(signed.url)
            target = url.path + (f"?{url.query}" if url.query else "")
            made.append((delivery.method, target, dict(delivery.headers(signed)), signed.body))
    return made


def around() -> list[Posted]:
    """Bodies the samples do not make."""
    big = json.dumps({"action": "opened", "padding": "x" * 600_000}).encode()
    return [
        ("POST", "/gh", GITHUB, json.dumps({"action": "opened", "issue": "no"}).encode()),
        ("POST", "/plain", {"Content-Type": "application/json"}, b'{"a": 1}'),
        ("POST", "/gh-big", GITHUB, big),
        ("POST", "/gh-gzip", {**GITHUB, "Content-Encoding": "gzip"}, gzip.compress(ISSUE)),
        ("POST", "/gh-gzip-bad", {**GITHUB, "Content-Encoding": "gzip"}, b"not gzip"),
        ("POST", "/gh-latin", GITHUB, b'{"action": "opened", "x": "\xe9"}'),
        ("POST", "/gh-surrogate", GITHUB, b'{"action": "opened", "x": "\xed\xa0\x80"}'),
        ("POST", "/gh-utf16", GITHUB, ISSUE.decode().encode("utf-16-le")),
        ("POST", "/gh-bom", GITHUB, b"\xef\xbb\xbf" + ISSUE),
        ("POST", "/gh-space", GITHUB, b" \r\n" + ISSUE),
        ("POST", "/gh-deep", GITHUB, b"[" * 100_000),
        ("POST", "/gh-text", GITHUB, b"opened"),
        ("POST", "/gh-form", {**GITHUB, "Content-Type": "application/x-www-form-urlencoded"},
         b"payload=" + ISSUE),
        ("POST", "/caf%C3%A9?q=%22%5C%E2%80%A8&x", {"Content-Type": 'text/"plain"\\'}, b"\x00"),
    ]


async def test_each_published_summary_is_the_encoders_text_of_summary(
        make_apps: AppsFactory) -> None:
    corpus = samples() + around()
    apps = await make_apps(max_requests=len(corpus) + 10, max_bytes=64 * 1024 * 1024,
                           max_body=1024 * 1024)
    fresh = Judge(apps.inspector.judge.catalogue)  # judges each body anew, parsing it
    async with connect(apps.ws_url(), max_size=None) as ws:
        json.loads(await ws.recv())  # hello
        texts = []
        for method, target, headers, body in corpus:
            answer = await apps.hooks.request(method, target, data=body, headers=headers)
            assert answer.status == 200, (target, await answer.text())
            texts.append(await asyncio.wait_for(ws.recv(), 5))
    statuses = set()
    for text in texts:
        record = apps.inspector.store.get(json.loads(text)["request"]["id"])
        assert record is not None
        assert text == compact(request_message("request", record, fresh)), record.path
        statuses.add(json.loads(text)["request"]["conformance"])
    assert statuses == {"conforms", "deviates", "not_json", "unknown_event", "no_schema", None}


async def test_a_listened_delivery_is_parsed_once(apps: Apps,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Its summary's status reads the JSON the analysis parsed."""
    parsed = counted(monkeypatch, inspector.signatures._api, "parse_json")
    parsed_again = counted(monkeypatch, inspector.conformance.verdict, "_json")
    async with connect(apps.ws_url()) as ws:
        await ws.recv()  # hello
        answer = await apps.hooks.post("/gh", data=ISSUE, headers=GITHUB)
        assert answer.status == 200
        message = json.loads(await asyncio.wait_for(ws.recv(), 5))
    assert message["request"]["conformance"] in ("conforms", "deviates")
    assert (parsed[0], parsed_again[0]) == (1, 0)
    assert apps.inspector.judge.handed is None  # nothing kept once it is stored


CATALOGUE = catalogue_for(())  # as `serve` has it: GitHub's schemas too
bodies = st.one_of(
    st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                 lambda inner: st.lists(inner, max_size=3) |
                 st.dictionaries(st.text(max_size=5), inner, max_size=3),
                 max_leaves=8).map(lambda value: json.dumps({"action": "opened", "x": value},
                                                           ensure_ascii=False)
                                   .encode("utf-8", "surrogatepass")),
    st.binary(max_size=40),
    st.sampled_from([b"\xef\xbb\xbf", b" ", b"\x00", b"{", b"[", b"\xed\xa0\x80"])
    .flatmap(lambda start: st.binary(max_size=20).map(lambda rest: start + ISSUE + rest)))


@settings(max_examples=300, deadline=None)
@given(bodies, st.sampled_from(["application/json", "application/x-www-form-urlencoded"]))
def test_the_status_judged_on_the_analysis_json_is_the_status_judged_afresh(
        body: bytes, content_type: str) -> None:
    record = make_capture(body=body, body_size=len(body), provider="github",
                          event="issues.opened",
                          headers=[(b"Content-Type", content_type.encode())])
    delivery = delivery_of(record)
    delivery.body_field("action")  # as the analysis does: the body parsed, if JSON
    handed = Judge(CATALOGUE)
    handed.handed = delivery
    assert handed.status_of(record) == Judge(CATALOGUE).status_of(record)


FULL = make_capture(
    id=42, received_at=1764000000.25, method="POST", path="/in/\u00e9\"", query="a=\\&b",
    remote=None, body=b'{"x": 1}', body_size=8, error="analysis failed: \u2028",
    provider="github", event="issues.opened", delivery_id="d-1", duplicate_of=7,
    response=ResponseRecord(201, (), b"", 1.0, "inspector"), imported=True,
    route=(2, "http://app.test/\u00ff"), held="waiting")
FULL_TEXT = (
    '{"id":42,"received_at":"2025-11-24T16:00:00.250Z","method":"POST",'
    '"path":"/in/\\u00e9\\"","query":"a=\\\\&b","content_type":"application/json",'
    '"body_size":8,"remote":null,"provider":"github","event":"issues.opened",'
    '"delivery_id":"d-1","duplicate_of":7,"signature":null,"response_status":201,'
    '"error":"analysis failed: \\u2028","imported":true,"conformance":"deviates",'
    '"route":{"index":2,"to":"http://app.test/\\u00ff"},"held":"waiting"}')


def test_every_field_is_written_as_before() -> None:
    judge = Judge(CATALOGUE)
    assert summary_text(FULL, judge) == compact(summary(FULL, judge)) == FULL_TEXT


@pytest.mark.parametrize("odd", [{"id": True}, {"body_size": 8.0}, {"duplicate_of": False},
                                 {"imported": 1}, {"held": ["waiting"]}, {"remote": 5},
                                 {"route": (True, "x")}])
def test_a_value_of_another_type_is_written_by_the_encoder(odd: dict[str, Any]) -> None:
    """As from a hand-edited history file: the text is still the encoder's."""
    record = FULL._replace(provider=None, **odd)
    judge = Judge(CATALOGUE)
    assert summary_text(record, judge) == compact(summary(record, judge))


@settings(max_examples=300, deadline=None)
@given(ids=st.one_of(st.lists(st.integers()), st.lists(st.one_of(
    st.integers(), st.booleans(), st.floats(allow_nan=False), st.text(max_size=4)))))
def test_an_eviction_is_written_as_the_encoder_writes_it(ids: list[Any]) -> None:
    assert delete_text(ids) == compact({"type": "delete", "ids": ids})
    assert delete_text([3, 1]) == '{"type":"delete","ids":[3,1]}'


def hostile_bodies() -> list[bytes]:
    """Within the bounds a body is judged at (512 KiB): many objects (85,000: at 170,000,
    the most 512 KiB holds, capture and publish together hold the loop 20 ms of CPU on this
    machine, 28 ms before; bench/README.md), deep, and deeper than the parser goes."""
    most = b'{"action": "opened", "issue": [' + b",".join([b"{}"] * 85_000) + b"]}"
    deep = b'{"action": "opened", "issue": ' + b"[" * 900 + b"]" * 900 + b"}"
    deepest = b'{"action": "opened", "issue": ' + b"[" * 250_000 + b"]" * 250_000 + b"}"
    return [most, deep, deepest]


@pytest.mark.parametrize("body", hostile_bodies(), ids=["many", "deep", "deepest"])
async def test_a_hostile_body_holds_the_loop_little_while_a_client_listens(
        make_apps: AppsFactory, body: bytes) -> None:
    """SPEC 3: its status is judged while it is published, on the loop; the JSON capture
    parsed is not parsed again."""
    assert len(body) <= JUDGED_BYTES
    apps = await make_apps(max_body=1024 * 1024, max_bytes=16 * 1024 * 1024)
    async with connect(apps.ws_url()) as ws:
        await ws.recv()  # hello
        async with LoopLag() as lag:
            answer = await apps.hooks.post("/gh", data=body, headers=GITHUB)
            message = json.loads(await asyncio.wait_for(ws.recv(), 5))
    assert answer.status == 200
    assert message["request"]["conformance"] in ("deviates", "not_json", "unknown_event")
    assert lag.worst_cpu < LOOP_HOLD_S, lag.worst_cpu


texts = st.text(max_size=6)
shaped = st.fixed_dictionaries({
    "method": st.sampled_from(["POST", "GET", "PUT"]), "path": texts.map(lambda t: "/" + t),
    "remote": st.none() | st.sampled_from(["127.0.0.1", "::1"]) | texts,
    "duplicate_of": st.none() | st.integers(1, 5), "error": st.none() | texts,
    "imported": st.booleans(), "route": st.none() | st.tuples(st.integers(0, 2), texts),
    "held": st.none() | st.sampled_from(["waiting", "delivered", "dropped"]),
    "response": st.none() | st.builds(ResponseRecord, st.sampled_from([200, 202, 500]),
                                      st.just(()), st.just(b""), st.just(1.0),
                                      st.just("inspector")),
    "provider": st.none() | st.sampled_from(["github", "stripe"]),
    "query": texts})


@settings(max_examples=300, deadline=None)
@given(st.lists(shaped, min_size=1, max_size=6), st.integers(1, 4), st.sampled_from([8, 2048]))
def test_the_text_of_what_records_share_is_the_encoders_however_it_is_kept(
        kinds: list[dict[str, Any]], bound: int, chars: int) -> None:
    """What a record's Shape holds is written once per shape and kept, at most SHAPE_TEXTS
    shapes of at most SHAPE_TEXT_CHARS: every summary, the first of its shape or not, past
    either bound or not, is the encoder's text."""
    judge = Judge(CATALOGUE)
    serialize._SHAPE_TEXTS.clear()  # kept under the bound of the example before
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(serialize, "SHAPE_TEXTS", bound)
        patch.setattr(serialize, "SHAPE_TEXT_CHARS", chars)
        for number, kind in enumerate(kinds * 2, start=1):
            record = make_capture(id=number, **kind)
            assert summary_text(record, judge) == compact(summary(record, judge))
            assert len(serialize._SHAPE_TEXTS) <= bound


def test_records_of_one_shape_have_its_text_made_once(monkeypatch: pytest.MonkeyPatch) -> None:
    made = counted(monkeypatch, serialize, "shape_texts")
    judge = Judge(CATALOGUE)
    serialize._SHAPE_TEXTS.clear()
    records = [make_capture(id=number, path="/one/shape", duplicate_of=1)
               for number in range(2, 7)]
    assert len({id(record.shape) for record in records}) == 1
    assert [summary_text(record, judge) for record in records] == \
        [compact(summary(record, judge)) for record in records]
    assert made[0] == 1


def test_a_shape_that_holds_a_requests_own_parts_is_not_kept() -> None:
    """Its replays' and answer's bodies would outlive the record: its text is made at each
    summary, the same text."""
    judge = Judge(CATALOGUE)
    serialize._SHAPE_TEXTS.clear()
    replay = Replay(1.0, "http://app.test/", "POST", 200, (), b"x" * 1_000_000, 1.0, None)
    answered = ResponseRecord(200, (), b"y" * 1_000_000, 1.0, "route")
    for record in (make_capture(replays=(replay,)), make_capture(response=answered)):
        assert summary_text(record, judge) == compact(summary(record, judge))
        assert not serialize._SHAPE_TEXTS
