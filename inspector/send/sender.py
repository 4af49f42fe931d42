"""Building a signed sample delivery and sending it with the provider's retry policy.

Planning is pure (payload, headers, signature for a given time); `deliver` does the I/O, with the
sleep and the clock injected so that schedules are tested without waiting.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from yarl import URL

from ..client import Client
from ..outbound import exchange
from ..signatures import Delivery as Arriving
from ..signatures import Headers, Key, Scheme, Signed, SignInput, get
from .policies import RetryPolicy
from .samples import EVENTS, Payload, new_delivery_id, user_agent


class SendError(Exception):
    """Bad input to `send`: unknown provider or event, bad --data."""


def deep_merge(base: Any, extra: Any) -> Any:
    if isinstance(base, dict) and isinstance(extra, dict):
        merged = dict(base)
        for key, value in extra.items():
            merged[key] = deep_merge(base.get(key), value)
        return merged
    return extra


def nothing_to_send(name: str, scheme: Scheme | None) -> str:
    """Why `send` has no event for this name: an unknown one, or a provider with no scheme."""
    if scheme is not None and not scheme.sending.published:
        return (f"{scheme.name} publishes no signature scheme, so nothing can sign as it; send a "
                "generic hmac delivery instead (`webhook-inspector send hmac --to …`)")
    return f"unknown provider {name!r} (see `webhook-inspector events`)"


def cannot_sign(scheme: Scheme) -> str | None:
    """Why `send` cannot sign as this provider when no options are given (its scheme is not
    published and no generic construction stands in for it), or None when it can."""
    if scheme.sending.published or scheme.sending.options:
        return None
    return (f"{scheme.name} publishes no signature scheme, so nothing can sign as it (a generic "
            "hmac delivery can stand in)")


def sample(provider: str, event: str | None, now: float, delivery_id: str) -> tuple[str, Payload]:
    events = EVENTS.get(provider)
    if events is None:
        raise SendError(f"unknown provider {provider!r} (see `webhook-inspector events`)")
    name = event or next(iter(events))
    if name not in events:
        raise SendError(f"{provider} has no sample event {name!r}: {', '.join(events)}")
    return name, events[name](now, delivery_id)


def encode_payload(payload: Payload, indent: int | None) -> tuple[bytes, str]:
    """The body as the provider serialises it: a form, or JSON (compact unless the provider
    indents, UTF-8 kept as it is; SendGrid's event list ends in CRLF)."""
    if isinstance(payload, list) and payload and isinstance(payload[0], tuple):
        return urlencode(payload).encode(), "application/x-www-form-urlencoded"
    separators = (",", ":") if indent is None else (",", ": ")
    body = json.dumps(payload, indent=indent, separators=separators, ensure_ascii=False).encode()
    return (body + b"\r\n", "application/json") if isinstance(payload, list) else \
        (body, "application/json")


@dataclass(frozen=True)
class Delivery:
    """One delivery: the same id and body on every attempt, signed afresh each time."""

    provider: str
    event: str
    delivery_id: str
    url: str
    body: bytes
    content_type: str
    extra_headers: list[tuple[str, str]]
    user_agent: str
    method: str = "POST"

    def signed(self, key: Key, now: float) -> Signed:
        scheme = get(self.provider)
        if scheme is None:
            raise SendError(f"unknown provider {self.provider!r}")
        message = SignInput(body=self.body, url=self.url, now=now, message_id=self.delivery_id,
                            content_type=self.content_type, method=self.method)
        return scheme.sign(key, message)

    def headers(self, signed: Signed) -> list[tuple[str, str]]:
        """Each header once: what the signature sets wins over the same name set before."""
        signing = {name.lower() for name, _ in signed.headers}
        typed = [("Content-Type", self.content_type)] if self.content_type else []  # a link: none
        before = [*typed, ("User-Agent", self.user_agent), *self.extra_headers]
        return [(n, v) for n, v in before if n.lower() not in signing] + signed.headers

    def identified_id(self, signed: Signed) -> str | None:
        """The delivery id a receiver reads on this request, as the inspector identifies it;
        None where the provider sends none (Bondify)."""
        scheme = get(self.provider)
        arriving = Arriving(self.method, signed.url, Headers(self.headers(signed)), signed.body)
        return None if scheme is None else scheme.identify(arriving).delivery_id


def plan_delivery(provider: str, event: str | None, url: str, data: Any, now: float) -> Delivery:
    scheme = get(provider)
    if scheme is None:
        raise SendError(f"unknown provider {provider!r}")
    delivery_id = new_delivery_id(scheme.name)
    name, payload = sample(provider, event, now, delivery_id)
    if data is not None:
        payload = deep_merge(payload, data)
    headers = scheme.sending.headers(name, delivery_id, now)
    if scheme.sending.link is not None:
        try:
            query = scheme.sending.link(payload)
        except ValueError as error:
            raise SendError(f"{scheme.name}: {error} (see --data)") from None
        return Delivery(provider, name, delivery_id, with_query(url, query), b"", "", headers,
                        user_agent(scheme.name), method="GET")
    body, content_type = encode_payload(payload, scheme.sending.json_indent)
    return Delivery(provider, name, delivery_id, url, body, content_type, headers,
                    user_agent(scheme.name))


def with_query(url: str, query: list[tuple[str, str]]) -> str:
    """A signed link's URL: the target's own query, if any, then the link's values."""
    return f"{url}{'&' if urlsplit(url).query else '?'}{urlencode(query)}"


@dataclass(frozen=True)
class Attempt:
    number: int
    status: int | None
    duration_ms: float
    excerpt: str
    error: str | None

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def excerpt(body: bytes, limit: int = 120) -> str:
    text = " ".join(body.decode("utf-8", "replace").split())
    return text[:limit] + ("…" if len(text) > limit else "")


Sleep = Callable[[float], Awaitable[None]]
Report = Callable[[Attempt, float | None], None]


async def deliver(session: Client, delivery: Delivery, key: Key,
                  policy: RetryPolicy, retry: bool, time_scale: float = 1.0,
                  sleep: Sleep = asyncio.sleep, clock: Callable[[], float] = time.time,
                  report: Report = lambda attempt, wait: None) -> list[Attempt]:
    """Attempt, and with `retry` follow the policy's waits until a 2xx or the end."""
    waits = list(policy.waits(time_scale)) if retry else []
    attempts: list[Attempt] = []
    while True:
        signed = delivery.signed(key, clock())
        result = await exchange(session, delivery.method, URL(signed.url, encoded=True),
                                delivery.headers(signed), signed.body, policy.timeout_s)
        attempt = Attempt(len(attempts) + 1, result.status, result.duration_ms,
                          excerpt(result.body), result.error)
        attempts.append(attempt)
        wait = waits.pop(0) if waits and not attempt.delivered else None
        report(attempt, wait)
        if wait is None:
            return attempts
        await sleep(wait)
