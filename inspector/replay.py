"""Replaying a captured request: a plan (pure: target, method, headers, body, re-signing) and
sending it (async, through the app's client)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from yarl import URL

from .analysis import ConfiguredSecret
from .captured import CapturedRequest
from .client import Client
from .models import Replay, header_value
from .outbound import Upstream, exchange, without_hop_by_hop
from .serialize import body_from_json, pairs_from_json
from .signatures import MASK, SignInput, get
from .urls import password_hidden


class ReplayError(Exception):
    """The replay cannot be planned; the message says why (answered as 400)."""


@dataclass(frozen=True)
class ReplayPlan:
    method: str
    url: str
    headers: list[tuple[str, str]]
    body: bytes
    edited: bool = False
    resigned: bool = False


def edited_body(record: CapturedRequest, edits: Mapping[str, Any]) -> bytes:
    try:
        return body_from_json(edits, record.body)
    except ValueError as problem:
        raise ReplayError(str(problem)) from None


def edited_headers(record: CapturedRequest, edits: Mapping[str, Any]) -> list[tuple[str, str]]:
    if edits.get("headers") is None:
        return without_hop_by_hop(record.headers)
    try:
        return without_hop_by_hop(tuple(pairs_from_json(edits["headers"])))
    except ValueError as problem:
        raise ReplayError(str(problem)) from None


def upstream_of(edits: Mapping[str, Any], forward: str | None) -> Upstream:
    """Where a replay goes: `target`, else --forward (a base URL)."""
    base = edits.get("target") or forward
    if not base:
        raise ReplayError("no target: give \"target\" or start with --forward URL")
    try:
        return Upstream.parse(str(base))
    except ValueError:
        raise ReplayError(f"target must be an http(s) URL, got {base!r}") from None


def target_url(record: CapturedRequest, edits: Mapping[str, Any], forward: str | None) -> str:
    """The target's base URL; the original (or edited) path and query follow."""
    upstream = upstream_of(edits, forward)
    path, query = record.path, record.query
    if edits.get("path"):
        path, _, query = str(edits["path"]).partition("?")
        if not path.startswith("/"):
            raise ReplayError("path must start with /")
    return str(upstream.url(path, query))


def secret_for(record: CapturedRequest, secrets: Sequence[ConfiguredSecret]) -> ConfiguredSecret:
    providers = [v.provider for v in record.signatures] + [record.provider or ""]
    for provider in providers:
        for secret in secrets:
            on_path = not secret.paths or any(fnmatchcase(record.path, p) for p in secret.paths)
            if secret.provider == provider and on_path:
                return secret
    raise ReplayError(f"resign needs a configured secret for {record.provider or 'its provider'}"
                      " (--secret PROVIDER=VALUE or /api/secrets)")


def resign(plan: ReplayPlan, record: CapturedRequest, secrets: Sequence[ConfiguredSecret],
           now: float) -> ReplayPlan:
    """Sign the (edited) body again as the provider would, with a fresh timestamp."""
    secret = secret_for(record, secrets)
    scheme = get(secret.provider)
    if scheme is None:
        raise ReplayError(f"unknown provider {secret.provider}")
    content_type = header_value(tuple(plan.headers), "content-type") or "application/json"
    message = SignInput(body=plan.body, url=plan.url, now=now, content_type=content_type,
                        message_id=record.delivery_id or f"msg_{uuid.uuid4().hex[:24]}",
                        method=plan.method)
    try:
        signed = scheme.sign(secret.key, message)
    except (NotImplementedError, ValueError) as error:
        raise ReplayError(f"cannot re-sign for {secret.provider}: {error}") from None
    replaced = {name.lower() for name, _ in signed.headers}
    headers = [(n, v) for n, v in plan.headers if n.lower() not in replaced] + signed.headers
    return ReplayPlan(plan.method, signed.url, headers, signed.body, plan.edited, True)


def plan_replay(record: CapturedRequest, edits: Mapping[str, Any], forward: str | None,
                secrets: Sequence[ConfiguredSecret], now: float) -> ReplayPlan:
    method = str(edits.get("method") or record.method).upper()
    path = str(edits.get("path") or "") or record.path + (f"?{record.query}" if record.query
                                                           else "")
    headers, body = edited_headers(record, edits), edited_body(record, edits)
    edited = (method, path, headers, body) != (
        record.method, record.path + (f"?{record.query}" if record.query else ""),
        without_hop_by_hop(record.headers), record.body)
    plan = ReplayPlan(method, target_url(record, edits, forward), headers, body, edited)
    return resign(plan, record, secrets, now) if edits.get("resign") else plan


def masked(headers: Sequence[tuple[str, str]], secrets: Sequence[ConfiguredSecret]
           ) -> tuple[tuple[str, str], ...]:
    """Headers with every value that carries a configured secret (a token scheme's header,
    once re-signed) masked, as verdicts never show a secret."""
    values = [secret.key.secret for secret in secrets if secret.key.secret]
    return tuple((name, MASK if any(_carries(value, v) for v in values) else value)
                 for name, value in headers)


def _carries(value: str, secret: str) -> bool:
    # A short secret would match by chance inside unrelated values: those must be equal.
    return value == secret or (len(secret) >= 8 and secret in value)


async def send_replay(session: Client, plan: ReplayPlan, timeout: float,
                      secrets: Sequence[ConfiguredSecret]) -> Replay:
    """Send the plan; what is kept of it for the history carries no secret (nor the
    target's password)."""
    at = time.time()
    result = await exchange(session, plan.method, URL(plan.url, encoded=True), plan.headers,
                            plan.body, timeout)
    return Replay(at=at, target=password_hidden(plan.url), method=plan.method,
                  status=result.status, headers=result.headers, body=result.body,
                  duration_ms=result.duration_ms,
                  error=result.error, request_headers=masked(plan.headers, secrets),
                  request_body=plan.body, edited=plan.edited, resigned=plan.resigned)
