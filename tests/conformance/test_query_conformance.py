"""`schema:` and `finding:` (SPEC 12, 13) find on every engine what a reference finds: records
drawn from payload variants whose verdict is written out by hand below (no code shared with
inspector.query or the validator), stored on the memory and SQLite engines, searched with
generated queries (tests/test_query_engines.py's machinery)."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector.captured import CapturedRequest
from inspector.conformance.bundled import seeds
from inspector.conformance.catalogue import Catalogue
from inspector.conformance.judged import Judge
from inspector.query import QueryError, parse

from ..test_query_engines import NOW, results
from .vectors import CONFORMING

GOOD = CONFORMING["bondify/auth.confirmed"]
Test = Callable[[CapturedRequest], bool]

# variant -> (provider, event, body, status or None, the findings' paths and keywords)
VARIANTS: dict[str, tuple[str | None, str | None, bytes, str | None, set[str]]] = {
    "good": ("bondify", "auth.confirmed", json.dumps(GOOD).encode(), "conforms", set()),
    "number": ("bondify", "auth.confirmed", json.dumps({**GOOD, "telegram_id": 1}).encode(),
               "deviates", {"/telegram_id", "type"}),
    "absent": ("bondify", "auth.confirmed", json.dumps(
        {k: v for k, v in GOOD.items() if k != "telegram_username"}).encode(),
        "deviates", {"/telegram_username", "required"}),
    "extra": ("bondify", "auth.confirmed", json.dumps({**GOOD, "x": 1}).encode(), "conforms",
              {"/x", "additionalProperties"}),
    "text": ("bondify", "auth.confirmed", b"not json", "not_json", set()),
    "unknown": ("bondify", "auth.confirmd", json.dumps(GOOD).encode(), "unknown_event",
                {"", "event"}),
    "nobody": ("acme", "x", b"{}", "no_schema", set()),
    "none": (None, None, b"{}", None, set()),
}


def record_fields(variant: str, number: int) -> dict[str, Any]:
    provider, event, body, _, _ = VARIANTS[variant]
    return {"provider": provider, "event": event, "body": body, "body_size": len(body),
            "received_at": NOW - number}


def variant_of(record: CapturedRequest) -> str:
    for name, (provider, event, body, _, _) in VARIANTS.items():
        if (provider, event, body) == (record.provider, record.event, record.body):
            return name
    raise AssertionError(record)


def status(record: CapturedRequest) -> str | None:
    return VARIANTS[variant_of(record)][3]


def found(record: CapturedRequest) -> set[str]:
    return VARIANTS[variant_of(record)][4]


STATUSES = ["conforms", "deviates", "unknown_event", "no_schema", "not_json"]


@st.composite
def leaves(draw: st.DrawFn) -> tuple[str, Test]:
    case = draw(st.integers(0, 4))
    if case == 0:
        wanted = draw(st.sampled_from(STATUSES))
        return f"schema:{wanted.upper() if draw(st.booleans()) else wanted}", \
            lambda r: status(r) == wanted
    if case == 1:
        text = draw(st.sampled_from(["/telegram_id", "required", "/x", "telegram", "event",
                                     "type"]))
        return f"finding:{text}", lambda r: any(text.lower() in f.lower() for f in found(r))
    if case == 2:
        text = draw(st.sampled_from(["/telegram_id", "type", "additionalProperties"]))
        return f"finding:={text}", lambda r: any(text.lower() == f.lower() for f in found(r))
    if case == 3:
        present = draw(st.booleans())
        return f"{'has' if present else 'missing'}:schema", \
            lambda r: (status(r) is not None) is present
    return "schema:d*", lambda r: (status(r) or "").startswith("d")


@st.composite
def queries(draw: st.DrawFn) -> tuple[str, Test]:
    parts = draw(st.lists(leaves(), min_size=1, max_size=3))
    shape = draw(st.sampled_from(["and", "or", "not"]))
    texts = [text for text, _ in parts]
    tests = [test for _, test in parts]
    if shape == "and":
        return " ".join(texts), lambda r: all(t(r) for t in tests)
    if shape == "or":
        return " OR ".join(texts), lambda r: any(t(r) for t in tests)
    return f"NOT ({' OR '.join(texts)})", lambda r: not any(t(r) for t in tests)


@pytest.mark.parametrize("engine", ["memory", "sqlite"])
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(variants=st.lists(st.sampled_from(sorted(VARIANTS)), min_size=3, max_size=12),
       generated=st.lists(queries(), min_size=6, max_size=6))
def test_every_engine_finds_what_the_reference_finds(
        engine: str, variants: list[str], generated: list[tuple[str, Test]]) -> None:
    import asyncio

    fields = [record_fields(variant, number) for number, variant in enumerate(variants)]
    texts = [text for text, _ in generated]
    with tempfile.TemporaryDirectory() as directory:
        kept, answers = asyncio.run(results(engine, directory, fields, [], [], texts,
                                             Judge(Catalogue(seeds()))))
    for (text, test), (ids, newest, count) in zip(generated, answers, strict=True):
        expected = [r.id for r in kept if test(r)]
        assert ids == expected, text
        assert count == len(expected) and newest == expected[-3:], text


def test_schema_takes_the_five_statuses_only() -> None:
    with pytest.raises(QueryError, match="conforms, deviates, unknown_event"):
        parse("schema:bogus")
