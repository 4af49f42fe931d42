"""`POST /api/send`: the UI's "Send a test event", through this inspector's own hooks listener,
so that it is captured, verified and (with --forward) forwarded like any delivery."""

from __future__ import annotations

import time

from aiohttp import web

from ..analysis import ConfiguredSecret
from ..config import http_url_problem
from ..send.policies import POLICIES
from ..send.samples import EVENTS
from ..send.sender import SendError, cannot_sign, deliver, nothing_to_send, plan_delivery
from ..send.signing_keys import signing_key, standing_in
from ..signatures import GENERIC, Key, Scheme, get
from ..state import SharedState
from .api_requests import error, read_json_object
from .keys import CLIENT, INSPECTOR


async def list_events(request: web.Request) -> web.Response:
    return web.json_response({name: list(events) for name, events in EVENTS.items()})


async def what_sends(request: web.Request) -> web.Response:
    """Which providers of `/api/events` `POST /api/send` cannot sign as, and why: so that the
    page offers what can be sent without naming a provider itself."""
    refused = {name: why for name in EVENTS
               if (scheme := get(name)) is not None and (why := cannot_sign(scheme))}
    return web.json_response({"cannot_sign": refused})


def signing_with(state: SharedState, scheme: Scheme) -> tuple[Key, str]:
    """The configured secret when there is one that can sign (a public key cannot), else a
    generated key; and how to say which."""
    configured = next((s for s in state.secrets if s.provider == scheme.name
                       and scheme.sending.key_pair is None), None) or generic_for(state, scheme)
    if configured is None:
        generated = signing_key(scheme, None)
        return generated.signing, generated.description
    key = signing_key(scheme, configured.key.secret, configured.key.options).signing
    return key, "the configured secret" + standing_in(scheme, key.options)


def generic_for(state: SharedState, scheme: Scheme) -> ConfiguredSecret | None:
    """A provider signed in its query by a generic construction (TeleBotHost's links) is verified
    by a generic hmac secret with a `query` (SPEC 9): that secret signs its test events too."""
    if "query" not in scheme.sending.options or scheme.name == GENERIC:
        return None
    return next((s for s in state.secrets if s.provider == GENERIC and s.key.options.get("query")),
                None)


async def send_event(request: web.Request) -> web.Response:
    """One signed sample delivery, sent through this inspector's hooks listener."""
    state: SharedState = request.app[INSPECTOR]
    payload = await read_json_object(request)
    if isinstance(payload, web.Response):
        return payload
    scheme = get(str(payload.get("provider") or ""))
    if scheme is None or scheme.name not in EVENTS:
        return error(400, nothing_to_send(str(payload.get("provider")), scheme))
    url = str(payload.get("target") or state.hook_url) + str(
        payload.get("path") or f"/webhooks/{scheme.name}")
    if (problem := http_url_problem(url)) is not None:
        return error(400, f"target: {problem}")
    key, described = signing_with(state, scheme)
    try:
        delivery = plan_delivery(scheme.name, payload.get("event"), url, payload.get("data"),
                                 time.time())
        delivery_id = delivery.identified_id(delivery.signed(key, time.time()))
        (attempt,) = await deliver(request.app[CLIENT], delivery, key, POLICIES[scheme.name],
                                   retry=False)
    except (SendError, NotImplementedError) as problem:
        return error(400, str(problem) or f"{scheme.name} cannot be signed")
    return web.json_response({
        "provider": scheme.name, "event": delivery.event, "delivery_id": delivery_id,
        "url": delivery.url, "status": attempt.status, "duration_ms": attempt.duration_ms,
        "excerpt": attempt.excerpt, "error": attempt.error, "signed_with": described,
    })


def add_routes(app: web.Application) -> None:
    app.router.add_get("/api/events", list_events)
    app.router.add_get("/api/send", what_sends)
    app.router.add_post("/api/send", send_event)
