"""The routes and their queues (SPEC 14): `GET /api/routes`, `POST /api/routes/N/deliver`
(the queue's next attempt now), `DELETE /api/routes/N/held/ID` (out of the queue, undelivered)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..routing import routes_json
from ..state import SharedState
from .api_requests import error
from .keys import INSPECTOR


def listed(inspector: SharedState) -> dict[str, Any]:
    holding = inspector.holding
    routes = routes_json(inspector.routes)
    for route in routes:
        queue = holding.queues.get(int(str(route["index"]))) if holding else None
        route["queue"] = queue.json() if queue is not None else None
    return {"routes": routes, "held": holding.held if holding else 0}


async def get_routes(request: web.Request) -> web.Response:
    return web.json_response(listed(request.app[INSPECTOR]))


def _number(request: web.Request, name: str) -> int | None:
    text = request.match_info[name]
    return int(text) if text.isdigit() and len(text) < 12 else None


async def deliver(request: web.Request) -> web.Response:
    inspector: SharedState = request.app[INSPECTOR]
    index = _number(request, "index")
    queue = inspector.holding.deliver_now(index) \
        if inspector.holding and index is not None else None
    if queue is None:
        return error(404, f"no route #{request.match_info['index']} that holds")
    return web.json_response(queue.json(), status=202)


async def drop_held(request: web.Request) -> web.Response:
    inspector: SharedState = request.app[INSPECTOR]
    index, request_id = _number(request, "index"), _number(request, "id")
    if inspector.holding is None or index is None or request_id is None \
            or not inspector.holding.drop(index, request_id):
        return error(404, f"request {request.match_info['id']} is not held by route "
                          f"#{request.match_info['index']}")
    return web.Response(status=204)


def add_routes(app: web.Application) -> None:
    app.router.add_get("/api/routes", get_routes)
    app.router.add_post("/api/routes/{index}/deliver", deliver)
    app.router.add_delete("/api/routes/{index}/held/{id}", drop_held)
