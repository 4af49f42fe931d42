"""The schemas written here from the seed providers' own documentation (seeds/*.json, each in
Schema.from_json's shape and citing its page), read once."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from .model import Schema

SEEDS = Path(__file__).parent / "seeds"


@functools.cache
def seeds() -> tuple[Schema, ...]:
    return tuple(Schema.from_json(item) for path in sorted(SEEDS.glob("*.json"))
                 for item in json.loads(path.read_text(encoding="utf-8")))
