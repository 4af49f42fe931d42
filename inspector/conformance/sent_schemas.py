"""The schemas of every event `send` can produce (bar the seed providers and GitHub, bundled
elsewhere), written from each provider's own documentation: sent/PROVIDER.json holds a list of
{"provider", "event", "source", "version"?, "conflicts"?, "schema"}, `source` citing the page.
Read once, on first use."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from inspector.conformance.model import Schema


@cache
def schemas() -> tuple[Schema, ...]:
    folder = resources.files("inspector.conformance").joinpath("sent")
    files = sorted((entry for entry in folder.iterdir() if entry.name.endswith(".json")),
                   key=lambda entry: entry.name)
    return tuple(Schema.from_json(data) for entry in files
                 for data in json.loads(entry.read_text(encoding="utf-8")))
