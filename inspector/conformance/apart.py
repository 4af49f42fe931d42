"""A detailed verdict made in the worker process (offload.in_process; Judge.detailed): what
it is given and what it answers, in a module that imports no more than the verdict needs, so
that the process starts with little."""

from __future__ import annotations

from typing import NamedTuple

from .catalogue import Catalogue
from .model import Conformance, Schema
from .verdict import judge


class Asked(NamedTuple):
    """`verdict.judge`'s arguments after the catalogue."""

    provider: str
    event: str | None
    body: bytes | str | None
    content_type: str | None
    version: str | None
    query: str


_SEEN: dict[tuple[str, str], list[Schema]] = {}


def judged_apart(family: list[Schema], asked: Asked) -> tuple[Conformance, int | None]:
    """The detailed verdict in the worker process, against the schemas of the payload's event
    (the schema as its index among them). Equal schemas are judged by the first one seen, so
    that each is compiled once (validate.py keeps each object's validators)."""
    family = [_first_seen(schema) for schema in family]
    found = judge(Catalogue(family), *asked)
    index = None if found.schema is None else family.index(found.schema)
    return found._replace(schema=None), index


def _first_seen(schema: Schema) -> Schema:
    seen = _SEEN.setdefault((schema.name, schema.source), [])
    for kept in seen:
        if kept == schema:
            return kept
    seen.append(schema)
    return schema
