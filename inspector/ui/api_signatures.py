"""Providers, secrets added and removed at run time, and one-off verification."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from .. import serialize
from ..config import ConfigError, http_url_problem, secret_from_table
from ..derived import bounded_verdict
from ..offload import off_loop
from ..signatures import (
    GENERIC,
    OPTION_CHOICES,
    OPTION_KEYS,
    SCHEMES,
    Delivery,
    Headers,
    Key,
    check,
    discover,
    get,
    names,
)
from ..state import SharedState
from .api_requests import error, read_json_object
from .keys import INSPECTOR


async def list_providers(request: web.Request) -> web.Response:
    inspector: SharedState = request.app[INSPECTOR]
    configured = {secret.provider for secret in inspector.secrets}
    return web.json_response([
        {"name": scheme.name, "aliases": list(scheme.aliases),
         "headers": list(scheme.signature_headers), "configured": scheme.name in configured,
         "published": scheme.sending.published, "options": option_fields(scheme.name)}
        for scheme in SCHEMES
    ])


def option_fields(provider: str) -> list[dict[str, Any]]:
    """The options a secret of this provider takes, each with its allowed values when they are
    a closed list, for the UI's form."""
    scheme = get(provider)
    keys = OPTION_KEYS if provider == GENERIC else getattr(scheme, "option_keys", ())
    return [{"name": key, "choices": list(OPTION_CHOICES.get(key, ()))} for key in keys]


async def list_secrets(request: web.Request) -> web.Response:
    inspector: SharedState = request.app[INSPECTOR]
    return web.json_response([secret.public() for secret in inspector.secrets])


async def add_secret(request: web.Request) -> web.Response:
    inspector: SharedState = request.app[INSPECTOR]
    payload = await read_json_object(request)
    if isinstance(payload, web.Response):
        return payload
    label = payload.pop("label", None)
    problem = label_problem(label, {secret.label for secret in inspector.secrets})
    if problem:
        return error(400, problem)
    try:
        spec = secret_from_table(payload, None, names())
    except ConfigError as problem:
        return error(400, str(problem))
    secret = await inspector.add_secret(spec, label or None)
    return web.json_response({"label": secret.label, **secret.public()}, status=201)


def label_problem(label: object, taken: set[str]) -> str | None:
    """Why a label asked for cannot name a secret, or None (none asked is fine: one is made)."""
    if label is None or label == "":
        return None
    if not isinstance(label, str) or len(label) > 64 or "/" in label or label != label.strip():
        return "label must be up to 64 characters, without slashes or surrounding spaces"
    if label in taken:
        return f"a secret is already labelled {label!r}"
    return None


async def delete_secret(request: web.Request) -> web.Response:
    inspector: SharedState = request.app[INSPECTOR]
    label = request.match_info["label"]
    if not await inspector.remove_secret(label):
        return error(404, f"no secret labelled {label!r}")
    return web.Response(status=204)


@dataclass(frozen=True)
class VerifyRequest:
    provider: str
    key: Key
    delivery: Delivery
    now: float


def verify_request(payload: dict[str, Any]) -> VerifyRequest:
    """The parts of a /api/verify body; ValueError names what is wrong."""
    secret, options = payload.get("secret"), payload.get("options") or {}
    if not isinstance(secret, str) or not secret:
        raise ValueError("secret is required")
    if not isinstance(options, dict):
        raise ValueError("options must be an object")
    pairs = serialize.pairs_from_json(payload.get("headers") or [])
    url = str(payload.get("url") or "http://localhost/")
    if (problem := http_url_problem(url)) is not None:
        raise ValueError(f"url: {problem}")
    delivery = Delivery(str(payload.get("method") or "POST"), url, Headers(pairs),
                        serialize.body_from_json(payload, b""))
    now = float(payload["now"]) if payload.get("now") is not None else time.time()
    if not math.isfinite(now):
        raise ValueError("now must be a finite number of unix seconds")
    return VerifyRequest(str(payload.get("provider") or ""), Key(secret, options), delivery, now)


def discovered(asked: VerifyRequest) -> dict[str, Any]:
    found = discover(asked.delivery, asked.key.secret)
    return {"matches": [{"provider": GENERIC, "options": m.options, "header": m.header,
                         "toml": m.toml()} for m in found.matches],
            "tried": found.tried, "untried": found.untried, "summary": found.summary()}


async def verify(request: web.Request) -> web.Response:
    """One verdict for a request given in the body, or (provider `discover`) every match."""
    payload = await read_json_object(request)
    if isinstance(payload, web.Response):
        return payload
    try:
        asked = verify_request(payload)
    except (ValueError, TypeError) as problem:
        return error(400, str(problem))
    if asked.provider == "discover":  # discovery and diagnosis take long: off the loop
        return web.json_response(await off_loop(discovered, asked))
    scheme = get(asked.provider)
    if scheme is None:
        return error(400, f"unknown provider {asked.provider!r}")
    result = await off_loop(check, scheme, asked.delivery, asked.key, asked.now)
    return web.json_response({"verdict": serialize.verdict(bounded_verdict(result))})


def add_routes(app: web.Application) -> None:
    app.router.add_get("/api/providers", list_providers)
    app.router.add_get("/api/secrets", list_secrets)
    app.router.add_post("/api/secrets", add_secret)
    app.router.add_delete("/api/secrets/{label}", delete_secret)
    app.router.add_post("/api/verify", verify)
