"""A schema cut out of a larger document (an OpenAPI or AsyncAPI file), made self-contained: every
`$ref` into the document is copied into the schema's own `$defs`, so nothing is ever fetched.
OpenAPI 3.0's dialect (`nullable`, boolean `exclusiveMinimum`) is read as JSON Schema 2020-12."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_MAPS = {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}
SCHEMA_LISTS = {"allOf", "anyOf", "oneOf", "prefixItems"}
SCHEMA_VALUES = {"items", "additionalProperties", "not", "if", "then", "else", "contains",
                 "propertyNames", "unevaluatedItems", "unevaluatedProperties", "additionalItems"}
Rewrite = Callable[[dict[str, Any]], dict[str, Any]]


class RefError(ValueError):
    """A reference that cannot be followed inside the document (the message names it)."""


def self_contained(schema: Any, document: dict[str, Any], openapi_30: bool) -> dict[str, Any]:
    """`schema` (found in `document`) with the definitions it reaches in `$defs`."""
    defs: dict[str, Any] = {}

    def local(node: dict[str, Any]) -> dict[str, Any]:
        node = from_openapi_30(node) if openapi_30 else node
        if not isinstance(node.get("$ref"), str):
            return node
        pointer = node["$ref"]
        name = def_name(pointer)
        if name not in defs:
            defs[name] = True  # a placeholder while a recursive definition is converted
            defs[name] = walk(resolve(document, pointer), local)
        return {**node, "$ref": "#/$defs/" + escape(name)}

    root = walk(schema, local)
    result = {"$schema": DIALECT, **(root if isinstance(root, dict) else {"allOf": [root]})}
    if defs:
        result["$defs"] = {**result.get("$defs", {}), **defs}
    return result


def walk(schema: Any, rewrite: Rewrite) -> Any:
    """The schema with `rewrite` applied to it and to each of its subschemas."""
    if not isinstance(schema, dict):
        return schema
    node = rewrite(schema)
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in SCHEMA_MAPS and isinstance(value, dict):
            out[key] = {name: walk(sub, rewrite) for name, sub in value.items()}
        elif key in SCHEMA_LISTS and isinstance(value, list):
            out[key] = [walk(sub, rewrite) for sub in value]
        elif key in SCHEMA_VALUES:
            out[key] = walk(value, rewrite)
        else:
            out[key] = value
    return out


def refs(schema: Any) -> list[str]:
    """Every `$ref` in the schema and its subschemas."""
    found: list[str] = []

    def collect(node: dict[str, Any]) -> dict[str, Any]:
        if isinstance(node.get("$ref"), str):
            found.append(node["$ref"])
        return node

    walk(schema, collect)
    return found


def resolve(document: dict[str, Any], pointer: str) -> Any:
    """What a local reference (`#/components/schemas/Pet`) points at in the document."""
    if not pointer.startswith("#"):
        raise RefError(f"$ref {pointer!r} points outside the document (schemas are never fetched)")
    node: Any = document
    for step in pointer.removeprefix("#").split("/")[1:]:
        key = step.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            raise RefError(f"$ref {pointer!r} points at nothing in the document")
    return node


def follow(document: dict[str, Any], node: Any) -> Any:
    """An OpenAPI or AsyncAPI object that may be a `$ref` to one, followed (not a schema)."""
    seen: set[str] = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        if node["$ref"] in seen:
            raise RefError(f"$ref {node['$ref']!r} refers to itself")
        seen.add(node["$ref"])
        node = resolve(document, node["$ref"])
    return node


def def_name(pointer: str) -> str:
    steps = [s.replace("~1", "/").replace("~0", "~") for s in pointer.split("/")[1:]]
    if len(steps) == 3 and steps[:2] == ["components", "schemas"]:
        return steps[2]
    return ".".join(steps)


def escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def from_openapi_30(node: dict[str, Any]) -> dict[str, Any]:
    """OpenAPI 3.0's `nullable: true` as a null type, its boolean exclusive bounds as numbers."""
    node = dict(node)
    for bound in ("Minimum", "Maximum"):
        exclusive = node.get(f"exclusive{bound}")
        if isinstance(exclusive, bool):
            del node[f"exclusive{bound}"]
            if exclusive and bound.lower() in node:
                node[f"exclusive{bound}"] = node.pop(bound.lower())
    if node.pop("nullable", False) is not True:
        return node
    if isinstance(node.get("enum"), list) and None not in node["enum"]:
        node["enum"] = [*node["enum"], None]
    kind = node.get("type")
    if isinstance(kind, str):
        node["type"] = [kind, "null"]
        return node
    if kind is None and "enum" not in node:
        return {"anyOf": [node, {"type": "null"}]}
    return node
