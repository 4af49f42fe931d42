"""The inspector listener: pages, JSON API, websocket and static files."""

from __future__ import annotations

import jinja2
from aiohttp import web

from ..query.fields import FIELDS, OPERATORS
from ..resources import resource_dir
from ..state import SharedState
from ..urls import password_hidden
from . import (
    api_answers,
    api_bodies,
    api_har,
    api_import,
    api_replay,
    api_requests,
    api_routes,
    api_send,
    api_signatures,
    api_sns,
)
from .auth import TokenGate, add_login
from .keys import INSPECTOR, client_context
from .openapi import openapi
from .security import security_middleware
from .ws import websocket

TEMPLATES = web.AppKey("templates", jinja2.Environment)


async def index(request: web.Request) -> web.Response:
    inspector: SharedState = request.app[INSPECTOR]
    template = request.app[TEMPLATES].get_template("index.html")
    hook_port = inspector.hook_url.rsplit(":", 1)[-1]
    html = template.render(hook_url=inspector.hook_url, hook_port=hook_port,
                           instance=inspector.instance,
                           forward=password_hidden(inspector.config.forward or ""),
                           fields=FIELDS, operators=OPERATORS)
    return web.Response(text=html, content_type="text/html")


async def close_websockets(app: web.Application) -> None:
    app[INSPECTOR].hub.shut_down()


def create_ui_app(inspector: SharedState) -> web.Application:
    config = inspector.config
    app = web.Application(middlewares=[security_middleware(config.ui, config.ui_token)])
    app[INSPECTOR] = inspector
    if config.ui_token:
        add_login(app, TokenGate(config.ui_token))
    app[TEMPLATES] = jinja2.Environment(
        loader=jinja2.FileSystemLoader(resource_dir("templates")),
        autoescape=True,
    )
    app.on_shutdown.append(close_websockets)
    app.cleanup_ctx.append(client_context)
    app.router.add_get("/", index)
    app.router.add_get(r"/requests/{id:\d+}", index)
    app.router.add_get("/ws", websocket)
    app.router.add_get("/api/openapi.json", openapi)
    api_signatures.add_routes(app)
    api_replay.add_routes(app)
    api_sns.add_routes(app)
    api_answers.add_routes(app)
    api_routes.add_routes(app)
    api_bodies.add_routes(app)
    api_har.add_routes(app)
    api_import.add_routes(app)
    api_send.add_routes(app)
    api_requests.add_routes(app)
    app.router.add_static("/static/", resource_dir("static"))
    return app
