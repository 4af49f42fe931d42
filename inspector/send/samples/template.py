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
    """A new id for each delivery: `prefix` and `length` characters of `kind` (hex digits;
    letters and digits, as Stripe's ids; lower- or upper-case letters and digits; decimal
    digits, as Discord's snowflakes), or a UUID. A `name`d one is one value per delivery,
    wherever it appears in the body (an id the body repeats, as GitHub's head commit)."""

    prefix: str = ""
    kind: Literal["hex", "alnum", "lower", "upper", "digits", "uuid"] = "hex"
    length: int = 16
    name: str = ""


UUID = Fresh(kind="uuid")


@dataclass(frozen=True, init=False)
class Text:
    """A string made of this delivery's values: `template` formatted (str.format) with the
    rendered `values`, as a URL that carries an id (`…/compare/{0:.12}...{1:.12}`)."""

    template: str
    values: tuple[Any, ...]

    def __init__(self, template: str, *values: Any) -> None:
        object.__setattr__(self, "template", template)
        object.__setattr__(self, "values", values)


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


_ALPHABETS = {"hex": string.hexdigits[:16], "alnum": string.ascii_letters + string.digits,
              "lower": string.ascii_lowercase + string.digits,
              "upper": string.ascii_uppercase + string.digits, "digits": string.digits}


def fresh(marker: Fresh) -> str:
    if marker.kind == "uuid":
        return marker.prefix + str(uuid.uuid4())
    if marker.kind == "digits":  # a number: no leading zero
        low = 10 ** (marker.length - 1)
        return marker.prefix + str(low + secrets.randbelow(9 * low))
    alphabet = _ALPHABETS[marker.kind]
    return marker.prefix + "".join(secrets.choice(alphabet) for _ in range(marker.length))


def _moment(marker: Now, now: float) -> Any:
    moment = now + marker.offset_s
    if marker.unit == "seconds":
        return int(moment)
    if marker.unit == "milliseconds":
        return int(moment * 1000)
    return moment if marker.unit == "float" else iso(moment)


@dataclass
class Rendering:
    """One delivery's rendering: its time, its id, and its named fresh values so far."""

    now: float
    delivery: str
    named: dict[Fresh, str]

    def value(self, body: Any) -> Any:
        """The body with every marker replaced by this delivery's value."""
        if isinstance(body, dict):
            return {key: self.value(value) for key, value in body.items()}
        if isinstance(body, list):
            return [self.value(value) for value in body]
        if isinstance(body, Form):
            return [(name, self.value(value)) for name, value in body.pairs]
        if isinstance(body, Now):
            return _moment(body, self.now)
        if isinstance(body, Fresh):
            return self.fresh(body)
        if isinstance(body, Text):
            return body.template.format(*(self.value(value) for value in body.values))
        if isinstance(body, Computed):
            return body.make(self.now, self.delivery)
        return self.delivery if isinstance(body, DeliveryId) else body

    def fresh(self, marker: Fresh) -> str:
        if not marker.name:
            return fresh(marker)
        if marker not in self.named:
            self.named[marker] = fresh(marker)
        return self.named[marker]


def render(body: Any, now: float, delivery: str) -> Any:
    """The body with every marker replaced by this delivery's value."""
    return Rendering(now, delivery, {}).value(body)


def builder(body: Any) -> Builder:
    """The sample as `send` calls it: (time of sending, delivery id) to payload."""
    def build(now: float, delivery: str) -> Payload:
        rendered: Payload = render(body, now, delivery)
        return rendered
    return build
