"""The user's schemas (`--schemas PATH`, `[[schemas]]`): here, a plain JSON Schema file, for
the `provider` and `event` its entry names (else its own top-level `x-provider` / `x-event`)."""

from __future__ import annotations

import json
from pathlib import Path

from .model import Schema
from .validate import SchemaError, compile_schema


def load(path: Path, provider: str | None = None, event: str | None = None) -> list[Schema]:
    """The file's schema, compiled once here so that a schema that does not compile, or that
    refers outside the file, is refused at start (ValueError naming the file)."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as error:
        raise ValueError(f"{path}: cannot read the schema: {error}") from None
    if not isinstance(document, dict):
        raise ValueError(f"{path}: a JSON Schema file holds an object")
    provider = provider or document.get("x-provider")
    event = event or document.get("x-event")
    if not isinstance(provider, str) or not isinstance(event, str):
        raise ValueError(f"{path}: name the provider and the event it documents "
                         "([[schemas]] provider and event, or x-provider and x-event)")
    try:
        compile_schema(document)
    except SchemaError as error:
        raise ValueError(f"{path}: {error}") from None
    return [Schema(provider, event, document, str(path))]
