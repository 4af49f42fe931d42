"""The process's catalogue at start: the bundled schemas, then the user's (`--schemas`,
`[[schemas]]`), which win for the same key. A file that cannot be used is a ConfigError: one
line naming it, exit 2."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain
from pathlib import Path

from ..config import ConfigError, SchemaSpec
from . import github, sent_schemas, user_schemas
from .bundled import seeds
from .catalogue import Catalogue
from .model import Schema
from .validate import SchemaError, compile_schema


def users(specs: Iterable[SchemaSpec]) -> list[Schema]:
    found: list[Schema] = []
    for spec in specs:
        try:
            loaded = user_schemas.load(Path(spec.path), spec.provider, spec.event)
            for schema in loaded:  # refused at start, not at the first delivery it judges
                compile_schema(schema.document)
            found.extend(loaded)
        except (SchemaError, ValueError, OSError) as error:
            message = str(error)
            raise ConfigError(message if spec.path in message else f"{spec.path}: {message}") \
                from None
    return found


def catalogue_for(specs: Iterable[SchemaSpec]) -> Catalogue:
    return Catalogue(chain(seeds(), sent_schemas.schemas(), github.schemas(), users(specs)))
