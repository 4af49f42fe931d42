"""The conformance verdict of one payload (SPEC 13), pure: the catalogue, who sent it and what
it is in, to a Conformance."""

from __future__ import annotations

import contextlib
import json
from typing import Any
from urllib.parse import parse_qsl

import jsonschema_rs

from .catalogue import Catalogue
from .model import Conformance, Finding, Schema, Status
from .validate import compiled, findings, got, has_errors

QUERY_PAYLOAD = "query"  # a schema's `x-payload`: the payload is the URL's query (a signed link)
FORM_JSON_FIELD = "payload"  # a form-encoded body carrying its JSON in one field (Slack's)
VERSION_FIELD = "api_version"  # where a payload names its own version (Stripe's)
FORM = "application/x-www-form-urlencoded"


class NotJson(ValueError):
    pass


def judge(catalogue: Catalogue, provider: str, event: str | None, body: bytes | str | None,
          content_type: str | None = None, version: str | None = None, query: str = "",
          parsed: Any = None) -> Conformance:
    """The verdict. Never raises: whatever the body, it is a status. `body` is as the page
    shows it: the bytes received, or its text decoded per Content-Encoding, or None when that
    coding could not be undone (so `not_json`). `parsed`: the JSON of `body`'s bytes, when the
    caller has it already (None: parsed here). `status` finds its status alone."""
    if not catalogue.knows(provider):
        return Conformance("no_schema", event, None)
    schema = catalogue.find(provider, event, version)
    if schema is None:
        return Conformance("unknown_event", event, None, (unknown(catalogue, provider, event),))
    try:
        schema, payload = payload_of(catalogue, schema, provider, event, body, content_type,
                                     version, query, parsed)
    except NotJson:
        return Conformance("not_json", event, schema)
    found = findings(schema, payload)
    if any(f.severity == "error" for f in found):
        return Conformance("deviates", event, schema, found)
    return Conformance("conforms", event, schema, found)


def status(catalogue: Catalogue, provider: str, event: str | None, body: bytes | str | None,
           content_type: str | None, version: str | None, query: str, parsed: Any) -> Status:
    """`judge(…).status`, found without building a finding (a summary's: microseconds where
    the findings take tens of them), nor looking for the event closest to an unknown one."""
    schema = catalogue.find(provider, event, version)
    if schema is None:  # so, too, for a provider the catalogue does not know
        return "unknown_event" if catalogue.knows(provider) else "no_schema"
    try:
        schema, payload = payload_of(catalogue, schema, provider, event, body, content_type,
                                     version, query, parsed)
    except NotJson:
        return "not_json"
    return "deviates" if has_errors(schema, payload) else "conforms"


def plain_check(catalogue: Catalogue, provider: str, event: str | None
                ) -> jsonschema_rs.Validator | None:
    """The one check `status` makes of a body's JSON for this provider and event, where its
    schema reads the body and no version can choose another (the provider's schemas name
    none): then a JSON body's status is this check's answer, for a form's or a query's
    nothing. None where `status` does more, or finds no schema."""
    schema = None if catalogue.versioned(provider) else catalogue.find(provider, event)
    if schema is None or schema.document.get("x-payload") == QUERY_PAYLOAD:
        return None
    return compiled(schema).errors


def payload_of(catalogue: Catalogue, schema: Schema, provider: str, event: str | None,
               body: bytes | str | None, content_type: str | None, version: str | None,
               query: str, parsed: Any) -> tuple[Schema, Any]:
    """The payload the schema reads (NotJson when there is none), and the schema of the
    version it names, where the request named none."""
    payload = query_payload(schema, query) if \
        schema.document.get("x-payload") == QUERY_PAYLOAD else \
        body_payload(body, content_type, parsed)
    if version is None and isinstance(payload, dict) and \
            isinstance(payload.get(VERSION_FIELD), str) and catalogue.versioned(provider):
        schema = catalogue.find(provider, event, payload[VERSION_FIELD]) or schema
    return schema, payload


def unknown(catalogue: Catalogue, provider: str, event: str | None) -> Finding:
    closest = catalogue.closest(provider, event)
    return Finding("", "event", f"a documented event (closest: {closest})",
                   got(event) if event else "absent", "info")


def body_payload(body: bytes | str | None, content_type: str | None, parsed: Any = None
                 ) -> Any:
    """The JSON of the body (`parsed`, when given), or of its `payload=` form field."""
    if body is None:
        raise NotJson
    if FORM in (content_type or "").lower():
        text = body if isinstance(body, str) else body.decode("utf-8", "replace")
        fields = dict(parse_qsl(text, keep_blank_values=True))
        if FORM_JSON_FIELD not in fields:
            raise NotJson
        return _json(fields[FORM_JSON_FIELD])
    if isinstance(body, str):
        return _json(body)
    if parsed is not None:
        return parsed
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise NotJson from None
    return _json(text)


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise NotJson from None


def query_payload(schema: Schema, query: str) -> dict[str, Any]:
    """The query as an object (the first of a repeated name); a parameter the schema types as
    an object or array is JSON, and stays text when it does not parse (so it deviates)."""
    properties = schema.document.get("properties", {})
    payload: dict[str, Any] = {}
    for name, value in parse_qsl(query, keep_blank_values=True):
        if name in payload:
            continue
        payload[name] = value
        if properties.get(name, {}).get("type") in ("object", "array"):
            with contextlib.suppress(ValueError, RecursionError):
                payload[name] = json.loads(value)
    return payload
