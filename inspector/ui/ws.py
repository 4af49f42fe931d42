"""The websocket: hello, the backlog after `after=`, then live messages from the hub."""

from __future__ import annotations

import asyncio
import contextlib
import struct
import time
from collections.abc import AsyncIterator, Iterable

from aiohttp import WSCloseCode, web

from ..captured import CapturedRequest
from ..conformance.judged import Judge
from ..hub import Message, Published, Subscriber
from ..offload import off_loop
from ..query import Node
from ..query.body_view import needs_view
from ..query.evaluate import Tester
from ..query.nodes import Everything
from ..query.wanted import Wanted
from ..serialize import compact
from ..state import SharedState, request_message
from ..store.protocol import matches_after, records_after
from .api_requests import int_param, query_param
from .judging import viewed
from .keys import INSPECTOR

TRY_AGAIN_LATER = WSCloseCode.TRY_AGAIN_LATER  # 1013
CLOSE_TIMEOUT_S = 2.0
SEND_BUFFER_LIMIT = 256 * 1024  # bytes unsent to one client before its pump waits


def text_frame(text: str) -> bytes:
    """One websocket text frame (RFC 6455 5.2), unmasked as a server sends it: the same bytes
    go to every client, so a message is framed once however many listen."""
    payload = text.encode()
    size = len(payload)
    if size < 126:
        return struct.pack("!BB", 0x81, size) + payload
    if size < 65536:
        return struct.pack("!BBH", 0x81, 126, size) + payload
    return struct.pack("!BBQ", 0x81, 127, size) + payload


class QuerySieve:
    """A client's `q=` (SPEC 12): the requests that match, updates of them (one that stops
    matching is deleted for this client), deletes of those it was sent. Relative times
    (`now-15m`) count from each message's time. Clients that give the same `q` text share
    each judgement (the message's memo). A detailed verdict the query reads (`finding:`) is
    made before the test, apart from the loop when large (Wanted, Judge.detailed): made in
    the test, on the loop or in the worker thread, it holds the interpreter lock."""

    REFRESH_S = 1.0
    # A request larger than this is judged in the worker thread: searching megabytes of body
    # text is made of C calls that each give the interpreter lock back when they end.
    OFF_LOOP_BYTES = 256 * 1024

    def __init__(self, query: Node, text: str, judge: Judge) -> None:
        self.query = query
        self.judge = judge
        self.key = ("q", text)
        self.shown: set[int] = set()
        self._tester: Tester | None = None
        self._built_at = 0.0

    def tester(self, now: float) -> Tester:
        if self._tester is None or abs(now - self._built_at) > self.REFRESH_S:
            self._tester, self._built_at = Tester(self.query, now, self.judge), now
        return self._tester

    def matches(self, record: CapturedRequest, now: float) -> bool | Wanted:
        """Whether the record matches, or the verdict to make before asking again."""
        return self.tester(now).first(record)

    async def judged(self, published: Published, record: CapturedRequest) -> bool:
        """Once per message and query text: the first sieve to ask judges, the others read
        (or wait for) its answer."""
        judgement = published.memo.get(self.key)
        if judgement is None:
            # a body searched decoded may make megabytes of a few bytes: off the loop too
            on_loop = record.stored_bytes <= self.OFF_LOOP_BYTES and not needs_view(record)
            found = self.matches(record, published.at) if on_loop else None
            judgement = published.memo[self.key] = found if isinstance(found, bool) else \
                asyncio.ensure_future(self._judged_apart(record, published.at, on_loop, found))
        if isinstance(judgement, bool):
            return judgement
        return bool(await asyncio.shield(judgement))  # the first asker may leave meanwhile

    async def _judged_apart(self, record: CapturedRequest, at: float, on_loop: bool,
                            found: Wanted | None) -> bool:
        """The test in the worker thread unless `on_loop` (where it asked for `found`), the
        verdict it asks for made, then the test again where it ran."""
        if found is None:
            asked = await off_loop(self.matches, record, at)
            if not isinstance(asked, Wanted):
                return asked
            found = asked
        await found.made()
        test = self.tester(at).patient
        return test(record) if on_loop else await off_loop(test, record)

    async def __call__(self, published: Published) -> Message | None:
        message, subject = published.message, published.subject
        kind = message["type"]
        if isinstance(subject, CapturedRequest):
            if await self.judged(published, subject):
                self.shown.add(subject.id)
                return message
            if subject.id in self.shown:
                self.shown.discard(subject.id)
                return {"type": "delete", "ids": [subject.id]}
            return None
        if kind == "delete":
            ids = [request_id for request_id in message["ids"] if request_id in self.shown]
            self.shown.difference_update(ids)
            return None if not ids else message if len(ids) == len(message["ids"]) else \
                {"type": "delete", "ids": ids}
        if kind == "clear":
            self.shown.clear()
        return message

    async def backlog(self, inspector: SharedState, after: int, until: int
                      ) -> AsyncIterator[CapturedRequest]:
        """The matches, searched in slices (SPEC 3)."""
        async for record in matches_after(inspector.store, self.query, time.time(), after,
                                          until):
            self.shown.add(record.id)
            yield record


async def websocket(request: web.Request) -> web.StreamResponse:
    inspector: SharedState = request.app[INSPECTOR]
    try:
        after = int_param(request, "after", None)
    except ValueError:
        return web.json_response({"error": "after must be an integer from 0 to 2^63 - 1"},
                                 status=400)
    query = query_param(request)
    if isinstance(query, web.Response):
        return query
    sieve = None if isinstance(query, Everything) else \
        QuerySieve(query, request.query.get("q", "").strip(), inspector.judge)
    # No per-message compression: it would deflate every message once per client.
    ws = web.WebSocketResponse(heartbeat=30, max_msg_size=64 * 1024, compress=False)
    await ws.prepare(request)
    # Subscribing and fixing where the backlog ends happen with no await between: what the
    # backlog does not hold, the hub's log holds from the subscriber's position, and nothing
    # is sent twice.
    subscriber = inspector.hub.subscribe(text_frame, sieve)
    store = inspector.store
    hello = {"type": "hello", "version": 1, "instance": inspector.instance,
             "last_id": store.last_id}
    backlog = _each(())
    if after is not None:
        backlog = _each(records_after(store, after, store.last_id)) if sieve is None else \
            sieve.backlog(inspector, after, store.last_id)
    pump = asyncio.create_task(_pump(ws, request, subscriber, hello, backlog))
    drain = asyncio.create_task(_drain(ws))
    subscriber.on_overflow = pump.cancel
    try:
        await asyncio.wait({pump, drain}, return_when=asyncio.FIRST_COMPLETED)
        await _cancel(pump)
        if subscriber.overflowed:
            await _close(ws, request, TRY_AGAIN_LATER, b"fell behind")
        elif subscriber.shutting_down:
            await _close(ws, request, WSCloseCode.GOING_AWAY, b"server shutting down")
    finally:
        inspector.hub.unsubscribe(subscriber)
        await _cancel(pump)
        await _cancel(drain)
    return ws


async def _pump(ws: web.WebSocketResponse, request: web.Request, subscriber: Subscriber,
                hello: object, backlog: AsyncIterator[CapturedRequest]) -> None:
    """Hello and backlog through aiohttp, then the hub's frames, already framed, written
    in one piece per batch (aiohttp's own writes, pings and the close, are whole frames too)."""
    await ws.send_str(compact(hello))
    judge = request.app[INSPECTOR].judge
    async for record in backlog:
        await viewed(record, judge)  # judged on first read: its body's view made in steps
        await ws.send_str(compact(request_message("request", record, judge)))
        await asyncio.sleep(0)  # a send that need not wait gives no turn
    while (frames := await subscriber.next_batch()) is not None:
        transport = request.transport
        while transport is not None and not transport.is_closing() and \
                transport.get_write_buffer_size() > SEND_BUFFER_LIMIT:
            # The client reads slowly; it may fall behind meanwhile. What arrives is judged
            # all the same, so that no record is held for a search longer than that.
            await subscriber.judge()
            await asyncio.sleep(0.02)
        if transport is None or transport.is_closing():
            return
        transport.write(frames)


async def _each(records: Iterable[CapturedRequest]) -> AsyncIterator[CapturedRequest]:
    for record in records:
        yield record


async def _cancel(task: asyncio.Task[None]) -> None:
    """Stop a task; a send that failed because the client left is not an error."""
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, ConnectionError):
        await task


async def _drain(ws: web.WebSocketResponse) -> None:
    async for _message in ws:
        pass  # clients send nothing we act on; reading handles pings and the close handshake


async def _close(ws: web.WebSocketResponse, request: web.Request, code: int,
                 message: bytes) -> None:
    """Close with a code; a client that stopped reading is cut off."""
    try:
        await asyncio.wait_for(ws.close(code=code, message=message), CLOSE_TIMEOUT_S)
    except (TimeoutError, ConnectionError):
        if request.transport is not None:
            request.transport.abort()
