"""`--ui-token`: with a token, every call needs `Authorization: Bearer TOKEN` or the session
cookie that the login page sets after the token was typed in."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import quote, urlsplit

from aiohttp import web
from aiohttp.typedefs import Middleware

from .security import SECURITY_HEADERS, Handler

COOKIE = "inspector_session"
_OPEN_PATHS = ("/login", "/healthz", "/static/")


class TokenGate:
    def __init__(self, token: str) -> None:
        self._token = token.encode()
        # The cookie holds a digest of the token under a key that lives as long as the process.
        self._session = hmac.new(secrets.token_bytes(32), self._token, hashlib.sha256).hexdigest()

    def token_matches(self, candidate: str) -> bool:
        return hmac.compare_digest(candidate.encode(), self._token)

    def authorized(self, request: web.Request) -> bool:
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer ") and self.token_matches(header[7:].strip()):
            return True
        return hmac.compare_digest(request.cookies.get(COOKIE, ""), self._session)

    def middleware(self) -> Middleware:
        @web.middleware
        async def gate(request: web.Request, handler: Handler) -> web.StreamResponse:
            if request.path.startswith(_OPEN_PATHS) or self.authorized(request):
                return await handler(request)
            if request.path.startswith("/api/") or request.path == "/ws":
                return web.json_response({"error": "authorization required: "
                                                   "Authorization: Bearer TOKEN"}, status=401)
            raise web.HTTPSeeOther(f"/login?next={quote(request.path_qs)}")
        return gate

    async def login_form(self, request: web.Request) -> web.Response:
        return login_page(error="")

    async def login(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        if not self.token_matches(str(form.get("token", ""))):
            return login_page(error="That token is not the one the server was started with.",
                              status=401)
        target = str(request.query.get("next", "/"))
        if not target.startswith("/") or target.startswith("//") or urlsplit(target).netloc:
            target = "/"  # never redirect off this origin
        response = web.HTTPSeeOther(target)
        response.set_cookie(COOKIE, self._session, httponly=True, samesite="Strict",
                            path="/")
        raise response


def login_page(error: str, status: int = 200) -> web.Response:
    message = f'<p class="error" role="alert">{error}</p>' if error else ""
    html = ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<title>webhook-inspector: log in</title>"
            "<link rel=\"stylesheet\" href=\"/static/app.css\"></head><body>"
            "<main class=\"login\"><h1>webhook-inspector</h1>"
            "<form method=\"post\" class=\"secret-form\">"
            "<label>Token <input name=\"token\" type=\"password\" autocomplete=\"current-password\""
            " required autofocus></label><button type=\"submit\">Log in</button>"
            f"{message}</form></main></body></html>")
    return web.Response(text=html, content_type="text/html", status=status,
                        headers=SECURITY_HEADERS)


def add_login(app: web.Application, gate: TokenGate) -> None:
    app.middlewares.append(gate.middleware())
    app.router.add_get("/login", gate.login_form)
    app.router.add_post("/login", gate.login)
