"""Replay, the hooks listener's answers (default and rules), and HAR export."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from aiohttp import web

from .. import serialize
from ..config import ConfigError, ResponseSpec, Rule, response_from_table, rule_from_table
from ..export import har
from ..replay import ReplayError, plan_replay, send_replay
from ..state import Inspector
from .api_requests import error, find, read_json_object
from .keys import CLIENT, INSPECTOR


async def replay(request: web.Request) -> web.Response:
    inspector: Inspector = request.app[INSPECTOR]
    record = find(request)
    if isinstance(record, web.Response):
        return record
    edits = await read_json_object(request) if request.can_read_body else {}
    if isinstance(edits, web.Response):
        return edits
    try:
        plan = plan_replay(record, edits, inspector.config.forward, inspector.secrets,
                           time.time())
    except ReplayError as problem:
        return error(400, str(problem))
    result = await send_replay(request.app[CLIENT], plan, inspector.config.forward_timeout,
                               inspector.secrets)
    inspector.add_replay(record.id, result)
    return web.json_response({"replay": serialize.replay(result)})


def spec_json(spec: ResponseSpec) -> dict[str, Any]:
    return {"status": spec.status, "content_type": spec.content_type,
            "headers": dict(spec.headers), "body": spec.body, "delay_ms": spec.delay_ms}


def rule_json(rule: Rule, remaining: int | None) -> dict[str, Any]:
    return {"path": rule.path, "method": rule.method, "times": rule.times,
            "action": rule.action, **spec_json(rule.response), "remaining": remaining}


def answers_json(inspector: Inspector) -> dict[str, Any]:
    responder = inspector.responder
    return {"default": spec_json(responder.default),
            "rules": [rule_json(rule, left)
                      for rule, left in zip(responder.rules, responder.remaining, strict=True)]}


async def get_response(request: web.Request) -> web.Response:
    return web.json_response(answers_json(request.app[INSPECTOR]))


def rule_place(index: int) -> Callable[[str], str]:
    return lambda key: f"rules[{index}].{key}"


async def put_response(request: web.Request) -> web.Response:
    inspector: Inspector = request.app[INSPECTOR]
    payload = await read_json_object(request)
    if isinstance(payload, web.Response):
        return payload
    rules = payload.get("rules", [])
    default = payload.get("default", {})
    if not isinstance(rules, list) or not isinstance(default, dict):
        return error(400, "expected {\"default\": {…}, \"rules\": […]}")
    try:
        spec = response_from_table(default, inspector.responder.default,
                                   lambda key: f"default.{key}")
        parsed = tuple(rule_from_table(rule, rule_place(n))
                       for n, rule in enumerate(rules) if isinstance(rule, dict))
    except ConfigError as problem:
        return error(400, str(problem))
    if len(parsed) != len(rules):
        return error(400, "each rule must be an object")
    inspector.responder.set(spec, parsed)
    return web.json_response(answers_json(inspector))


async def export_har(request: web.Request) -> web.Response:
    inspector: Inspector = request.app[INSPECTOR]
    wanted = request.query.get("ids")
    if wanted:
        try:
            ids = [int(part) for part in wanted.split(",") if part.strip()]
        except ValueError:
            return error(400, "ids must be comma-separated integers")
        records = [r for r in (inspector.store.get(i) for i in ids) if r is not None]
    else:
        records = inspector.store.after(0)
    mask = request.query.get("mask", "").lower() in ("1", "true", "yes")
    headers = {"Content-Disposition": 'attachment; filename="webhook-inspector.har"'}
    return web.json_response(har(records, mask), headers=headers)


def add_routes(app: web.Application) -> None:
    app.router.add_post(r"/api/requests/{id:\d+}/replay", replay)
    app.router.add_get("/api/response", get_response)
    app.router.add_put("/api/response", put_response)
    app.router.add_get("/api/export.har", export_har)
