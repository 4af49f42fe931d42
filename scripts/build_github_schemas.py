"""Build inspector/conformance/data/github.json.br from GitHub's OpenAPI description of webhooks.

The source is the npm package `@octokit/openapi-webhooks` (MIT), which packages the webhook part
of github/rest-api-description. The bundled file was made from version 12.1.0:

    cd /tmp && npm pack @octokit/openapi-webhooks@12.1.0
    tar xzf octokit-openapi-webhooks-12.1.0.tgz
    python scripts/build_github_schemas.py /tmp/package/generated/api.github.com.json  # at the root

What it keeps: the api.github.com variant's `webhooks`, one per event and action, keyed as analysis
names GitHub deliveries (`EVENT.ACTION`, or `EVENT` when the payload has no `action`; the event is
the X-GitHub-Event name, the action the value of the payload's `action` enum), and every
`components.schemas` entry they reach, with `#/components/schemas/X` rewritten to `#/$defs/X`.
What it drops: annotations validation never reads (description, title, examples, example,
readOnly, deprecated, externalDocs, x-*). `default` is dropped too (it is not an assertion).
The result is written as compact JSON, brotli-compressed (quality 11):
    {"provider", "source", "version", "events": {"issues.opened": "webhook-issues-opened", …},
     "$defs": {…}}
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import brotli

PACKAGE = "@octokit/openapi-webhooks"
OUT = Path(__file__).resolve().parent.parent / "inspector/conformance/data/github.json.br"
DROPPED = {"description", "title", "examples", "example", "readOnly", "deprecated",
           "externalDocs", "default", "$comment"}
NAME_MAPS = {"properties", "patternProperties", "$defs", "dependentSchemas"}
LITERALS = {"enum", "const", "required"}
COMPONENTS = "#/components/schemas/"


def compact(schema: Any) -> Any:
    """The schema without annotations, its component references pointing into `$defs`."""
    if isinstance(schema, list):
        return [compact(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    kept: dict[str, Any] = {}
    for key, value in schema.items():
        if key in DROPPED or key.startswith("x-"):
            continue
        if key in NAME_MAPS:
            kept[key] = {name: compact(sub) for name, sub in value.items()}
        elif key in LITERALS:
            kept[key] = value
        elif key == "$ref":
            kept[key] = local_ref(value)
        else:
            kept[key] = compact(value)
    return kept


def local_ref(ref: str) -> str:
    if not ref.startswith(COMPONENTS):
        raise SystemExit(f"unexpected reference {ref}")
    return "#/$defs/" + ref.removeprefix(COMPONENTS)


def action_of(schema: dict[str, Any]) -> str | None:
    """The single `action` value a webhook's payload schema documents, if it has one."""
    for branch in [schema, *schema.get("oneOf", [])]:
        action = branch.get("properties", {}).get("action", {})
        if len(action.get("enum", [])) == 1:
            return str(action["enum"][0])
    return None


def event_key(operation_id: str, schema: dict[str, Any]) -> str:
    event = operation_id.split("/")[0].replace("-", "_")
    action = action_of(schema)
    return f"{event}.{action}" if action else event


def build(description: dict[str, Any]) -> dict[str, Any]:
    schemas = description["components"]["schemas"]
    events: dict[str, str] = {}
    for webhook in description["webhooks"].values():
        post = webhook["post"]
        ref = post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        name = ref.removeprefix(COMPONENTS)
        events[event_key(post["operationId"], schemas[name])] = name
    version = description["info"]["version"]
    source = f"npm {PACKAGE}@{version} (MIT), generated/api.github.com.json"
    return {"provider": "github", "source": source,
            "version": version, "events": dict(sorted(events.items())),
            "$defs": {name: compact(schema) for name, schema in schemas.items()}}


def main(path: str) -> None:
    data = build(json.loads(Path(path).read_text()))
    raw = json.dumps(data, separators=(",", ":"), sort_keys=True).encode()
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_bytes(brotli.compress(raw, quality=11))
    print(f"{len(data['events'])} events, {len(raw)} bytes JSON, "
          f"{OUT.stat().st_size} bytes compressed -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
