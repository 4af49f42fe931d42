"""Realistic sample events per provider, shaped as each provider's documentation shows them:
one table (`Sample` rows in the data modules `seeds`, `common`, `git_hosts`, `rows`,
`brands`, `others`), rendered for each delivery by `template`."""

from __future__ import annotations

from .brands import BRANDS
from .common import COMMON
from .others import OTHERS
from .rows import ROWS
from .seeds import SEEDS
from .template import Builder, Payload, Sample, builder, fresh

SAMPLES: tuple[Sample, ...] = (*SEEDS, *COMMON, *ROWS, *BRANDS, *OTHERS)

# provider → event → (time of sending, delivery id) → payload, in the order `events` lists them
EVENTS: dict[str, dict[str, Builder]] = {
    sample.provider: {event: builder(body) for event, body in sample.events.items()}
    for sample in SAMPLES}

BY_PROVIDER: dict[str, Sample] = {sample.provider: sample for sample in SAMPLES}


def new_delivery_id(provider: str) -> str:
    """A delivery id as the provider writes its ids (Stripe's evt_…, GitHub's GUID, …)."""
    return fresh(_of(provider).delivery_id)


def user_agent(provider: str) -> str:
    return _of(provider).user_agent


def _of(provider: str) -> Sample:
    """The provider's samples, or none (`sample` names an unknown provider)."""
    return BY_PROVIDER.get(provider) or Sample(provider, {})


__all__ = ["EVENTS", "SAMPLES", "Builder", "Payload", "new_delivery_id", "user_agent"]
