"""Where the history lives: memory (the default), a SQLite file, or Redis (SPEC section 11)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from .memory import MemoryStore
from .protocol import Store
from .sqlite import SqliteStore, StoreFileError


class StoreError(Exception):
    """The store cannot be opened; the message names it and says why (one line, exit 2)."""


def open_store(url: str, max_requests: int, max_bytes: int,
               loop: asyncio.AbstractEventLoop) -> Store:
    """The engine `--store URL` names; a relative `sqlite:PATH` is taken from the cwd."""
    if url == "memory":
        return MemoryStore(max_requests, max_bytes)
    if url.startswith("sqlite:"):
        try:
            return SqliteStore(Path(url[len("sqlite:"):]), max_requests, max_bytes, loop)
        except StoreFileError as error:
            raise StoreError(f"--store {url}: {error}") from None
    raise StoreError(f"--store {url}: Redis stores are not available in this version yet "
                     "(use memory or sqlite:PATH)")
