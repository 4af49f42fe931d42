"""The user's own schemas (`--schemas PATH`, config `[[schemas]]`): a JSON Schema file, an
OpenAPI 3.0/3.1 document's webhooks, or an AsyncAPI 2/3 document's messages.

Documents are read as JSON only (YAML would need a parser the project does not depend on).
Whatever is wrong with a file is a ValueError whose message is one line naming the file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from inspector.conformance.api_documents import (
    Documented,
    asyncapi_payloads,
    mapping,
    openapi_payloads,
)
from inspector.conformance.local_refs import RefError, refs, self_contained
from inspector.conformance.model import Schema

BUNDLED_KEYS = {"provider", "event", "schema"}


def load(path: str | Path, provider: str | None = None,
         event: str | None = None) -> list[Schema]:
    """The schemas a file documents, for `provider` (else the file's own `x-provider`) and, when
    given, only the one for `event`."""
    path = Path(path)
    document = read(path)
    try:
        return from_document(document, str(path), provider, event)
    except RefError as error:
        raise ValueError(f"{path}: {error}") from None


def read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"{path}: cannot be read ({error.__class__.__name__}: "
                         f"{getattr(error, 'strerror', None) or error})") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"{path}: not JSON (line {error.lineno} column {error.colno}: "
                         f"{error.msg}); YAML documents are not read, convert them to JSON") \
            from None
    if not isinstance(document, dict):
        kind = type(document).__name__
        raise ValueError(f"{path}: a schema document is a JSON object, not a {kind}")
    return document


def from_document(document: dict[str, Any], source: str, provider: str | None,
                  event: str | None) -> list[Schema]:
    if "openapi" in document or "asyncapi" in document:
        return from_api_document(document, source, provider, event)
    if document.keys() >= BUNDLED_KEYS:
        bundled = bundled_shape(document, source)
        return [json_schema(bundled.document, source, provider or bundled.provider,
                            event or bundled.event, bundled)]
    return [json_schema(document, source, provider or document.get("x-provider"),
                        event or document.get("x-event"))]


def bundled_shape(document: dict[str, Any], source: str) -> Schema:
    """A file in the bundled schemas' own shape, its parts checked."""
    texts = all(isinstance(document.get(key), str) for key in ("provider", "event", "source"))
    if not texts or not isinstance(document["schema"], dict | bool) \
            or not isinstance(document.get("conflicts", {}), dict):
        raise ValueError(f"{source}: provider, event and source are text, schema a JSON Schema "
                         "and conflicts an object of JSON Pointer to text")
    return Schema.from_json(document)


def json_schema(document: dict[str, Any], source: str, provider: str | None, event: str | None,
                bundled: Schema | None = None) -> Schema:
    outside = [ref for ref in refs(document) if not ref.startswith("#")]
    if outside:
        raise RefError(f"$ref {outside[0]!r} points outside the document "
                       "(schemas are never fetched)")
    if not isinstance(provider, str) or not isinstance(event, str) or not provider or not event:
        raise ValueError(f"{source}: say which provider and event it describes (config "
                         "[[schemas]] provider/event, or x-provider/x-event in the schema)")
    return Schema(provider=provider, event=event, document=document,
                  source=bundled.source if bundled else source,
                  version=bundled.version if bundled else None,
                  conflicts=bundled.conflicts if bundled else ())


def from_api_document(document: dict[str, Any], source: str, provider: str | None,
                      event: str | None) -> list[Schema]:
    kind = "openapi" if "openapi" in document else "asyncapi"
    provider = provider or document.get("x-provider") or mapping(
        document.get("info"), "#/info").get("x-provider")
    if not isinstance(provider, str) or not provider:
        raise ValueError(f"{source}: say which provider its {kind} webhooks come from (config "
                         "[[schemas]] provider, or x-provider in the document)")
    found = list(openapi_payloads(document) if kind == "openapi" else asyncapi_payloads(document))
    if event is not None:
        found = [payload._replace(event=event) for payload in found if event in payload.aliases]
    if not found:
        what = f"no {event!r} payload" if event else "no webhook payload"
        raise ValueError(f"{source}: the {kind} document documents {what}")
    openapi_30 = str(document.get("openapi", "")).startswith("3.0")
    return [documented_schema(payload, document, source, str(provider), openapi_30)
            for payload in found]


def documented_schema(payload: Documented, document: dict[str, Any], source: str,
                      provider: str, openapi_30: bool) -> Schema:
    return Schema(provider=provider, event=payload.event, source=f"{source}{payload.where}",
                  document=self_contained(payload.schema, document, openapi_30))
