"""Proof of the bundled seed schemas (SPEC 13, issue 25.5): each documentation example
conforms, Bondio's contradicting examples give exactly the conflicts recorded (each finding
saying the documentation's own example has it too), and mutated copies (a required field
removed, a type changed, a value outside an enum) fail at the right path."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

from inspector.conformance.bundled import seeds
from inspector.conformance.model import Schema
from inspector.conformance.validate import findings
from inspector.conformance.verdict import query_payload

from .vectors import CONFLICTING, CONFORMING

SCHEMAS = {schema.name: schema for schema in seeds()}
NOTE = "the documentation's own example has this too"


def test_every_seed_schema_has_a_source_and_an_example() -> None:
    assert all(schema.source.startswith("https://") for schema in SCHEMAS.values())
    assert set(SCHEMAS) == set(CONFORMING) | set(CONFLICTING)
    assert {name.split("/")[0] for name in SCHEMAS} == {
        "bondify", "primebot", "bondio", "telebothost", "standard-webhooks", "svix"}
    assert sum(name.startswith("bondio/") for name in SCHEMAS) == 6
    assert sum(name.startswith("primebot/") for name in SCHEMAS) == 8


@pytest.mark.parametrize("name", sorted(CONFORMING))
def test_the_documentation_example_conforms(name: str) -> None:
    assert findings(SCHEMAS[name], CONFORMING[name]) == ()


@pytest.mark.parametrize("name", sorted(CONFLICTING))
def test_a_conflicting_example_gives_exactly_the_recorded_conflicts(name: str) -> None:
    example, expected = CONFLICTING[name]
    found = findings(SCHEMAS[name], example)
    assert sorted((f.path, f.keyword, f.severity) for f in found) == sorted(expected)
    assert all(f.note and f.note.startswith(NOTE) for f in found)
    assert {path for path, _ in SCHEMAS[name].conflicts} >= {f.path for f in found}


def test_undocumented_data_of_prime_bot_is_an_info_never_an_error() -> None:
    found = findings(SCHEMAS["primebot/campaign.completed"],
                     {**CONFORMING["primebot/campaign.completed"], "data": {"sent_count": 3}})
    assert [(f.path, f.keyword, f.severity) for f in found] == [
        ("/data/sent_count", "additionalProperties", "info")]


def test_a_signed_link_whose_options_is_not_json_deviates() -> None:
    schema = SCHEMAS["telebothost/*"]
    payload = query_payload(schema, "command=go&options=%7Bnot-json&sig=a1&user=7")
    assert [(f.path, f.keyword) for f in findings(schema, payload)] == [("/options", "type")]
    good = query_payload(schema, "command=go&options=%7B%22a%22%3A1%7D&sig=a1&user=7&x=1")
    assert good["options"] == {"a": 1} and findings(schema, good) == ()


# ---- mutations, generated from each schema and its example ----

Place = tuple[list[str], dict[str, Any]]  # the path to an object, and that object's schema


def objects(schema: dict[str, Any], path: list[str]) -> Iterator[Place]:
    yield path, schema
    for name, sub in schema.get("properties", {}).items():
        if sub.get("type") == "object" and "properties" in sub:
            yield from objects(sub, [*path, name])


def at(document: Any, path: list[str]) -> Any:
    for key in path:
        document = document[key]
    return document


def other_type(kind: str | list[str]) -> Any:
    return "a string" if "string" not in kind else 12345


def mutations(schema: Schema, example: Any) -> Iterator[tuple[str, Any, str, str]]:
    """(what was done, the mutated copy, the path it must fail at, the keyword)."""
    for path, sub in objects(schema.document, []):
        target = at(example, path) if isinstance(example, dict) else None
        if not isinstance(target, dict):
            continue
        pointer = "".join(f"/{key}" for key in path)
        for name in sub.get("required", ()):
            if name in target:
                yield from _mutated(example, path, name, None, f"{pointer}/{name}", "required")
        for name, prop in sub.get("properties", {}).items():
            if name not in target:
                continue
            if "type" in prop:
                yield from _mutated(example, path, name, other_type(prop["type"]),
                                    f"{pointer}/{name}", "type")
            if "enum" in prop or "const" in prop:
                yield from _mutated(example, path, name, "outside-the-list",
                                    f"{pointer}/{name}", "enum" if "enum" in prop else "const")


def _mutated(example: Any, path: list[str], name: str, value: Any, pointer: str,
             keyword: str) -> Iterator[tuple[str, Any, str, str]]:
    copied = copy.deepcopy(example)
    if value is None:
        del at(copied, path)[name]
    else:
        at(copied, path)[name] = value
    yield f"{keyword} at {pointer}", copied, pointer, keyword


CASES = [(name, *case) for name, example in sorted(CONFORMING.items())
         for case in mutations(SCHEMAS[name], example)]


def test_every_schema_is_mutated_each_way_it_can_be() -> None:
    done = {(name, keyword) for name, _, _, _, keyword in CASES}
    for name in CONFORMING:
        assert (name, "required") in done and (name, "type") in done, name
    assert {keyword for _, keyword in done} == {"required", "type", "enum", "const"}


@pytest.mark.parametrize(("name", "what", "mutated", "pointer", "keyword"), CASES,
                         ids=[f"{case[0]}:{case[1]}" for case in CASES])
def test_a_mutated_copy_fails_at_the_right_path(name: str, what: str, mutated: Any,
                                                pointer: str, keyword: str) -> None:
    errors = [(f.path, f.keyword) for f in findings(SCHEMAS[name], mutated)
              if f.severity == "error"]
    assert errors == [(pointer, keyword)]
