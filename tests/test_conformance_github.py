"""GitHub's bundled webhook schemas (inspector/conformance/github.py): every event and action of
`@octokit/openapi-webhooks`, and GitHub's own published examples (`@octokit/webhooks-examples`,
one per event and action, tests/data/github_examples.json.br) passing them, each mutated copy
failing at the right place."""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

import brotli
import jsonschema_rs
import pytest

from inspector.conformance import github
from inspector.conformance.model import Schema

EXAMPLES = json.loads(brotli.decompress(
    (Path(__file__).parent / "data/github_examples.json.br").read_bytes()))["examples"]


@cache
def by_event() -> dict[str, Schema]:
    return {schema.event: schema for schema in github.schemas()}


@cache
def validator(event: str) -> jsonschema_rs.Validator:
    return jsonschema_rs.validator_for(by_event()[event].document)


def failures(event: str, payload: Any) -> set[tuple[str, str]]:
    """(JSON Pointer, failing keyword) of each error."""
    return {("".join(f"/{step}" for step in error.instance_path), str(error.schema_path[-1]))
            for error in validator(event).iter_errors(payload)}


def root(event: str) -> dict[str, Any]:
    document = by_event()[event].document
    root_schema: dict[str, Any] = document["$defs"][document["$ref"].removeprefix("#/$defs/")]
    return root_schema


def resolved(schema: dict[str, Any], event: str) -> dict[str, Any]:
    ref = schema.get("$ref")
    if ref is None:
        return schema
    defs: dict[str, Any] = by_event()[event].document["$defs"]
    return resolved(defs[ref.removeprefix("#/$defs/")], event)


def test_every_webhook_of_the_description_is_keyed_as_analysis_names_it() -> None:
    events = by_event()
    assert len(events) == len(github.schemas()) == 261
    for key in ("push", "ping", "issues.opened", "pull_request.synchronize",
                "check_run.requested_action", "pull_request.review_requested",
                "workflow_run.in_progress", "projects_v2_item.edited"):
        assert key in events
    assert all(schema.provider == "github" for schema in events.values())
    assert "@octokit/openapi-webhooks@12.1.0" in events["push"].source


def refs_in(schema: Any) -> list[str]:
    if isinstance(schema, list):
        return [ref for item in schema for ref in refs_in(item)]
    if not isinstance(schema, dict):
        return []
    own = [schema["$ref"]] if "$ref" in schema else []
    return own + [
        ref for key, value in schema.items() if key not in ("enum", "const")
        for ref in refs_in(value)]


def test_every_schema_is_self_contained_and_compiles() -> None:
    for schema in github.schemas():
        refs = set(refs_in(schema.document))
        assert all(ref.startswith("#/$defs/") for ref in refs), schema.event
        assert {ref.removeprefix("#/$defs/") for ref in refs} <= schema.document["$defs"].keys()
        jsonschema_rs.validator_for(schema.document)


def test_schemas_are_loaded_once() -> None:
    assert github.schemas() is github.schemas()


@pytest.mark.parametrize("event", sorted(EXAMPLES))
def test_githubs_own_example_conforms(event: str) -> None:
    assert failures(event, EXAMPLES[event]) == set()


@pytest.mark.parametrize("event", sorted(e for e in EXAMPLES if "required" in root(e)))
def test_an_example_without_a_required_field_fails_at_its_parent(event: str) -> None:
    payload = copy.deepcopy(EXAMPLES[event])
    del payload[next(name for name in root(event)["required"] if name in payload)]
    assert ("", "required") in failures(event, payload)


def object_fields(event: str) -> list[str]:
    properties = root(event).get("properties", {})
    return [name for name, schema in properties.items()
            if resolved(schema, event).get("type") == "object" and name in EXAMPLES[event]]


@pytest.mark.parametrize("event", sorted(e for e in EXAMPLES if object_fields(e)))
def test_an_example_with_a_field_of_the_wrong_type_fails_at_that_field(event: str) -> None:
    payload = copy.deepcopy(EXAMPLES[event])
    field = object_fields(event)[0]
    payload[field] = 42
    assert (f"/{field}", "type") in failures(event, payload)


@pytest.mark.parametrize("event", sorted(e for e in EXAMPLES if "." in e))
def test_an_example_with_an_undocumented_action_fails_at_the_action(event: str) -> None:
    payload = {**EXAMPLES[event], "action": "not_a_documented_action"}
    assert ("/action", "enum") in failures(event, payload)


def test_a_nested_type_change_fails_at_its_full_path() -> None:
    payload = copy.deepcopy(EXAMPLES["issues.opened"])
    payload["issue"]["user"]["id"] = "not a number"
    assert ("/issue/user/id", "type") in failures("issues.opened", payload)
