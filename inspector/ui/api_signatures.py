"""Providers, secrets added and removed at run time, and one-off verification."""

from __future__ import annotations

import math
import time
from typing import Any

from aiohttp import web

from .. import serialize
from ..config import ConfigError, secret_from_table
from ..signatures import (
    GENERIC,
    SCHEMES,
    Delivery,
    Headers,
    Key,
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
         "headers": list(scheme.signature_headers), "configured": scheme.name in configured}
        for scheme in SCHEMES
    ])


async def list_secrets(request: web.Request) -> web.Response:
    inspector: SharedState = request.app[INSPECTOR]
    return web.json_response([secret.public() for secret in inspector.secrets])


async def add_secret(request: web.Request) -> web.Response:
    inspector: SharedState = request.app[INSPECTOR]
    payload = await read_json_object(request)
    if isinstance(payload, web.Response):
        return payload
    try:
        spec = secret_from_table(payload, None, names())
    except ConfigError as problem:
        return error(400, str(problem))
    secret = inspector.add_secret(spec)
    return web.json_response({"label": secret.label, **secret.public()}, status=201)


async def delete_secret(request: web.Request) -> web.Response:
    inspector: SharedState = request.app[INSPECTOR]
    label = request.match_info["label"]
    if not inspector.remove_secret(label):
        return error(404, f"no secret labelled {label!r}")
    return web.Response(status=204)


def delivery_from(payload: dict[str, Any]) -> Delivery:
    """A Delivery from a /api/verify body; ValueError names what is wrong."""
    pairs = serialize.pairs_from_json(payload.get("headers") or [])
    return Delivery(str(payload.get("method") or "POST"),
                    str(payload.get("url") or "http://localhost/"), Headers(pairs),
                    serialize.body_from_json(payload, b""))


async def verify(request: web.Request) -> web.Response:
    payload = await read_json_object(request)
    if isinstance(payload, web.Response):
        return payload
    provider, secret = str(payload.get("provider") or ""), payload.get("secret")
    if not isinstance(secret, str) or not secret:
        return error(400, "secret is required")
    try:
        delivery = delivery_from(payload)
        now = float(payload["now"]) if payload.get("now") is not None else time.time()
        if not math.isfinite(now):
            raise ValueError("now must be a finite number of unix seconds")
    except (ValueError, TypeError) as problem:
        return error(400, str(problem))
    if provider == "discover":
        matches, tried = discover(delivery, secret)
        return web.json_response({"matches": [
            {"provider": GENERIC, "options": m.options, "header": m.header, "toml": m.toml()}
            for m in matches], "tried": tried})
    scheme = get(provider)
    if scheme is None:
        return error(400, f"unknown provider {provider!r}")
    options = payload.get("options") or {}
    if not isinstance(options, dict):
        return error(400, "options must be an object")
    result = scheme.verify(delivery, Key(secret, options), now)
    return web.json_response({"verdict": serialize.verdict(result)})


def add_routes(app: web.Application) -> None:
    app.router.add_get("/api/providers", list_providers)
    app.router.add_get("/api/secrets", list_secrets)
    app.router.add_post("/api/secrets", add_secret)
    app.router.add_delete("/api/secrets/{label}", delete_secret)
    app.router.add_post("/api/verify", verify)
