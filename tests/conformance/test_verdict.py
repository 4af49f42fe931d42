"""The verdict (SPEC 13): each status, Slack's `payload=` form field read as JSON, the version a
payload or its headers name, a user's schema winning, and never an exception (hypothesis)."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlencode

from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.conformance.bundled import seeds
from inspector.conformance.catalogue import Catalogue
from inspector.conformance.loading import catalogue_for
from inspector.conformance.model import Schema
from inspector.conformance.verdict import judge, status
from inspector.send.samples import EVENTS as SAMPLES
from inspector.send.sender import sample

from .vectors import CONFORMING

CATALOGUE = Catalogue(seeds())
CONFIRMED = CONFORMING["bondify/auth.confirmed"]


def body(payload: Any) -> bytes:
    return json.dumps(payload).encode()


def versioned(version: str | None, required: str) -> Schema:
    return Schema("acme", "order.paid", {"type": "object", "required": [required]},
                  f"acme docs {version}", version)


def test_the_spec_example_deviates_with_its_three_findings() -> None:
    payload = {**CONFIRMED, "telegram_id": 123456789, "telegram_user_id": 42}
    del payload["telegram_username"]
    verdict = judge(CATALOGUE, "bondify", "auth.confirmed", body(payload), "application/json")
    assert verdict.status == "deviates" and verdict.schema is not None
    assert verdict.schema.name == "bondify/auth.confirmed"
    assert [tuple(f[:5]) for f in verdict.findings] == [
        ("/telegram_id", "type", "string", "number 123456789", "error"),
        ("/telegram_username", "required", "string or null", "absent", "error"),
        ("/telegram_user_id", "additionalProperties", "not documented", "number 42", "info")]


def test_warnings_and_infos_alone_conform() -> None:
    payload = {**CONFIRMED, "confirmed_at": 1776787361, "extra": 1}
    verdict = judge(CATALOGUE, "bondify", "auth.confirmed", body(payload))
    assert verdict.status == "conforms"
    assert [f.severity for f in verdict.findings] == ["warning", "info"]


def test_an_event_not_documented_names_the_closest() -> None:
    verdict = judge(CATALOGUE, "bondify", "auth.confirmd", body(CONFIRMED))
    assert verdict.status == "unknown_event" and verdict.schema is None
    assert "closest: auth.confirmed" in verdict.findings[0].expected


def test_a_provider_without_schemas_and_a_body_not_json() -> None:
    assert judge(CATALOGUE, "acme", "x", b"{}").status == "no_schema"
    assert judge(CATALOGUE, "bondify", "auth.confirmed", b"{not json").status == "not_json"
    assert judge(CATALOGUE, "bondify", "auth.confirmed", b"\xff\xfe").status == "not_json"


def test_a_form_body_is_judged_by_its_payload_field() -> None:
    schema = Schema("acme", "block_actions", {"type": "object", "required": ["type"]}, "docs")
    catalogue = Catalogue([schema])
    form = "application/x-www-form-urlencoded"
    sent = urlencode({"payload": json.dumps({"type": "block_actions"})}).encode()
    assert judge(catalogue, "acme", "block_actions", sent, form).status == "conforms"
    wrong = urlencode({"payload": json.dumps({"kind": 1})}).encode()
    assert judge(catalogue, "acme", "block_actions", wrong, form).status == "deviates"
    assert judge(catalogue, "acme", "block_actions", b"a=1", form).status == "not_json"


def test_the_version_is_the_header_s_else_the_payload_s_else_unversioned() -> None:
    catalogue = Catalogue([versioned(None, "any"), versioned("2024-06", "old"),
                           versioned("2026-01", "new")])
    new = body({"new": 1})
    assert judge(catalogue, "acme", "order.paid", new, version="2026-01").status == "conforms"
    assert judge(catalogue, "acme", "order.paid", new, version="2024-06").status == "deviates"
    named = body({"old": 1, "api_version": "2024-06"})
    found = judge(catalogue, "acme", "order.paid", named)
    assert found.status == "conforms" and found.schema and found.schema.version == "2024-06"
    assert judge(catalogue, "acme", "order.paid", body({"any": 1}), version="1999").schema \
        == versioned(None, "any")


def test_a_later_source_wins_for_the_same_key() -> None:
    mine = Schema("bondify", "auth.confirmed", {"type": "object"}, "my file")
    catalogue = Catalogue([*seeds(), mine])
    verdict = judge(catalogue, "bondify", "auth.confirmed", b"{}")
    assert verdict.status == "conforms" and verdict.schema is mine


PROVIDERS = st.sampled_from(["bondify", "primebot", "bondio", "telebothost", "svix", "acme"])
EVENTS = st.one_of(st.none(), st.text(max_size=20), st.sampled_from(
    [name.split("/")[1] for name in CONFORMING]))
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
                    lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(provider=PROVIDERS, event=EVENTS, payload=st.one_of(
    st.binary(max_size=200), JSON.map(lambda value: json.dumps(value).encode())),
    content_type=st.sampled_from([None, "application/json",
                                  "application/x-www-form-urlencoded", "text/plain"]),
    query=st.text(max_size=60), version=st.one_of(st.none(), st.text(max_size=8)))
def test_the_verdict_never_raises_whatever_the_body(provider: str, event: str | None,
                                                     payload: bytes, content_type: str | None,
                                                     query: str, version: str | None) -> None:
    verdict = judge(CATALOGUE, provider, event, payload, content_type, version, query)
    assert verdict.status in ("conforms", "deviates", "unknown_event", "no_schema", "not_json")
    assert all(len(f.got) <= len("boolean ") + 60 for f in verdict.findings)
    assert status(CATALOGUE, provider, event, payload, content_type, version, query, None) \
        == verdict.status


# Where the status alone (two validations, no finding built) could differ from the findings':
# keywords that give warnings and infos, named as properties, inside data, under combinators.
TRICKY = Schema("acme", "tricky", {
    "type": "object",
    "properties": {
        "format": {"type": "string", "format": "date-time"},
        "additionalProperties": {"type": "integer"},
        "kind": {"enum": [{"format": "x"}, {"additionalProperties": False}]},
        "shape": {"oneOf": [
            {"type": "object", "properties": {"a": {}}, "additionalProperties": False},
            {"type": "object", "properties": {"b": {}}, "additionalProperties": False}]},
        "at": {"anyOf": [{"type": "string", "format": "date-time"}, {"type": "integer"}]},
        "ms": {"type": "integer", "x-unit": "ms"},
    },
    "additionalProperties": False,
}, "tests")
TRICKY_VALUES = st.fixed_dictionaries({}, optional={
    "format": st.sampled_from(["2026-01-01T00:00:00Z", "soon", 5]),
    "additionalProperties": st.sampled_from([1, "x"]),
    "kind": st.sampled_from([{"format": "x"}, {"additionalProperties": False}, {}]),
    "shape": st.sampled_from([{"a": 1}, {"b": 1}, {"a": 1, "b": 1}, {"c": 1}, {}]),
    "at": st.sampled_from(["2026-01-01T00:00:00Z", "soon", 5, None]),
    "ms": st.sampled_from([5, 1776787361000]), "extra": st.just(1)})


@settings(max_examples=300, deadline=None)
@given(payload=TRICKY_VALUES)
def test_the_status_alone_is_the_findings_status(payload: dict[str, Any]) -> None:
    catalogue = Catalogue([TRICKY])
    sent = body(payload)
    assert status(catalogue, "acme", "tricky", sent, None, None, "", None) == \
        judge(catalogue, "acme", "tricky", sent).status


def mutations(payload: Any) -> list[Any]:
    """The payload, and it with each top-level key taken away or given another type, and
    with a key no schema documents."""
    made = [payload]
    if isinstance(payload, dict):
        for key in payload:
            made.append({name: value for name, value in payload.items() if name != key})
            made += [{**payload, key: value} for value in (None, "soon", 7, 1.5, [], {})]
        made.append({**payload, "undocumented": True})
    return made


def test_the_status_alone_is_the_findings_status_for_every_sample_sent() -> None:
    """One validation, on the schema without the warnings' and infos' keywords, gives every
    bundled schema's status (GitHub's too) as the findings do, for each sample `send` makes
    and its mutations."""
    catalogue, now, checked = catalogue_for(()), time.time(), 0
    for provider, events in SAMPLES.items():
        for event in events:
            _, payload = sample(provider, event, now, "d-1")
            for mutated in mutations(payload):
                sent = body(mutated)
                alone = status(catalogue, provider, event, sent, "application/json", None, "",
                               None)
                whole = judge(catalogue, provider, event, sent, "application/json")
                assert alone == whole.status, (provider, event, mutated)
                checked += whole.status in ("conforms", "deviates")
    assert checked > 1000
