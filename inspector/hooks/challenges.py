"""Challenge handshakes on the hooks listener: a provider proving the endpoint before it delivers
is answered as it expects, when its secret is configured (and covers the path). The caller
records the request like any other, with `event` naming the handshake."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from ..analysis import ConfiguredSecret, Incoming
from ..answers import Answer
from ..signatures import Delivery, handshake


class Answered(NamedTuple):
    answer: Answer
    learnt: dict[str, Any]  # the provider and the handshake's name, for the record


def answer_challenge(secrets: Sequence[ConfiguredSecret], incoming: Incoming,
                     delivery: Delivery, delay_ms: int = 0) -> Answered | None:
    """With several secrets that could answer (key rotation, two apps), a success wins over a
    refusal (Xero's 401, Meta's 403 for another verify token). `delivery`: the request's, as
    its analysis saw it."""
    refusal: Answered | None = None
    for secret in secrets:
        if not secret.answers_handshakes or secret.scheme is None \
                or not secret.covers(incoming.path):
            continue
        found = handshake(secret.scheme, delivery, secret.key, incoming.received_at)
        if found is None:
            continue
        answer = Answer("respond", found.status, found.headers, found.body, delay_ms)
        answered = Answered(answer, {"provider": secret.scheme.name, "event": found.event})
        if found.status < 400:
            return answered
        refusal = refusal or answered
    return refusal
