"""Protection of the inspector listener: Host and Origin checks, security headers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web
from aiohttp.typedefs import Middleware

from ..config import Address

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Not no-referrer: with it, browsers send "Origin: null" on form posts, even same-origin.
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]"}
WILDCARD_HOSTS = {"0.0.0.0", "::", ""}
_SAFE_METHODS = {"GET", "HEAD"}
# Reading the history is not harmless (a search or an export can be costly, and a page
# elsewhere must not start one): these are refused to other sites whatever the method.
_GUARDED_PREFIX = "/api/"
_GUARDED_PATHS = {"/ws"}
# Sec-Fetch-Site of a request this page made, or one the user typed; "same-site" is refused
# too, since every port of 127.0.0.1 (the hooks listener's answers included) is the same site.
_OWN_FETCH_SITES = {"same-origin", "none"}


def host_name(host_header: str) -> str:
    """The host part of a Host header, keeping brackets of an IPv6 literal."""
    if host_header.startswith("["):
        return host_header[: host_header.find("]") + 1]
    return host_header.rsplit(":", 1)[0]


def allowed_hosts(bound: Address) -> set[str]:
    host = f"[{bound.host}]" if ":" in bound.host else bound.host
    return _LOCAL_HOSTS | {host.lower()}


def origin_is_own(origin: str, host_header: str) -> bool:
    return origin in (f"http://{host_header}", f"https://{host_header}")


def guarded(request: web.Request) -> bool:
    """Whether the request must come from this inspector's own page (or from no page)."""
    is_websocket = request.headers.get("Upgrade", "").lower() == "websocket"
    return (request.method not in _SAFE_METHODS or is_websocket
            or request.path.startswith(_GUARDED_PREFIX) or request.path in _GUARDED_PATHS)


def cross_site_reason(request: web.Request, host_header: str) -> str | None:
    """Why the request comes from another site (None when it does not): a foreign Origin, or
    a Sec-Fetch-Site other than same-origin or none. Without either header (curl, tail,
    replay) nothing says it is cross-site."""
    origin = request.headers.get("Origin")
    if origin is not None and not origin_is_own(origin, host_header):
        return "cross-origin request refused"
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None and site.lower() not in _OWN_FETCH_SITES:
        return "cross-site request refused (Sec-Fetch-Site)"
    return None


def security_middleware(bound: Address, token: str | None) -> Middleware:
    hosts = allowed_hosts(bound)
    # Bound to every interface, the names people use to reach it are unknown; the token, not
    # the Host header, is then what keeps a rebinding page out.
    any_host = token is not None and bound.host in WILDCARD_HOSTS

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        host = request.headers.get("Host", "")
        if not any_host and host_name(host).lower() not in hosts:
            return forbidden("foreign Host header refused (DNS rebinding protection)")
        if guarded(request) and (reason := cross_site_reason(request, host)):
            return forbidden(reason)
        try:
            response = await handler(request)
        except web.HTTPException as raised:  # raised redirects get the headers too
            add_security_headers(raised)
            raise
        if not response.prepared:
            add_security_headers(response)
        return response

    return middleware


def add_security_headers(response: web.StreamResponse) -> None:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)


def forbidden(reason: str) -> web.Response:
    return web.json_response({"error": reason}, status=403, headers=SECURITY_HEADERS)
