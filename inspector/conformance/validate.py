"""A payload against one schema, as findings (SPEC 13): jsonschema-rs compiles each schema once,
with remote `$ref` resolution off, and its structured errors become Findings with a JSON
Pointer, the keyword, what was expected, what came, and a severity."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from itertools import islice
from typing import Any, NamedTuple

import jsonschema_rs

from .model import Finding, Schema, Severity

# The one keyword of ours (`"x-unit": "ms"` or `"s"`): a Unix time in an implausible unit.
UNIT_KEYWORD = "x-unit"
PLAUSIBLE = {"ms": (10**12, None), "s": (None, 10**10)}  # ms below 10^12 is seconds; s above
UNIT_NAMES = {"ms": "milliseconds", "s": "seconds"}     # 10^10 is past the year 2286
GOT_LENGTH = 60
MOST_FINDINGS = 100
WARNINGS = frozenset({"format", UNIT_KEYWORD})
INFOS = frozenset({"additionalProperties", "unevaluatedProperties"})
BOUNDS = {"minimum": ">=", "maximum": "<=", "exclusiveMinimum": ">", "exclusiveMaximum": "<",
          "minLength": "length >=", "maxLength": "length <=", "minItems": "items >=",
          "maxItems": "items <=", "minProperties": "properties >=",
          "maxProperties": "properties <=", "multipleOf": "a multiple of"}
COMBINED = {"oneOf": "exactly one of its alternatives", "anyOf": "one of its alternatives",
            "oneOfNotValid": "exactly one of its alternatives",
            "oneOfMultipleValid": "exactly one of its alternatives", "not": "not what it names",
            "falseSchema": "nothing (the schema allows no value here)"}


class SchemaError(ValueError):
    """A schema that does not compile, or that refers outside itself."""


class Unit:
    """`x-unit`: jsonschema-rs's custom keyword protocol (built once per place it appears)."""

    def __init__(self, parent_schema: dict[str, Any], value: Any, schema_path: Any) -> None:
        self.unit = value if value in PLAUSIBLE else None

    def validate(self, instance: Any) -> None:
        if self.unit is None or not isinstance(instance, int | float) \
                or isinstance(instance, bool):
            return
        low, high = PLAUSIBLE[self.unit]
        if (low is not None and instance < low) or (high is not None and instance > high):
            raise ValueError(self.unit)


def compile_schema(document: dict[str, Any]) -> jsonschema_rs.Validator:
    """The validator, never fetching anything: an outside `$ref` is a SchemaError."""
    try:
        return jsonschema_rs.validator_for(document, validate_formats=True, offline=True,
                                           keywords={UNIT_KEYWORD: Unit})
    except (jsonschema_rs.ValidationError, jsonschema_rs.ReferencingError, ValueError,
            TypeError) as error:
        raise SchemaError(str(error).splitlines()[0]) from None


class Compiled(NamedTuple):
    schema: Schema
    whole: jsonschema_rs.Validator
    errors: jsonschema_rs.Validator  # without the keywords whose findings are not errors


_COMPILED: dict[int, Compiled] = {}
# Not stripped below these: a branch of oneOf/anyOf/not/if may be chosen by them.
COMBINATORS = frozenset({"oneOf", "anyOf", "not", "if", "then", "else", "contains",
                         "dependentSchemas", "propertyNames"})
SCHEMA_MAPS = frozenset({"properties", "patternProperties", "$defs", "definitions"})
DATA = frozenset({"enum", "const", "default", "examples", "required"})  # values, not schemas


def compiled(schema: Schema) -> Compiled:
    """Compiled once per Schema (kept with it, so the id cannot be reused meanwhile)."""
    kept = _COMPILED.get(id(schema))
    if kept is None or kept.schema is not schema:
        kept = _COMPILED[id(schema)] = Compiled(
            schema, compile_schema(schema.document), compile_schema(errors_only(schema.document)))
    return kept


def validator_of(schema: Schema) -> jsonschema_rs.Validator:
    return compiled(schema).whole


def errors_only(document: Any) -> Any:
    """The schema without what gives warnings and infos (format, x-unit, additionalProperties
    and unevaluatedProperties false), except under a combinator, where they may choose a
    branch (and so fail there as errors in the whole schema too)."""
    if isinstance(document, list):
        return [errors_only(item) for item in document]
    if not isinstance(document, dict):
        return document
    kept: dict[str, Any] = {}
    for key, value in document.items():
        if key in WARNINGS or (key in INFOS and value is False):
            continue
        if key in COMBINATORS or key in DATA or not isinstance(value, dict | list):
            kept[key] = value
        elif key in SCHEMA_MAPS and isinstance(value, dict):
            kept[key] = {name: errors_only(sub) for name, sub in value.items()}
        else:
            kept[key] = errors_only(value)
    return kept


def has_errors(schema: Schema, payload: Any) -> bool:
    """Whether `findings` would hold an error, in one validation and no error built (what a
    summary needs: microseconds where the findings take tens of them). The errors-only schema
    is the whole one with keywords taken away outside the combinators (`errors_only`), and
    none of those changes what another keyword sees of a payload the whole schema accepts
    (`format` and `x-unit` annotate nothing that is read; `additionalProperties` and
    `unevaluatedProperties` false evaluate no property then): whatever the whole schema
    accepts, it accepts, so the whole schema need not be asked first."""
    kept = _COMPILED.get(id(schema))  # `compiled`'s, without its call: every summary asks
    if kept is None or kept.schema is not schema:
        kept = compiled(schema)
    return not kept.errors.is_valid(payload)


def findings(schema: Schema, payload: Any, most: int = MOST_FINDINGS) -> tuple[Finding, ...]:
    """The payload's findings against the schema, errors first, then by path: at most `most`
    of each severity are built, the first `most` of them all listed, and one last info counts
    the rest (a payload of 100,000 undocumented keys costs what 100 do)."""
    validator = validator_of(schema)
    if validator.is_valid(payload):
        return ()
    kept: dict[Severity, list[Finding]] = {"error": [], "warning": [], "info": []}
    left = 0
    for error in validator.iter_errors(payload):
        severity = severity_of(_keyword(error))
        room = most - len(kept[severity])
        built = list(islice(_from_error(error, schema, payload), max(room, 0)))
        kept[severity].extend(built)
        left += _count(error) - len(built)
    ordered = [finding for severity in ("error", "warning", "info")
               for finding in sorted(dict.fromkeys(kept[severity]), key=lambda f: f.path)]
    left += max(len(ordered) - most, 0)
    if left > 0:
        return (*ordered[:most], Finding("", "truncated", f"at most {most} findings listed",
                                         f"{left} more", "info"))
    return tuple(ordered)


def _keyword(error: jsonschema_rs.ValidationError) -> str:
    """The keyword a finding names: a false schema under additionalProperties is that."""
    keyword = str(error.kind.name)
    if keyword == "falseSchema" and error.schema_path and error.schema_path[-1] in INFOS:
        return str(error.schema_path[-1])
    return keyword


def _count(error: jsonschema_rs.ValidationError) -> int:
    unexpected = error.kind.as_dict().get("unexpected") if _keyword(error) in INFOS else None
    return len(unexpected) if unexpected is not None else 1


def severity_of(keyword: str) -> Severity:
    return "warning" if keyword in WARNINGS else "info" if keyword in INFOS else "error"


def _from_error(error: jsonschema_rs.ValidationError, schema: Schema, payload: Any
                ) -> Iterator[Finding]:
    keyword = _keyword(error)
    details = error.kind.as_dict()
    path = pointer(error.instance_path)
    if keyword == "required":
        name = str(details["property"])
        place = f"{path}/{escape(name)}"
        expected = described(_at(schema.document, [*error.schema_path[:-1], "properties", name]))
        yield _finding(schema, place, keyword, expected, "absent")
    elif keyword in INFOS:
        parent, names = _undocumented(error, schema, payload)
        for name in names:
            yield _finding(schema, f"{pointer(parent)}/{escape(name)}", keyword,
                           "not documented", got(_at(payload, [*parent, name])))
    elif keyword == UNIT_KEYWORD:
        unit = str(details.get("message", ""))
        yield _finding(schema, path, keyword, f"Unix time in {UNIT_NAMES.get(unit, unit)}",
                       got(error.instance))
    else:
        yield _finding(schema, path, keyword, expectation(keyword, details), got(error.instance))


def _undocumented(error: jsonschema_rs.ValidationError, schema: Schema, payload: Any
                  ) -> tuple[list[str | int], list[str]]:
    """The object and its undocumented names. jsonschema-rs names them (`unexpected`) where
    the object's schema has `properties`; without them it reports a false schema per name,
    whose instance path (0.60) stops at the object."""
    parent = list(error.instance_path)
    unexpected = error.kind.as_dict().get("unexpected")
    if unexpected is not None:
        return parent, [str(name) for name in unexpected]
    if parent and (not isinstance(_at(payload, parent), dict)
                   or _at(payload, parent) == error.instance):
        parent = parent[:-1]  # the path reaches the value itself: the name is its last step
    known = _at(schema.document, [*error.schema_path[:-1], "properties"]) or {}
    found = _at(payload, parent)
    return parent, [name for name in found if name not in known] if isinstance(found, dict) \
        else []


def _finding(schema: Schema, path: str, keyword: str, expected: str, got_text: str) -> Finding:
    severity = severity_of(keyword)
    conflict = dict(schema.conflicts).get(path)
    note = f"the documentation's own example has this too: {conflict}" if conflict else None
    return Finding(path, keyword, expected, got_text, severity, note)


def expectation(keyword: str, details: dict[str, Any]) -> str:
    """What the schema wanted, in words."""
    if keyword == "type":
        return types_text(details.get("types", ()))
    if keyword == "enum":
        return "one of " + cut(", ".join(_json(option) for option in details["options"]))
    if keyword == "const":
        return cut(_json(details.get("expected_value")))
    if keyword == "format":
        return str(details.get("format"))
    if keyword == "pattern":
        return "matching " + cut(str(details.get("pattern")))
    if keyword in BOUNDS:
        limit = details.get("limit", details.get("multiple_of"))
        return f"{BOUNDS[keyword]} {_json(limit)}"
    return COMBINED.get(keyword, keyword)


def types_text(types: Sequence[str]) -> str:
    """`string or null`: null last, as documentation writes it."""
    ordered = sorted(types, key=lambda name: name == "null")
    return " or ".join(ordered) or "nothing"


def described(subschema: Any) -> str:
    """What a required property should be: its documented type, else present."""
    if isinstance(subschema, dict):
        kind = subschema.get("type")
        if isinstance(kind, str):
            return kind
        if isinstance(kind, list) and all(isinstance(name, str) for name in kind):
            return types_text(kind)
    return "present"


def _at(document: Any, keys: Sequence[str | int]) -> Any:
    for key in keys:
        present = key in document if isinstance(document, dict) else \
            isinstance(document, list) and isinstance(key, int) and key < len(document)
        if not present:
            return None
        document = document[key]
    return document


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def got(value: Any) -> str:
    """The JSON type and the value, cut to 60 characters."""
    return f"{json_type(value)} {cut(_json(value))}"


def cut(text: str, length: int = GOT_LENGTH) -> str:
    return text if len(text) <= length else text[:length - 1] + "…"


def _json(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError):
        return repr(value)


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def pointer(parts: Sequence[str | int]) -> str:
    """A JSON Pointer (RFC 6901) from the path's keys and indexes; the root is ''."""
    return "".join(f"/{escape(str(part))}" for part in parts)
