"""Realistic sample events per provider, shaped as each provider's documentation shows them:
one table (`Sample` rows in the data modules `seeds`, `common`, `rows`, `others`), rendered
for each delivery by `template`."""

from __future__ import annotations

from .common import COMMON
from .others import OTHERS
from .rows import ROWS
from .seeds import SEEDS
from .template import Builder, Payload, Sample, builder

SAMPLES: tuple[Sample, ...] = (*SEEDS, *COMMON, *ROWS, *OTHERS)

# provider → event → (time of sending, delivery id) → payload, in the order `events` lists them
EVENTS: dict[str, dict[str, Builder]] = {
    sample.provider: {event: builder(body) for event, body in sample.events.items()}
    for sample in SAMPLES}

__all__ = ["EVENTS", "SAMPLES", "Builder", "Payload"]
