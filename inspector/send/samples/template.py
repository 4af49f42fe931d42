"""What a sample is: a provider's event and its body as data, with markers where a delivery
fills in its own values (the time of sending, the delivery id, fresh ids), rendered at sending.

A body is plain JSON values (dicts, lists, strings, numbers) and these markers; a form body is
`Form` pairs. The few values no marker can say are `Computed` by a function of `computed.py`.
"""

from __future__ import annotations

import secrets
import string
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

Payload = dict[str, Any] | list[Any] | list[tuple[str, str]]
Builder = Callable[[float, str], Payload]


@dataclass(frozen=True)
class Now:
    """The moment of sending (plus `offset_s`), written as the provider writes times."""

    unit: Literal["seconds", "milliseconds", "float", "iso8601"]
    offset_s: float = 0


SECONDS, MILLISECONDS, ISO = Now("seconds"), Now("milliseconds"), Now("iso8601")


@dataclass(frozen=True)
class DeliveryId:
    """The delivery's id, the same on every attempt."""


DELIVERY = DeliveryId()


@dataclass(frozen=True)
class Fresh:
    """A new id for each delivery: `prefix` and `length` hex digits, or letters and digits (as
    Stripe's ids), or a UUID."""

    prefix: str = ""
    kind: Literal["hex", "alnum", "uuid"] = "hex"
    length: int = 16


UUID = Fresh(kind="uuid")


@dataclass(frozen=True)
class Computed:
    """A value no marker can say, made by a function of the time and the delivery id."""

    make: Callable[[float, str], Any]


@dataclass(frozen=True)
class Form:
    """An application/x-www-form-urlencoded body: its (name, value) pairs in order."""

    pairs: tuple[tuple[str, Any], ...]


# `send`'s own User-Agent, where a provider's is not documented
USER_AGENT = "webhook-inspector-send/1"


@dataclass(frozen=True)
class Sample:
    """One provider's sample events for `send`: event name to body, in the order listed; how a
    delivery id of this provider looks (the body's DELIVERY and the id headers carry it); the
    User-Agent the provider sends, where its documentation or code shows it."""

    provider: str
    events: Mapping[str, Any]
    delivery_id: Fresh = Fresh("msg_", length=24)
    user_agent: str = USER_AGENT


def iso(now: float) -> str:
    return datetime.fromtimestamp(now, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


_ALNUM = string.ascii_letters + string.digits


def fresh(marker: Fresh) -> str:
    if marker.kind == "uuid":
        return marker.prefix + str(uuid.uuid4())
    if marker.kind == "alnum":
        return marker.prefix + "".join(secrets.choice(_ALNUM) for _ in range(marker.length))
    return marker.prefix + uuid.uuid4().hex[:marker.length]


def _moment(marker: Now, now: float) -> Any:
    moment = now + marker.offset_s
    if marker.unit == "seconds":
        return int(moment)
    if marker.unit == "milliseconds":
        return int(moment * 1000)
    return moment if marker.unit == "float" else iso(moment)


def render(body: Any, now: float, delivery: str) -> Any:
    """The body with every marker replaced by this delivery's value."""
    if isinstance(body, dict):
        return {key: render(value, now, delivery) for key, value in body.items()}
    if isinstance(body, list):
        return [render(value, now, delivery) for value in body]
    if isinstance(body, Form):
        return [(name, render(value, now, delivery)) for name, value in body.pairs]
    if isinstance(body, Now):
        return _moment(body, now)
    if isinstance(body, Fresh):
        return fresh(body)
    if isinstance(body, Computed):
        return body.make(now, delivery)
    return delivery if isinstance(body, DeliveryId) else body


def builder(body: Any) -> Builder:
    """The sample as `send` calls it: (time of sending, delivery id) to payload."""
    def build(now: float, delivery: str) -> Payload:
        rendered: Payload = render(body, now, delivery)
        return rendered
    return build
