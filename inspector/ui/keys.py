"""Typed application state shared by both listeners."""

from collections.abc import AsyncIterator

from aiohttp import web

from ..client import Client
from ..outbound import client_session
from ..state import SharedState

INSPECTOR = web.AppKey("inspector", SharedState)
CLIENT = web.AppKey("client", Client)


async def client_context(app: web.Application) -> AsyncIterator[None]:
    """One outgoing client per app, closed with it."""
    app[CLIENT] = client_session()
    yield
    await app[CLIENT].close()
