"""Build tests/data/github_examples.json.br: one example payload per GitHub event and action.

The source is the npm package `@octokit/webhooks-examples` (MIT), the example payloads GitHub's
own tooling publishes. The bundled selection was made from version 7.6.1:

    cd /tmp && npm pack @octokit/webhooks-examples@7.6.1
    tar xzf octokit-webhooks-examples-7.6.1.tgz
    python scripts/select_github_examples.py /tmp/package/api.github.com/index.json  # at the root

For each event key (as analysis names it: `EVENT.ACTION` or `EVENT`) it keeps the first example
that conforms to the bundled schema (inspector/conformance/data/github.json.br), and prints the
keys whose every example deviates (older examples lack fields GitHub's schema has since made
required). Output: brotli-compressed JSON {"source", "examples": {key: payload}}.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import brotli
import jsonschema_rs

from inspector.conformance import github

PACKAGE = "@octokit/webhooks-examples"
OUT = Path(__file__).resolve().parent.parent / "tests/data/github_examples.json.br"


def event_key(event: str, payload: dict[str, Any]) -> str:
    action = payload.get("action")
    return f"{event}.{action}" if action and event != "repository_dispatch" else event


def select(groups: list[dict[str, Any]]) -> tuple[dict[str, Any], set[str]]:
    validators = {schema.event: jsonschema_rs.validator_for(schema.document)
                  for schema in github.schemas()}
    chosen: dict[str, Any] = {}
    seen: set[str] = set()
    for group in groups:
        for payload in group["examples"]:
            key = event_key(group["name"], payload)
            seen.add(key)
            if key not in chosen and validators[key].is_valid(payload):
                chosen[key] = payload
    return chosen, seen - chosen.keys()


def main(path: str) -> None:
    package = json.loads((Path(path).parent.parent / "package.json").read_text())
    chosen, deviating = select(json.loads(Path(path).read_text()))
    data = {"source": f"npm {PACKAGE}@{package['version']} (MIT)",
            "examples": dict(sorted(chosen.items()))}
    OUT.write_bytes(brotli.compress(json.dumps(data, separators=(",", ":")).encode(), quality=11))
    print(f"{len(chosen)} kept, {OUT.stat().st_size} bytes; every example deviates for: "
          + ", ".join(sorted(deviating)))


if __name__ == "__main__":
    main(sys.argv[1])
