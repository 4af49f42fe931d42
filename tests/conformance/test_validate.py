"""The validator (SPEC 13): each of jsonschema-rs's error kinds as a Finding with its JSON
Pointer, keyword, expected, got and severity; and `jsonschema` (the reference implementation,
test-only) agreeing on a corpus about which payloads conform and where they fail."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from inspector.conformance.model import Finding, Schema
from inspector.conformance.validate import SchemaError, compile_schema, findings, validator_of

DOCUMENT: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["name", "handle"],
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 5, "pattern": "^[a-z]"},
        "handle": {"type": ["string", "null"]},
        "kind": {"enum": ["data", "voice", "sms"]},
        "fixed": {"const": "v1"},
        "percent": {"type": "number", "minimum": 0, "maximum": 100},
        "step": {"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 10,
                 "multipleOf": 2},
        "at": {"type": "string", "format": "date-time"},
        "at_ms": {"type": "integer", "x-unit": "ms"},
        "at_s": {"type": "integer", "x-unit": "s"},
        "tags": {"type": "array", "minItems": 1, "maxItems": 2, "items": {"type": "string"}},
        "either": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        "loose": {"type": "object"},
        "closed": {"type": "object", "additionalProperties": False},
    },
    "additionalProperties": False,
}
SCHEMA = Schema("acme", "thing.done", DOCUMENT, "tests", conflicts=(("/extra", "it is so"),))
VALID = {"name": "abc", "handle": None}


def only(payload: dict[str, Any]) -> Finding:
    found = findings(SCHEMA, {**VALID, **payload})
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(("change", "expected"), [
    ({"name": 5}, Finding("/name", "type", "string", "number 5", "error")),
    ({"handle": 1}, Finding("/handle", "type", "string or null", "number 1", "error")),
    ({"kind": "fax"}, Finding("/kind", "enum", 'one of "data", "voice", "sms"',
                              'string "fax"', "error")),
    ({"fixed": "v2"}, Finding("/fixed", "const", '"v1"', 'string "v2"', "error")),
    ({"percent": 101}, Finding("/percent", "maximum", "<= 100", "number 101", "error")),
    ({"percent": -1}, Finding("/percent", "minimum", ">= 0", "number -1", "error")),
    ({"step": 0}, Finding("/step", "exclusiveMinimum", "> 0", "number 0", "error")),
    ({"step": 10}, Finding("/step", "exclusiveMaximum", "< 10", "number 10", "error")),
    ({"step": 3}, Finding("/step", "multipleOf", "a multiple of 2", "number 3", "error")),
    ({"name": "abcdef"}, Finding("/name", "maxLength", "length <= 5", 'string "abcdef"',
                                 "error")),
    ({"name": "1"}, Finding("/name", "pattern", "matching ^[a-z]", 'string "1"', "error")),
    ({"tags": []}, Finding("/tags", "minItems", "items >= 1", "array []", "error")),
    ({"tags": ["a", "b", "c"]}, Finding("/tags", "maxItems", "items <= 2",
                                        'array ["a","b","c"]', "error")),
    ({"tags": ["a", 7]}, Finding("/tags/1", "type", "string", "number 7", "error")),
    ({"either": 1.5}, Finding("/either", "oneOf", "exactly one of its alternatives",
                                      "number 1.5", "error")),
    ({"at": "yesterday"}, Finding("/at", "format", "date-time", 'string "yesterday"',
                                  "warning")),
    ({"at_ms": 1_760_000_000}, Finding("/at_ms", "x-unit", "Unix time in milliseconds",
                                       "number 1760000000", "warning")),
    ({"at_s": 17_892_378_963}, Finding("/at_s", "x-unit", "Unix time in seconds",
                                       "number 17892378963", "warning")),
    ({"closed": {"a/b": 1}}, Finding("/closed/a~1b", "additionalProperties",
                                     "not documented", "number 1", "info")),
    ({"extra": True}, Finding("/extra", "additionalProperties", "not documented",
                              "boolean true", "info",
                              "the documentation's own example has this too: it is so")),
])
def test_each_error_kind_is_a_finding(change: dict[str, Any], expected: Finding) -> None:
    assert only(change) == expected


def test_a_required_field_absent_says_its_documented_type() -> None:
    assert findings(SCHEMA, {"name": "abc"}) == (
        Finding("/handle", "required", "string or null", "absent", "error"),)


def test_got_is_cut_to_60_characters_and_errors_come_first() -> None:
    found = findings(SCHEMA, {"name": "x" * 100, "handle": None, "extra": 1, "at": "no"})
    assert [f.severity for f in found] == ["error", "warning", "info"]
    assert len(found[0].got) == len("string ") + 60 and found[0].got.endswith("…")


def test_a_conforming_payload_has_no_finding_and_units_in_range_pass() -> None:
    assert findings(SCHEMA, {**VALID, "at_ms": 1_760_000_000_000, "at_s": 1_760_000_000,
                             "at": "2026-04-21T16:02:41Z", "loose": {"any": 1}}) == ()


def test_compiled_once_per_schema() -> None:
    assert validator_of(SCHEMA) is validator_of(SCHEMA)


@pytest.mark.parametrize("document", [
    {"$ref": "https://example.com/schema.json"},
    {"type": "nothing-real"},
    {"properties": {"a": {"$ref": "other.json#/x"}}},
])
def test_an_outside_ref_or_a_broken_schema_is_refused_without_fetching(
        document: dict[str, Any]) -> None:
    with pytest.raises(SchemaError):
        compile_schema(document)


# ---- jsonschema (the reference implementation) agrees on a corpus ----

CORPUS: list[Any] = [
    VALID, {}, [], "text", None, 5, {"name": "abc"}, {"name": 5, "handle": 5},
    {**VALID, "kind": "sms", "percent": 100, "step": 4, "tags": ["a"], "either": "s"},
    {**VALID, "kind": "fax", "percent": 100.5, "step": 5, "tags": [1, 2, 3]},
    {**VALID, "fixed": "v1", "either": 2, "loose": {"x": [1]}},
    {**VALID, "fixed": None, "either": [], "closed": {"k": 1}, "extra": 1},
    {**VALID, "at": "2026-04-21T16:02:41Z"}, {**VALID, "at": "21/04/2026"},
    {**VALID, "name": "Abc"}, {**VALID, "name": ""}, {**VALID, "handle": "h", "step": 0},
]
# What jsonschema-rs reports that the reference does not know: our own keyword.
OURS_ONLY = {"x-unit"}


def reference_findings(payload: Any) -> set[tuple[str, str]]:
    checker = jsonschema.Draft202012Validator(
        DOCUMENT, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    found = set()
    for error in checker.iter_errors(payload):
        path = "".join(f"/{part}" for part in error.absolute_path)
        if error.validator == "required":
            path += "/" + error.message.split("'")[1]
        if error.validator == "additionalProperties":
            continue  # compared by name below
        found.add((path, str(error.validator)))
    return found


@pytest.mark.parametrize("payload", CORPUS)
def test_jsonschema_agrees_on_every_payload_of_the_corpus(payload: Any) -> None:
    ours = {(f.path, f.keyword) for f in findings(SCHEMA, payload)
            if f.keyword not in OURS_ONLY and f.keyword != "additionalProperties"}
    assert ours == reference_findings(payload)
    reference = jsonschema.Draft202012Validator(
        DOCUMENT, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    assert validator_of(SCHEMA).is_valid(payload) == reference.is_valid(payload)


def test_findings_are_bounded_whatever_the_payload() -> None:
    many = {**VALID, **{f"k{i}": i for i in range(5000)}, "name": 5}
    found = findings(SCHEMA, many, most=10)
    assert found[0] == Finding("/name", "type", "string", "number 5", "error")
    assert len(found) == 11 and found[-1] == Finding(
        "", "truncated", "at most 10 findings listed", "4991 more", "info")
    assert findings(SCHEMA, {**VALID, "extra": 1}, most=1)[-1].keyword == "additionalProperties"
