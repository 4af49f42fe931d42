"""A summary's conformance status (issue 24.2) is judged from the record's own facts, its header
block lowered once, on the JSON capture parsed: the same status as the reader's path gives
(`Judge.of`: the body as the page shows it, judged in detail), for every sample `send` makes,
each with its top-level keys taken away or retyped, and the bodies around them (not JSON, no
schema, unknown events, past 512 KiB, content codings, parts, forms, versions, a query)."""

from __future__ import annotations

import gzip
import json
import sys
from collections.abc import Callable
from types import FrameType
from typing import Any
from urllib.parse import urlsplit

import pytest

from inspector.analysis import analyze, delivery_of
from inspector.captured import CapturedRequest
from inspector.conformance import judged
from inspector.conformance.catalogue import Catalogue
from inspector.conformance.judged import JUDGED_BYTES, Judge
from inspector.conformance.loading import catalogue_for
from inspector.conformance.model import Schema

from ..conftest import make_capture
from ..test_summary_text import Posted, around, samples
from .test_verdict import mutations

# The schemas `serve` has, and versions of one provider's (by header) and another's (in the payload)
SERVED = catalogue_for(())  # as `serve` has it: GitHub's schemas too
VERSIONED = Catalogue([
    *SERVED,
    Schema("shopify", "orders/create", {"type": "object", "required": ["id"]}, "t", "2024-01"),
    Schema("shopify", "orders/create", {"type": "object", "required": ["name"]}, "t", "2025-01"),
    Schema("acme", "paid", {"type": "object", "required": ["api_version"]}, "t", "1"),
    Schema("acme", "paid", {"type": "object", "required": ["amount"]}, "t", "2"),
])
JSON = {"Content-Type": "application/json"}


def record_of(posted: Posted) -> CapturedRequest:
    """The record capture stores of a request, with what its analysis learnt."""
    method, target, headers, body = posted
    url = urlsplit(target)
    made = make_capture(method=method, path=url.path, query=url.query, body=body,
                        headers=[(n.encode(), v.encode("utf-8")) for n, v in headers.items()])
    found = analyze(made, [])
    return made._replace(provider=found.provider, event=found.event)


def mutated(posted: Posted) -> list[Posted]:
    """The sample, gzipped, and its JSON with each top-level key taken away or given another
    type."""
    method, target, headers, body = posted
    zipped = (method, target, {**headers, "Content-Encoding": "gzip"}, gzip.compress(body))
    try:
        payload = json.loads(body)
    except ValueError:
        return [posted, zipped]
    return [zipped, *((method, target, headers, json.dumps(each).encode())
                      for each in mutations(payload))]


def more() -> list[tuple[Posted, str | None, str | None]]:
    """Requests whose provider and event are given: none documented, unknown, versions."""
    shop = {**JSON, "X-Shopify-API-Version": "2024-01"}
    return [
        (("POST", "/x", JSON, b'{"a": 1}'), "nobody-documents-this", "a.b"),
        (("POST", "/x", JSON, b'{"a": 1}'), "github", "no_such_event"),
        (("POST", "/x", JSON, b'{"a": 1}'), "github", None),
        (("POST", "/x", shop, b'{"id": 1}'), "shopify", "orders/create"),
        (("POST", "/x", shop, b'{"name": "n"}'), "shopify", "orders/create"),
        (("POST", "/x", JSON, b'{"name": "n"}'), "shopify", "orders/create"),
        (("POST", "/x", JSON, b'{"api_version": "2", "amount": 1}'), "acme", "paid"),
        (("POST", "/x", JSON, b'{"api_version": "2"}'), "acme", "paid"),
        (("POST", "/x", JSON, b'{"api_version": 2}'), "acme", "paid"),
        (("POST", "/x", JSON, b'{"api_version": "9"}'), "acme", "paid"),
        (("POST", "/x?chat_id=1&text=hi", JSON, b""), "telebothost", None),
        (("POST", "/x", JSON, b"123"), "github", "issues"),
        (("POST", "/x", JSON, b"\x00\x00\x00{"), "github", "issues"),
        (("POST", "/x", JSON, json.dumps({"pad": "x" * JUDGED_BYTES}).encode()), "github",
         "issues"),
        (("POST", "/x", JSON, b"{" + b" " * (JUDGED_BYTES - 2) + b"}"), "github", "issues"),
        (("POST", "/x", {**JSON, "Content-Encoding": "gzip"},
          gzip.compress(json.dumps({"pad": "x" * JUDGED_BYTES}).encode())), "github", "issues"),
        (("POST", "/x", {"Content-Type": "multipart/form-data; boundary=b"},
          b'--b\r\nContent-Disposition: form-data; name="payload"\r\n\r\n{}\r\n--b--\r\n'),
         "github", "issues"),
    ]


def corpus() -> list[CapturedRequest]:
    made = [record_of(each) for sample in samples() for each in mutated(sample)]
    made += [record_of(each) for each in around()]
    made += [record_of(posted)._replace(provider=provider, event=event)
             for posted, provider, event in more()]
    return [record._replace(id=index + 1) for index, record in enumerate(made)]


def reader_status(catalogue: Catalogue, record: CapturedRequest) -> str | None:
    whole = Judge(catalogue).of(record)
    return None if whole is None else whole.status


def test_a_stored_records_status_is_the_readers_for_every_body() -> None:
    statuses: set[str | None] = set()
    records = corpus()
    assert len(records) > 1000 and any(r.body_size > JUDGED_BYTES for r in records)
    for catalogue in (SERVED, VERSIONED):
        for record in records:
            delivery = delivery_of(record)
            delivery.body_field("action")  # as the analysis does: the body parsed, if JSON
            storing = Judge(catalogue)
            storing.handed = delivery
            expected = reader_status(catalogue, record)
            assert storing.status_of(record, record.content_type) == expected, record
            assert Judge(catalogue).status_of(record) == expected, record
            for handed in (delivery, None):
                fresh = Judge(catalogue)
                fresh.handed = handed
                assert fresh_status(fresh, record) == expected, record
                assert fresh.kept(record), record  # kept under the record's own key
                fresh.handed = None
                assert fresh.status_of(record) == expected, record
            statuses.add(expected)
    assert statuses == {"conforms", "deviates", "not_json", "unknown_event", "no_schema", None}


def fresh_status(judge: Judge, record: CapturedRequest) -> str | None:
    """The status of a capture as the summary of its storing judges it."""
    return judge.fresh_status(record, record.content_type,
                              b"\r\n" + record.header_block.lower(), record.body_size)


def test_a_fresh_records_status_is_judged_past_the_bound_of_plain_checks(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The providers and events known to take one check are kept, at most PLAIN_CHECKS of
    them: past it they are found again, and judged the same."""
    monkeypatch.setattr(judged, "PLAIN_CHECKS", 3)
    records = corpus()[:200]
    judge = Judge(SERVED)
    for _ in range(2):
        for record in records:
            assert fresh_status(judge, record) == reader_status(SERVED, record), record
            assert len(judge._plain) <= 3


def github_handed() -> tuple[CapturedRequest, Judge]:
    """A GitHub sample's record, and a judge handed its delivery, parsed as capture parses it."""
    record = record_of(next(posted for posted in samples() if "X-GitHub-Event" in posted[2]))
    judge, delivery = Judge(SERVED), delivery_of(record)
    delivery.body_field("action")
    judge.handed = delivery
    return record, judge


def calls_in(call: Callable[[], str | None]) -> tuple[str | None, int]:
    """What `call` gives, and the Python calls it made."""
    calls = [0]

    def counting(_frame: FrameType, event: str, _arg: Any) -> None:
        calls[0] += event == "call"

    sys.setprofile(counting)
    try:
        given = call()
    finally:
        sys.setprofile(None)
    return given, calls[0]


def test_a_stored_records_status_takes_few_python_calls() -> None:
    """Counted, not timed: each call costs a summary about a microsecond, and the reader's
    general path (the body as shown, the verdict's arguments, the verdict) took 22."""
    record, judge = github_handed()
    content_type = record.content_type
    status, calls = calls_in(lambda: judge.status_of(record, content_type))
    assert status in ("conforms", "deviates")
    assert calls <= 16 + 1, calls  # and the lambda's


def test_a_fresh_records_status_takes_fewer_python_calls() -> None:
    """A capture's, judged as it is stored: one check on the JSON its analysis parsed (the
    general path above takes 16)."""
    record, judge = github_handed()
    fresh_status(judge, record._replace(id=2))  # its schema compiled, its check found once
    content_type, block = record.content_type, b"\r\n" + record.header_block.lower()
    size = record.body_size
    status, calls = calls_in(lambda: judge.fresh_status(record, content_type, block, size))
    assert status == reader_status(SERVED, record) and status in ("conforms", "deviates")
    assert calls <= 4 + 1, calls  # and the lambda's
