"""`GET/PUT /api/response`: the hooks listener's answers, the default and ordered rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiohttp import web

from ..config import ConfigError, ResponseSpec, Rule, response_from_table, rule_from_table
from ..state import SharedState
from .api_requests import error, read_json_object
from .keys import INSPECTOR


def spec_json(spec: ResponseSpec) -> dict[str, Any]:
    return {"status": spec.status, "content_type": spec.content_type,
            "headers": dict(spec.headers), "body": spec.body, "delay_ms": spec.delay_ms}


def rule_json(rule: Rule, remaining: int | None) -> dict[str, Any]:
    return {"path": rule.path, "method": rule.method, "times": rule.times,
            "action": rule.action, **spec_json(rule.response), "remaining": remaining}


def answers_json(inspector: SharedState) -> dict[str, Any]:
    """The answers, and whether the default is used: while forwarding, the app answers
    whatever no rule matches."""
    responder = inspector.responder
    forward = inspector.config.forward
    note = (f"forwarding to {forward}: the app answers every request no rule matches, so the "
            "default answer is not used") if forward else None
    return {"default": spec_json(responder.default), "default_used": forward is None,
            "note": note,
            "rules": [rule_json(rule, left)
                      for rule, left in zip(responder.rules, responder.remaining, strict=True)]}


async def get_response(request: web.Request) -> web.Response:
    return web.json_response(answers_json(request.app[INSPECTOR]))


def rule_place(index: int) -> Callable[[str], str]:
    return lambda key: f"rules[{index}].{key}"


async def put_response(request: web.Request) -> web.Response:
    inspector: SharedState = request.app[INSPECTOR]
    payload = await read_json_object(request)
    if isinstance(payload, web.Response):
        return payload
    rules = payload.get("rules", [])
    default = payload.get("default", {})
    if not isinstance(rules, list) or not isinstance(default, dict):
        return error(400, "expected {\"default\": {…}, \"rules\": […]}")
    try:
        # What is given replaces the default whole: a key left out takes its initial value.
        spec = response_from_table(default, ResponseSpec(), lambda key: f"default.{key}")
        parsed = tuple(rule_from_table(rule, rule_place(n))
                       for n, rule in enumerate(rules) if isinstance(rule, dict))
    except ConfigError as problem:
        return error(400, str(problem))
    if len(parsed) != len(rules):
        return error(400, "each rule must be an object")
    inspector.responder.set(spec, parsed)
    return web.json_response(answers_json(inspector))


def add_routes(app: web.Application) -> None:
    app.router.add_get("/api/response", get_response)
    app.router.add_put("/api/response", put_response)
