"""Typed application state shared by both listeners."""

from aiohttp import web

from ..core import Inspector

INSPECTOR = web.AppKey("inspector", Inspector)
