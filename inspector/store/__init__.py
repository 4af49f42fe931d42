"""Where the history lives: memory (the default), a SQLite file, or Redis (SPEC section 11)."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from ..urls import password_hidden
from .memory import MemoryStore
from .protocol import Store
from .sqlite import SqliteStore
from .sqlite_file import StoreFileError


class StoreError(Exception):
    """The store cannot be opened; the message names it and says why (one line, exit 2)."""


def in_memory(max_requests: int, max_bytes: int) -> Store:
    """The default history: in this process's memory, gone when it ends."""
    return MemoryStore(max_requests, max_bytes)


async def open_store(url: str, max_requests: int, max_bytes: int,
                     environ: Mapping[str, str] | None = None,
                     err: TextIO = sys.stderr) -> Store:
    """The engine `--store URL` names; a relative `sqlite:PATH` is taken from the cwd.
    Redis's notes (bounds adopted from the store, Redis lost and back) go to `err`."""
    if url == "memory":
        return in_memory(max_requests, max_bytes)
    if url.startswith("sqlite:"):
        try:
            return SqliteStore(Path(url[len("sqlite:"):]), max_requests, max_bytes,
                               asyncio.get_running_loop(), err)
        except StoreFileError as error:
            raise StoreError(f"--store {url}: {error}") from None
        except (sqlite3.Error, OSError) as error:  # a file SQLite cannot work in (/proc/…)
            raise StoreError(f"--store {url}: cannot be used as a SQLite database ({error})"
                             ) from None
    from .redis_url import RedisUnavailable

    try:
        from .redis import RedisStore
    except ImportError:
        raise StoreError(f"--store {password_hidden(url)}: the redis client is not installed: "
                         "pip install 'webhook-inspector[redis]'") from None
    try:
        return await RedisStore.open(url, max_requests, max_bytes, environ or {}, err)
    except RedisUnavailable as error:
        raise StoreError(f"--store {password_hidden(url)}: {error}") from None
