"""GitHub's webhook payload schemas, every event and action, from GitHub's own OpenAPI
description (`@octokit/openapi-webhooks`, MIT), bundled compact and brotli-compressed in
data/github.json.br (scripts/build_github_schemas.py says how it was made). Read once, on first
use; nothing is fetched."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import brotli

from inspector.conformance.model import Schema

DATA = "github.json.br"
DIALECT = "https://json-schema.org/draft/2020-12/schema"
DEFS = "#/$defs/"


@cache
def schemas() -> tuple[Schema, ...]:
    """One schema per GitHub event as analysis names it (`issues.opened`, `push`)."""
    bundle = load_bundle()
    defs: dict[str, Any] = bundle["$defs"]
    needs = {name: set(references(schema)) for name, schema in defs.items()}
    return tuple(
        Schema(provider=bundle["provider"], event=event, source=bundle["source"],
               document={"$schema": DIALECT, "$ref": DEFS + name,
                         "$defs": {ref: defs[ref] for ref in sorted(reached(name, needs))}})
        for event, name in bundle["events"].items())


def load_bundle() -> dict[str, Any]:
    packed = resources.files("inspector.conformance").joinpath("data", DATA).read_bytes()
    bundle: dict[str, Any] = json.loads(brotli.decompress(packed))
    return bundle


def reached(root: str, needs: dict[str, set[str]]) -> set[str]:
    """The names of the definitions `root` needs, directly or not, itself included."""
    seen = {root}
    pending = [root]
    while pending:
        for name in needs[pending.pop()]:
            if name not in seen:
                seen.add(name)
                pending.append(name)
    return seen


def references(schema: Any) -> list[str]:
    if isinstance(schema, list):
        return [name for item in schema for name in references(item)]
    if not isinstance(schema, dict):
        return []
    found = [ref.removeprefix(DEFS) for key, ref in schema.items() if key == "$ref"]
    return found + [name for key, value in schema.items()
                    if key not in ("enum", "const") for name in references(value)]
