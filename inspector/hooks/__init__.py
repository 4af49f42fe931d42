"""The public listener: httptools, never aiohttp's server. Whatever the tunnel reaches is here,
and nothing here serves the UI or the API."""

from __future__ import annotations

from ..client import Client
from ..holding import Holding
from ..state import SharedState
from .receiver import HooksReceiver
from .server import HooksServer


def create_hooks(state: SharedState, session: Client) -> HooksServer:
    """The hooks listener, not yet listening (`await server.start(host, port)`); it forwards
    through `session`, whose lifetime is the caller's (`async with client_session()`)."""
    state.holding = Holding(state, state.routes, session)
    state.holding.start()
    return HooksServer(HooksReceiver(state, session))
