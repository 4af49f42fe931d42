"""`--ui-token`: with a token, every call needs `Authorization: Bearer TOKEN` or the session
cookie that the login page sets after the token was typed in."""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import time
from collections.abc import Callable
from urllib.parse import quote, urlsplit

from aiohttp import web
from aiohttp.typedefs import Middleware

from .security import SECURITY_HEADERS, Handler

COOKIE = "inspector_session"
_OPEN_PATHS = ("/login", "/static/")
# Answered 401 without a token rather than sent to the login page: scripts call them.
_API_PATHS = ("/api/", "/ws", "/healthz")


class Throttle:
    """Failed token checks per address: after MAX_FAILURES within WINDOW_S, the address waits
    (LOCKOUT_S, doubling with each further lockout) before it may try again."""

    MAX_FAILURES = 5
    WINDOW_S = 60.0
    LOCKOUT_S = 30.0
    MAX_ADDRESSES = 10_000  # a flood of addresses cannot grow this without bound

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        # address -> (failures in the window, window start, locked until, lockouts so far)
        self._state: dict[str, tuple[int, float, float, int]] = {}

    def wait_s(self, address: str) -> float:
        """Seconds the address must still wait; 0 when it may try."""
        state = self._state.get(address)
        return max(0.0, state[2] - self._clock()) if state else 0.0

    def failed(self, address: str) -> None:
        now = self._clock()
        failures, since, _, lockouts = self._state.get(address, (0, now, 0.0, 0))
        if now - since > self.WINDOW_S:
            failures, since = 0, now
        failures += 1
        locked_until = 0.0
        if failures >= self.MAX_FAILURES:
            locked_until = now + self.LOCKOUT_S * 2 ** min(lockouts, 10)
            failures, since, lockouts = 0, now, lockouts + 1
        if len(self._state) >= self.MAX_ADDRESSES and address not in self._state:
            self._forget_stale(now)
        self._state[address] = (failures, since, locked_until, lockouts)

    def succeeded(self, address: str) -> None:
        self._state.pop(address, None)

    def _forget_stale(self, now: float) -> None:
        for address, (_, since, locked_until, _) in list(self._state.items()):
            if locked_until < now and now - since > self.WINDOW_S:
                del self._state[address]
        while len(self._state) >= self.MAX_ADDRESSES:
            del self._state[next(iter(self._state))]


def too_many_attempts(wait_s: float) -> web.Response:
    return web.json_response({"error": "too many failed attempts: try again later"},
                             status=429, headers={"Retry-After": str(math.ceil(wait_s))})


class TokenGate:
    def __init__(self, token: str, throttle: Throttle | None = None) -> None:
        self._token = as_bytes(token)
        self.throttle = throttle or Throttle()
        # The cookie holds a digest of the token under a key that lives as long as the process.
        self._session = hmac.new(secrets.token_bytes(32), self._token, hashlib.sha256).hexdigest()

    def token_matches(self, candidate: str) -> bool:
        return hmac.compare_digest(as_bytes(candidate), self._token)

    def authorized(self, request: web.Request) -> bool:
        """A valid session cookie or bearer token; a wrong bearer token counts as a failure."""
        if hmac.compare_digest(as_bytes(request.cookies.get(COOKIE, "")),
                               self._session.encode()):
            return True
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return False
        if self.token_matches(header[7:].strip()):
            self.throttle.succeeded(address(request))
            return True
        self.throttle.failed(address(request))
        return False

    def middleware(self) -> Middleware:
        @web.middleware
        async def gate(request: web.Request, handler: Handler) -> web.StreamResponse:
            if request.path.startswith(_OPEN_PATHS):
                return await handler(request)
            wait_s = self.throttle.wait_s(address(request))
            if wait_s and "Authorization" in request.headers:
                return too_many_attempts(wait_s)
            if self.authorized(request):
                return await handler(request)
            if request.path.startswith(_API_PATHS):
                return web.json_response({"error": "authorization required: "
                                                   "Authorization: Bearer TOKEN"}, status=401)
            raise web.HTTPSeeOther(f"/login?next={quote(request.path_qs)}")
        return gate

    async def login_form(self, request: web.Request) -> web.Response:
        return login_page(error="")

    async def login(self, request: web.Request) -> web.StreamResponse:
        wait_s = self.throttle.wait_s(address(request))
        if wait_s:
            return login_page(error="Too many failed attempts: try again later.", status=429,
                              headers={"Retry-After": str(math.ceil(wait_s))})
        try:
            form = await request.post()
        except (ValueError, LookupError):  # undecodable text, an unknown charset
            return login_page(error="The form could not be read.", status=400)
        if not self.token_matches(str(form.get("token", ""))):
            self.throttle.failed(address(request))
            return login_page(error="That token is not the one the server was started with.",
                              status=401)
        self.throttle.succeeded(address(request))
        target = str(request.query.get("next", "/"))
        if not target.startswith("/") or target.startswith("//") or urlsplit(target).netloc:
            target = "/"  # never redirect off this origin
        response = web.HTTPSeeOther(target)
        response.set_cookie(COOKIE, self._session, httponly=True, samesite="Strict",
                            path="/")
        raise response


def as_bytes(text: str) -> bytes:
    """Text from a header, cookie, form or argv as bytes to compare: compare_digest takes no
    str beyond ASCII, and undecodable bytes arrive as surrogates (never an error here)."""
    return text.encode("utf-8", "surrogatepass")


def address(request: web.Request) -> str:
    return request.remote or "unknown"


def login_page(error: str, status: int = 200,
               headers: dict[str, str] | None = None) -> web.Response:
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
                        headers={**SECURITY_HEADERS, **(headers or {})})


def add_login(app: web.Application, gate: TokenGate) -> None:
    app.middlewares.append(gate.middleware())
    app.router.add_get("/login", gate.login_form)
    app.router.add_post("/login", gate.login)
