"""`GET /api/routes`: the routes in the order they are checked (SPEC 14)."""

from __future__ import annotations

from aiohttp import web

from ..routing import routes_json
from .keys import INSPECTOR


async def get_routes(request: web.Request) -> web.Response:
    return web.json_response({"routes": routes_json(request.app[INSPECTOR].routes)})


def add_routes(app: web.Application) -> None:
    app.router.add_get("/api/routes", get_routes)
