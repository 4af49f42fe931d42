"""The client every outgoing request goes through: keep-alive connections per origin, the
whole exchange within one timeout, a request on a reused connection the server had closed
sent once more on a new one."""

from __future__ import annotations

import asyncio
from types import TracebackType

from yarl import URL

from .connection import Answer, Connection, Dropped
from .errors import Failure, Refused
from .pool import Origin, Pool
from .request_head import request_head

LIMIT = 100  # open connections, as aiohttp's connector
IDLE_S = 15.0  # an idle connection is closed after this, as aiohttp's keep-alive timeout


class Client:
    def __init__(self, limit: int = LIMIT, idle_s: float = IDLE_S) -> None:
        self._pool = Pool(limit, idle_s)

    async def request(self, method: str, url: URL, headers: list[tuple[str, str]],
                      body: bytes | None, timeout: float, read_limit: int | None = None
                      ) -> Answer:
        """The answer, or `Failure` (`Refused`: nothing was sent; `timed_out` when `timeout`
        passed, counting the connection, the request and the whole answer). `body` None is no
        body at all; `read_limit` keeps that much of the body and closes the connection."""
        if url.scheme not in ("http", "https"):
            raise Refused(f"only http and https URLs are sent to, not {url.scheme}")
        head = request_head(method, url, headers, None if body is None else len(body))
        origin = Origin(url.scheme, url.raw_host or "", url.port or 0)
        head_only = method.upper() == "HEAD"
        try:
            async with asyncio.timeout(timeout):
                return await self._send(origin, head, body or b"", head_only, read_limit)
        except TimeoutError:
            raise Failure("timed out", timed_out=True) from None

    async def _send(self, origin: Origin, head: bytes, body: bytes, head_only: bool,
                    read_limit: int | None) -> Answer:
        connection, reused = await self._pool.acquire(origin, fresh=False)
        try:
            return await self._once(connection, origin, head, body, head_only, read_limit)
        except Dropped:
            if not reused:
                raise
        connection, _ = await self._pool.acquire(origin, fresh=True)
        return await self._once(connection, origin, head, body, head_only, read_limit)

    async def _once(self, connection: Connection, origin: Origin, head: bytes, body: bytes,
                    head_only: bool, read_limit: int | None) -> Answer:
        keep = False
        try:
            answer = await connection.exchange(head, body, head_only, read_limit)
            keep = connection.reusable
            return answer
        finally:  # failed, timed out or cancelled: closed, never reused
            self._pool.release(connection, origin, keep)

    async def close(self) -> None:
        """Close every connection; a request still going fails."""
        await self._pool.close()

    async def __aenter__(self) -> Client:
        return self

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        trace: TracebackType | None) -> None:
        await self.close()
